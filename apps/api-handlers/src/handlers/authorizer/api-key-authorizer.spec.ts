import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { NO_TRACING } from '@tap/lambda-runtime';
import { captureEmf, type EmfCapture } from '@tap/test-support';
import { fakeSecretReader } from '../../../test/support/fake-secrets';
import {
  startFakeSecretsExtension,
  type FakeSecretsExtension,
} from '../../../test/support/fake-secrets-extension';
import { recordingMetrics } from '../../../test/support/recording-metrics';
import type { AuthorizerHandler } from './api-key-authorizer';
import {
  createAuthorizer,
  keysMatch,
  UNAUTHORIZED_MESSAGE,
  UNAVAILABLE_MESSAGE,
} from './api-key-authorizer';

const SECRET_ID = 'tap-application-secrets-test';
const API_KEY = 'correct-horse-battery-staple-0123456789';
const PREVIOUS_KEY = 'previous-horse-battery-staple-987654321';
const NEW_KEY = 'rotated-horse-battery-staple-0123456789';

/** A request authorizer event (payload 2.0) as API Gateway sends it. */
const authorizerEvent = (headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: 'arn:aws:execute-api:us-west-2:123456789012:api/$default/GET/api/items',
  identitySource: [headers['x-api-key'] ?? ''],
  routeKey: 'GET /api/items',
  rawPath: '/api/items',
  rawQueryString: '',
  cookies: [],
  headers,
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: {
      method: 'GET',
      path: '/api/items',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'jest',
    },
    requestId: 'req-1',
    routeKey: 'GET /api/items',
    stage: '$default',
    time: '',
    timeEpoch: 0,
  },
});

/** The Secrets Manager API, under the real Powertools provider (the SDK path). */
const secretsManager = mockClient(SecretsManagerClient);

/** The Parameters and Secrets extension (the path of plain reads of the current key). */
let extension: FakeSecretsExtension;

beforeAll(async () => {
  extension = await startFakeSecretsExtension();
});

afterAll(async () => {
  await extension.stop();
});

const secretValue = (apiKey: string) => ({ SecretString: JSON.stringify({ apiKey }) });
const noPreviousVersion = () =>
  new ResourceNotFoundException({
    $metadata: { httpStatusCode: 400 },
    message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
  });

/**
 * Serves the secret as Secrets Manager would: AWSCURRENT for a plain read, AWSPREVIOUS
 * when asked for it (or ResourceNotFoundException for a secret never rotated); the
 * extension serves the same AWSCURRENT.
 */
function serveSecret(keys: { current: string; previous?: string }): void {
  extension.serve({ value: { apiKey: keys.current } });
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand).resolves(secretValue(keys.current));
  const previous = secretsManager.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' });
  if (keys.previous === undefined) previous.rejects(noPreviousVersion());
  else previous.resolves(secretValue(keys.previous));
}

/** Reads that reached Secrets Manager through the SDK, by staging label. */
const reads = (stage: 'AWSCURRENT' | 'AWSPREVIOUS'): number =>
  secretsManager
    .commandCalls(GetSecretValueCommand)
    .filter((call) => (call.args[0].input.VersionStage ?? 'AWSCURRENT') === stage).length;

const invoke = (apiKey: string | undefined) =>
  handler(authorizerEvent(apiKey === undefined ? {} : { 'x-api-key': apiKey }));

let handler: AuthorizerHandler;
/** What the function writes to stdout and stderr: its logs and EMF lines. */
let output: EmfCapture;

/**
 * Loads the real composition root (src/functions/authorizer.ts) afresh for every test, so
 * each starts with a cold container: a new secret reader with an empty cache. (The reader
 * imports the Secrets Manager client lazily, from this file's registry: the mocked one.)
 */
beforeEach(async () => {
  output = captureEmf([process.stdout, process.stderr]);
  extension.reads.length = 0;
  serveSecret({ current: API_KEY });
  Object.assign(process.env, {
    API_KEY_SECRET_ID: SECRET_ID,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
    AWS_SESSION_TOKEN: extension.sessionToken,
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  });
  delete process.env['POWERTOOLS_METRICS_NAMESPACE'];
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import('../../functions/authorizer'));
  });
});

afterEach(() => {
  output.restore();
  jest.restoreAllMocks();
});

describe('the API-key authorizer', () => {
  it('authorizes the right key', async () => {
    await expect(invoke(API_KEY)).resolves.toEqual({ isAuthorized: true, context: {} });
  });

  it('finds the header whatever its case', async () => {
    await expect(handler(authorizerEvent({ 'X-Api-Key': API_KEY }))).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it.each([
    ['a wrong key of the same length', { 'x-api-key': API_KEY.replace(/.$/, 'X') }],
    ['a shorter key', { 'x-api-key': API_KEY.slice(0, -1) }],
    ['a longer key', { 'x-api-key': `${API_KEY}0` }],
    ['an empty key', { 'x-api-key': '' }],
    ['no key at all', {}],
    ['the key in another header', { authorization: API_KEY }],
  ])('throws Unauthorized for %s', async (_, headers) => {
    await expect(handler(authorizerEvent(headers))).rejects.toThrow(
      new Error(UNAUTHORIZED_MESSAGE),
    );
  });

  it('reads the current key through the extension on a cold start, never through the SDK', async () => {
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });

    expect(extension.reads).toEqual([SECRET_ID]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('reads each key once across many invocations, and a missing AWSPREVIOUS only once too', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, index) => invoke(index % 2 === 0 ? API_KEY : 'wrong')),
    );
    await invoke(API_KEY);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(13);
    // The current key once through the extension; for the wrong keys, AWSPREVIOUS once
    // (missing) and one forced refetch of both labels, shared by all of them.
    expect(extension.reads).toHaveLength(1);
    expect(reads('AWSCURRENT')).toBe(1);
    expect(reads('AWSPREVIOUS')).toBe(2);
  });

  it('reads both keys again once their cache age of 300 s has passed', async () => {
    serveSecret({ current: API_KEY, previous: PREVIOUS_KEY });
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await invoke(API_KEY);

    now.mockReturnValue(start + 299_000);
    await invoke(PREVIOUS_KEY);
    await invoke(API_KEY);
    expect([extension.reads.length, reads('AWSPREVIOUS')]).toEqual([1, 1]);

    now.mockReturnValue(start + 301_000);
    await invoke(API_KEY);
    await invoke(PREVIOUS_KEY);
    expect([extension.reads.length, reads('AWSPREVIOUS')]).toEqual([2, 2]);
    expect(reads('AWSCURRENT')).toBe(0);
  });

  it('reads Secrets Manager through the SDK when the extension fails, and warns', async () => {
    extension.serve({ status: 500 });

    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });

    expect(reads('AWSCURRENT')).toBe(1);
    expect(output.output()).toContain('the secrets extension failed');
  });

  it('fails closed, with an error other than Unauthorized, when the secret cannot be read', async () => {
    extension.serve({ status: 500 });
    secretsManager.reset();
    secretsManager.rejects(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );

    const attempt = invoke(API_KEY);

    await expect(attempt).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
  });

  it('fails closed when the secret does not hold an apiKey', async () => {
    extension.serve({ value: { key: API_KEY } });
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ key: API_KEY }) });

    await expect(invoke(API_KEY)).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
    await expect(invoke('')).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
  });

  it('tries the secret again on the next request after a failure', async () => {
    extension.serve({ status: 503 });
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))
      .resolves(secretValue(API_KEY));

    await expect(invoke(API_KEY)).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    extension.serve({ value: { apiKey: API_KEY } });
  });

  it('never logs the expected or the presented key', async () => {
    extension.serve({ value: { other: API_KEY } });
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ other: API_KEY }) });

    await invoke('presented-key-value').catch(() => undefined);

    const logs = output.output();
    expect(logs).toContain('cannot read the API key secret');
    expect(logs).not.toContain(API_KEY);
    expect(logs).not.toContain('presented-key-value');
  });

  it('refuses to start without API_KEY_SECRET_ID', async () => {
    delete process.env['API_KEY_SECRET_ID'];

    await expect(
      jest.isolateModulesAsync(async () => {
        await import('../../functions/authorizer');
      }),
    ).rejects.toThrow(
      'Invalid configuration of the authorizer function: API_KEY_SECRET_ID is missing',
    );
  });
});

describe('the authorizer across a key rotation', () => {
  it('accepts the previous key (AWSPREVIOUS) as well as the current one', async () => {
    serveSecret({ current: API_KEY, previous: PREVIOUS_KEY });

    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke(PREVIOUS_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke('neither')).rejects.toThrow(new Error(UNAUTHORIZED_MESSAGE));
  });

  it('keeps the two labels apart in its cache (Powertools keys its cache by name only)', async () => {
    serveSecret({ current: API_KEY, previous: PREVIOUS_KEY });
    await invoke(API_KEY);
    await invoke(PREVIOUS_KEY);
    secretsManager.resetHistory();

    // Both are served from the cache, each as its own value: no refetch is needed.
    await expect(invoke(PREVIOUS_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('accepts a new key at once after a rotation, though its cached keys are stale', async () => {
    await invoke(API_KEY);
    serveSecret({ current: NEW_KEY, previous: API_KEY });

    await expect(invoke(NEW_KEY)).resolves.toMatchObject({ isAuthorized: true });
    // Not only while the refetch is in flight: the refetched key outranks the cached one.
    await expect(invoke(NEW_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    // AWSPREVIOUS once when the new key matched nothing cached, then the forced refetch.
    expect([reads('AWSCURRENT'), reads('AWSPREVIOUS')]).toEqual([1, 2]);
    expect(extension.reads).toHaveLength(1);
  });

  it('refetches at most once per 5 s, so wrong keys cannot hammer Secrets Manager', async () => {
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await invoke(API_KEY);
    secretsManager.resetHistory();

    const wrong = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => invoke(`wrong-${index}`)),
    );
    now.mockReturnValue(start + 4_000);
    await expect(invoke('wrong-again')).rejects.toThrow(new Error(UNAUTHORIZED_MESSAGE));

    expect(wrong.every((result) => result.status === 'rejected')).toBe(true);
    // The 50 concurrent misses shared one read of AWSPREVIOUS (missing, remembered) and
    // one refetch of both labels; the next miss within 5 s got neither.
    expect([reads('AWSCURRENT'), reads('AWSPREVIOUS')]).toEqual([1, 2]);

    now.mockReturnValue(start + 5_001);
    await expect(invoke('wrong-later')).rejects.toThrow(new Error(UNAUTHORIZED_MESSAGE));
    expect([reads('AWSCURRENT'), reads('AWSPREVIOUS')]).toEqual([2, 3]);
  });

  it('decides with the cached keys when the refetch after a mismatch fails', async () => {
    serveSecret({ current: API_KEY, previous: PREVIOUS_KEY });
    await invoke(API_KEY);
    await invoke(PREVIOUS_KEY);
    secretsManager.reset();
    secretsManager.rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    await expect(invoke(NEW_KEY)).rejects.toThrow(new Error(UNAUTHORIZED_MESSAGE));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(output.output()).toContain('cannot refetch the API keys');
    // Both keys are still in the cache and still good.
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke(PREVIOUS_KEY)).resolves.toMatchObject({ isAuthorized: true });
  });

  it('fails closed for a key that is not the current one while AWSPREVIOUS was never read and cannot be', async () => {
    await invoke(API_KEY);
    secretsManager.reset();
    secretsManager.rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    // It might be the previous key: a 401 could turn away a valid client.
    await expect(invoke(PREVIOUS_KEY)).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
  });

  it('serves the current key while AWSPREVIOUS cannot be read, and fails closed for any other', async () => {
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves(secretValue(API_KEY));
    secretsManager
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(invoke(API_KEY)).resolves.toMatchObject({ isAuthorized: true });
    await expect(invoke(PREVIOUS_KEY)).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
  });
});

describe("the authorizer's metrics", () => {
  it('publishes EMF under the TAP namespace with the service, counting each outcome', async () => {
    serveSecret({ current: API_KEY, previous: PREVIOUS_KEY });

    await invoke(API_KEY);
    await invoke(PREVIOUS_KEY);
    await invoke('wrong').catch(() => undefined);

    const [coldStart, ...invocations] = output.emfLines();
    expect(coldStart).toMatchObject({ service: 'tap-authorizer', ColdStart: 1 });
    expect(invocations).toEqual([
      expect.objectContaining({ AuthorizerAllowed: 1, AuthorizerPreviousKeyUsed: 0 }),
      expect.objectContaining({ AuthorizerAllowed: 1, AuthorizerPreviousKeyUsed: 1 }),
      expect.objectContaining({
        AuthorizerAllowed: 0,
        AuthorizerDenied: 1,
        AuthorizerError: 0,
        AuthorizerKeysRefreshed: 1,
      }),
    ]);
    expect(invocations[0]).toMatchObject({
      service: 'tap-authorizer',
      _aws: {
        CloudWatchMetrics: [
          expect.objectContaining({ Namespace: 'TAP', Dimensions: [['service']] }),
        ],
      },
    });
  });

  it('counts a fail-closed answer as AuthorizerError', async () => {
    const metrics = recordingMetrics();
    const authorize = createAuthorizer({
      secrets: fakeSecretReader({ [SECRET_ID]: new Error('unreadable') }),
      apiKeySecretId: SECRET_ID,
      keyMaxAgeSeconds: 300,
      logger: { error: () => undefined, warn: () => undefined, info: () => undefined },
      metrics,
      tracing: NO_TRACING,
    });

    await expect(authorize(authorizerEvent({ 'x-api-key': API_KEY }))).rejects.toThrow(
      UNAVAILABLE_MESSAGE,
    );
    expect(metrics.flattened()).toEqual([
      expect.objectContaining({ AuthorizerAllowed: 0, AuthorizerDenied: 0, AuthorizerError: 1 }),
    ]);
  });
});

describe('keysMatch', () => {
  it('matches equal keys only', () => {
    expect(keysMatch('abc', 'abc')).toBe(true);
    expect(keysMatch('abc', 'abd')).toBe(false);
    expect(keysMatch('abc', 'ABC')).toBe(false);
  });

  it('compares keys of different lengths without throwing', () => {
    expect(keysMatch('a', 'a'.repeat(1000))).toBe(false);
    expect(keysMatch('', 'abc')).toBe(false);
  });
});
