import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startFakeSecretsExtension,
  type FakeSecretsExtension,
} from '../../../test/support/fake-secrets-extension';
import { fakeSecretReader } from '../../../test/support/fake-secrets';
import {
  createLayeredSecretReader,
  createSecretsExtensionReader,
  SecretsExtensionError,
} from './secrets-extension-reader';
import type { JsonSecretReader } from '../../core/secret-reader';

const SECRET_ID = 'tap-application-secrets-test';

let extension: FakeSecretsExtension;

beforeAll(async () => {
  extension = await startFakeSecretsExtension();
});

afterAll(async () => {
  await extension.stop();
});

beforeEach(() => {
  extension.reads.length = 0;
  extension.serve({ value: { apiKey: 'current' } });
});

const reader = (overrides: { now?: () => number; sessionToken?: string; port?: number } = {}) =>
  createSecretsExtensionReader({
    port: overrides.port ?? extension.port,
    sessionToken: overrides.sessionToken ?? extension.sessionToken,
    maxAgeSeconds: 300,
    ...(overrides.now ? { now: overrides.now } : {}),
  });

describe('the secrets extension reader', () => {
  it('reads the current value through the extension, with the session token', async () => {
    await expect(reader().readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'current' });
    expect(extension.reads).toEqual([SECRET_ID]);
  });

  it('serves a value from memory until its max age has passed', async () => {
    let now = 1_000_000;
    const secrets = reader({ now: () => now });
    await secrets.readJson(SECRET_ID);
    now += 299_000;
    await secrets.readJson(SECRET_ID);
    expect(extension.reads).toHaveLength(1);

    now += 2_000;
    extension.serve({ value: { apiKey: 'rotated' } });
    await expect(secrets.readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'rotated' });
    expect(extension.reads).toHaveLength(2);
  });

  it('shares one read among the calls that miss the cache together', async () => {
    const secrets = reader();
    await Promise.all(Array.from({ length: 10 }, () => secrets.readJson(SECRET_ID)));
    expect(extension.reads).toHaveLength(1);
  });

  it('refuses forced reads and other version stages, which the extension would answer from its cache', async () => {
    const secrets = reader();
    await expect(secrets.readJson(SECRET_ID, { forceFetch: true })).rejects.toBeInstanceOf(
      SecretsExtensionError,
    );
    await expect(
      secrets.readJson(SECRET_ID, { versionStage: 'AWSPREVIOUS' }),
    ).rejects.toBeInstanceOf(SecretsExtensionError);
    expect(extension.reads).toHaveLength(0);
  });

  it('fails with the status, not the body, when the extension refuses', async () => {
    await expect(reader({ sessionToken: 'wrong' }).readJson(SECRET_ID)).rejects.toMatchObject({
      name: 'SecretsExtensionError',
      statusCode: 401,
      message: 'the extension answered 401',
    });
    extension.serve({ status: 500 });
    await expect(reader().readJson(SECRET_ID)).rejects.toMatchObject({ statusCode: 500 });
  });

  it('does not remember a failure: the next read asks again', async () => {
    const secrets = reader();
    extension.serve({ status: 503 });
    await expect(secrets.readJson(SECRET_ID)).rejects.toBeInstanceOf(SecretsExtensionError);
    extension.serve({ value: { apiKey: 'current' } });
    await expect(secrets.readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'current' });
  });

  it('fails when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(reader({ port }).readJson(SECRET_ID)).rejects.toThrow(
      /cannot reach the extension/,
    );
  });

  it('gives up on an extension that does not answer within its timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const secrets = createSecretsExtensionReader({
        port: (silent.address() as AddressInfo).port,
        sessionToken: 'token',
        maxAgeSeconds: 300,
        timeoutMs: 100,
      });
      await expect(secrets.readJson(SECRET_ID)).rejects.toThrow('no answer within 100 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('the layered secret reader', () => {
  const layered = (fast: JsonSecretReader, authoritative: JsonSecretReader, now = Date.now) => {
    const fallbacks: unknown[] = [];
    return {
      fallbacks,
      secrets: createLayeredSecretReader({
        fast,
        authoritative,
        maxAgeSeconds: 300,
        onFallback: (error) => fallbacks.push(error),
        now,
      }),
    };
  };

  it('serves plain reads of the current version from the fast reader only', async () => {
    const fast = fakeSecretReader({ [SECRET_ID]: { apiKey: 'fast' } });
    const sdk = fakeSecretReader({ [SECRET_ID]: { apiKey: 'sdk' } });
    await expect(layered(fast, sdk).secrets.readJson(SECRET_ID)).resolves.toEqual({
      apiKey: 'fast',
    });
    expect(sdk.reads).toHaveLength(0);
  });

  it('sends other version stages and forced reads to the authoritative reader', async () => {
    const fast = fakeSecretReader({ [SECRET_ID]: { apiKey: 'fast' } });
    const sdk = fakeSecretReader({ [SECRET_ID]: { apiKey: 'sdk' } });
    const { secrets } = layered(fast, sdk);
    await expect(secrets.readJson(SECRET_ID, { versionStage: 'AWSPREVIOUS' })).resolves.toEqual({
      apiKey: 'sdk',
    });
    await expect(secrets.readJson(SECRET_ID, { forceFetch: true })).resolves.toEqual({
      apiKey: 'sdk',
    });
    expect(fast.reads).toHaveLength(0);
  });

  it('falls back to the authoritative reader when the fast one fails, and says so', async () => {
    const fast = fakeSecretReader({ [SECRET_ID]: new SecretsExtensionError('down') });
    const sdk = fakeSecretReader({ [SECRET_ID]: { apiKey: 'sdk' } });
    const { secrets, fallbacks } = layered(fast, sdk);
    await expect(secrets.readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'sdk' });
    expect(fallbacks).toEqual([new SecretsExtensionError('down')]);
  });

  it('serves a forced read of the current version to plain reads until its max age has passed', async () => {
    let now = 1_000_000;
    const fast = fakeSecretReader({ [SECRET_ID]: { apiKey: 'stale' } });
    const sdk = fakeSecretReader({ [SECRET_ID]: { apiKey: 'rotated' } });
    const { secrets } = layered(fast, sdk, () => now);
    await secrets.readJson(SECRET_ID, { forceFetch: true });

    await expect(secrets.readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'rotated' });
    now += 301_000;
    await expect(secrets.readJson(SECRET_ID)).resolves.toEqual({ apiKey: 'stale' });
  });
});
