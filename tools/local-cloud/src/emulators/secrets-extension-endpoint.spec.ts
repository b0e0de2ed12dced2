import { SECRETS_EXTENSION } from '@tap/contracts';
import { LOCAL_CREDENTIALS } from '../lambda/function-environment';
import type { ManagedService } from '@tap/test-support';
import { SecretStore } from './secret-store';
import { createSecretsManagerEmulator } from './secrets-manager';

describe("the Parameters and Secrets extension's endpoint, answered by the Secrets Manager emulator", () => {
  let service: ManagedService;
  let store: SecretStore;

  beforeAll(async () => {
    store = await SecretStore.open({
      file: undefined,
      region: 'us-west-2',
      account: '000000000000',
    });
    service = createSecretsManagerEmulator('127.0.0.1', store);
    await service.start();
    await store.createSecret({ Name: 'app/key', SecretString: '{"apiKey":"one"}' });
    await store.putSecretValue({ SecretId: 'app/key', SecretString: '{"apiKey":"two"}' });
  });

  afterAll(async () => {
    await service.dispose();
  });

  const get = (query: string, token: string | null = LOCAL_CREDENTIALS.sessionToken) =>
    fetch(`${service.endpoint}${SECRETS_EXTENSION.secretPath}?${query}`, {
      headers: token === null ? {} : { [SECRETS_EXTENSION.tokenHeader]: token },
    });

  it("answers GetSecretValue's output for the current version", async () => {
    const response = await get('secretId=app%2Fkey');
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toMatchObject({
      Name: 'app/key',
      SecretString: '{"apiKey":"two"}',
      VersionStages: ['AWSCURRENT'],
    });
  });

  it('answers another version stage when asked for it', async () => {
    const response = await get('secretId=app%2Fkey&versionStage=AWSPREVIOUS');
    await expect(response.json()).resolves.toMatchObject({ SecretString: '{"apiKey":"one"}' });
  });

  it('refuses a request without the session token, or with another one', async () => {
    expect((await get('secretId=app%2Fkey', null)).status).toBe(401);
    expect((await get('secretId=app%2Fkey', 'someone-else')).status).toBe(401);
  });

  it("passes Secrets Manager's refusal on as a client error", async () => {
    const missing = await get('secretId=nope');
    expect(missing.status).toBe(400);
    await expect(missing.json()).resolves.toMatchObject({ __type: 'ResourceNotFoundException' });
    expect((await get('')).status).toBe(400);
  });
});
