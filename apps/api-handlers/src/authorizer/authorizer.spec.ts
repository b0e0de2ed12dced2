import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuthorizerHandler } from './authorizer';
import { keysMatch, UNAUTHORIZED_MESSAGE } from './authorizer';

const SECRET_ID = 'tap-application-secrets-test';
const API_KEY = 'correct-horse-battery-staple-0123456789';

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

/** The only fake: the Secrets Manager API, under the real Powertools provider. */
const secretsManager = mockClient(SecretsManagerClient);
const GetSecretValue = GetSecretValueCommand;

let handler: AuthorizerHandler;
let output: string[];

/**
 * Loads the real composition root (src/functions/authorizer.ts) afresh for every test, so
 * each starts with a cold container: a new secret reader with an empty cache. (The reader
 * imports the Secrets Manager client lazily, from this file's registry: the mocked one.)
 */
beforeEach(async () => {
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
  }
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ apiKey: API_KEY }) });
  Object.assign(process.env, {
    API_KEY_SECRET_ID: SECRET_ID,
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import('../functions/authorizer'));
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the API-key authorizer', () => {
  it('authorizes the right key', async () => {
    await expect(handler(authorizerEvent({ 'x-api-key': API_KEY }))).resolves.toEqual({
      isAuthorized: true,
      context: {},
    });
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

  it('reads the secret once across many invocations', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, index) =>
        handler(authorizerEvent({ 'x-api-key': index % 2 === 0 ? API_KEY : 'wrong' })),
      ),
    );
    await handler(authorizerEvent({ 'x-api-key': API_KEY }));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(13);
    expect(secretsManager.commandCalls(GetSecretValue)).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValue)[0]?.args[0].input).toEqual({
      SecretId: SECRET_ID,
    });
  });

  it('reads the secret again once its cache age of 300 s has passed', async () => {
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await handler(authorizerEvent({ 'x-api-key': API_KEY }));

    now.mockReturnValue(start + 299_000);
    await handler(authorizerEvent({ 'x-api-key': API_KEY }));
    expect(secretsManager.commandCalls(GetSecretValue)).toHaveLength(1);

    now.mockReturnValue(start + 301_000);
    await handler(authorizerEvent({ 'x-api-key': API_KEY }));
    expect(secretsManager.commandCalls(GetSecretValue)).toHaveLength(2);
  });

  it('fails closed, with an error other than Unauthorized, when the secret cannot be read', async () => {
    secretsManager.reset();
    secretsManager.rejects(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );

    const attempt = handler(authorizerEvent({ 'x-api-key': API_KEY }));

    await expect(attempt).rejects.toThrow(Error);
    await expect(attempt).rejects.not.toThrow(new Error(UNAUTHORIZED_MESSAGE));
  });

  it('fails closed when the secret does not hold an apiKey', async () => {
    secretsManager.reset();
    secretsManager.on(GetSecretValue).resolves({ SecretString: JSON.stringify({ key: API_KEY }) });

    const attempt = handler(authorizerEvent({ 'x-api-key': API_KEY }));

    await expect(attempt).rejects.not.toThrow(new Error(UNAUTHORIZED_MESSAGE));
    await expect(handler(authorizerEvent({ 'x-api-key': '' }))).rejects.not.toThrow(
      new Error(UNAUTHORIZED_MESSAGE),
    );
  });

  it('tries the secret again on the next request after a failure', async () => {
    secretsManager.reset();
    secretsManager
      .on(GetSecretValue)
      .rejectsOnce(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))
      .resolves({ SecretString: JSON.stringify({ apiKey: API_KEY }) });

    await expect(handler(authorizerEvent({ 'x-api-key': API_KEY }))).rejects.toThrow();
    await expect(handler(authorizerEvent({ 'x-api-key': API_KEY }))).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it('never logs the expected or the presented key', async () => {
    secretsManager.reset();
    secretsManager
      .on(GetSecretValue)
      .resolves({ SecretString: JSON.stringify({ other: API_KEY }) });

    await handler(authorizerEvent({ 'x-api-key': 'presented-key-value' })).catch(() => undefined);

    const logs = output.join('');
    expect(logs).toContain('cannot read the API key secret');
    expect(logs).not.toContain(API_KEY);
    expect(logs).not.toContain('presented-key-value');
  });

  it('refuses to start without API_KEY_SECRET_ID', async () => {
    delete process.env['API_KEY_SECRET_ID'];

    await expect(
      jest.isolateModulesAsync(async () => {
        await import('../functions/authorizer');
      }),
    ).rejects.toThrow(
      'Invalid configuration of the authorizer function: API_KEY_SECRET_ID is missing',
    );
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
