import { API_KEY_HEADER, CORS_POLICY } from '@tap/contracts';
import { startLocalCloud, type LocalCloud } from '../src';
import { fixtureBundle, send, type TestResponse } from './support/http';

interface EchoBody {
  event: {
    routeKey: string;
    rawPath: string;
    rawQueryString: string;
    headers: Record<string, string>;
    cookies?: string[];
    queryStringParameters?: Record<string, string>;
    pathParameters?: Record<string, string>;
    body?: string;
    isBase64Encoded: boolean;
    requestContext: Record<string, unknown> & { authorizer?: { lambda: Record<string, unknown> } };
  };
  coldStartId: string;
  invocations: number;
  context: Record<string, unknown>;
  env: Record<string, string>;
}

const ALLOWED_ORIGIN = 'https://app.example.com';

describe('the HTTP API (fixture functions behind the real gateway)', () => {
  let cloud: LocalCloud;
  let apiKey: string;
  const get = (
    path: string,
    headers: Record<string, string | string[]> = {},
  ): Promise<TestResponse> => send(cloud.baseUrl, path, { headers });
  const authorized = (
    path: string,
    headers: Record<string, string | string[]> = {},
  ): Promise<TestResponse> => get(path, { [API_KEY_HEADER]: apiKey, ...headers });
  /** How many times the echo function ran so far (it counts, per execution environment). */
  const echoInvocations = async (): Promise<number> =>
    (await get('/health')).json<EchoBody>().invocations - 1;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      corsAllowOrigins: [ALLOWED_ORIGIN],
      functionBundles: {
        health: fixtureBundle('echo'),
        api: fixtureBundle('echo'),
        authorizer: fixtureBundle('authorizer'),
      },
      functionTimeoutsMs: { authorizer: 1500 },
      // These tests call faster than the stack's throttles allow (test/throttling.spec.ts).
      throttles: false,
    });
    apiKey = cloud.outputs.ApiKey;
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  describe('routing', () => {
    it('invokes the function of the matching contract route with a payload 2.0 event', async () => {
      const response = await authorized('/api/items/caf%C3%A9%20x/files/f-1?tag=a&tag=b', {
        'X-Custom': ['one', 'two'],
        Cookie: 'session=abc; theme=dark',
      });
      expect(response.status).toBe(200);
      const { event } = response.json<EchoBody>();
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: 'GET /api/items/{id}/files/{fileId}',
        rawPath: '/api/items/caf%C3%A9%20x/files/f-1',
        rawQueryString: 'tag=a&tag=b',
        cookies: ['session=abc', 'theme=dark'],
        queryStringParameters: { tag: 'a,b' },
        pathParameters: { id: 'café x', fileId: 'f-1' },
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          stage: '$default',
          routeKey: 'GET /api/items/{id}/files/{fileId}',
          http: {
            method: 'GET',
            path: '/api/items/caf%C3%A9%20x/files/f-1',
            sourceIp: '127.0.0.1',
          },
        },
      });
      expect(event.headers['x-custom']).toBe('one,two');
      expect(event.requestContext['requestId']).toBe(response.headers['apigw-requestid']);
    });

    it('answers 404 {"message":"Not Found"} for a path or method without a route', async () => {
      for (const [method, path] of [
        ['GET', '/nope'],
        ['PUT', '/health'],
        ['GET', '/api/items/a/b/c/d'],
      ] as const) {
        const response = await send(cloud.baseUrl, path, { method });
        expect(response.status).toBe(404);
        expect(response.json()).toEqual({ message: 'Not Found' });
        expect(response.headers['apigw-requestid']).toEqual(expect.any(String));
      }
    });

    it('answers 413 for a body over 10 MB without invoking anything', async () => {
      const before = await echoInvocations();
      const response = await send(cloud.baseUrl, '/health', {
        method: 'GET',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(10 * 1024 * 1024 + 1),
      });
      expect(response.status).toBe(413);
      expect(response.json()).toEqual({ message: 'Request Entity Too Large' });
      expect(await echoInvocations()).toBe(before + 1);
    });

    it('passes a JSON body as text and a binary body as base64', async () => {
      const json = await send(cloud.baseUrl, '/api/items', {
        method: 'POST',
        headers: { [API_KEY_HEADER]: apiKey, 'content-type': 'application/json' },
        body: '{"name":"Zoë"}',
      });
      expect(json.json<EchoBody>().event).toMatchObject({
        body: '{"name":"Zoë"}',
        isBase64Encoded: false,
      });

      const bytes = Buffer.from([0, 255, 1, 254]);
      const binary = await send(cloud.baseUrl, '/api/items', {
        method: 'POST',
        headers: { [API_KEY_HEADER]: apiKey, 'content-type': 'image/png' },
        body: bytes,
      });
      const { event } = binary.json<EchoBody>();
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
    });
  });

  describe('responses', () => {
    it('sends the status, headers and cookies of a structured response', async () => {
      const response = await get('/health?status=202');
      expect(response.status).toBe(202);
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.headers['etag']).toBe('"v1"');
      expect(response.headers['set-cookie']).toEqual(['first=1; Path=/', 'second=2; Path=/']);
    });

    it('sends any other value as JSON with status 200', async () => {
      const response = await get('/health?mode=plain');
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ plain: true, coldStartId: expect.any(String) });
    });

    it('base64-decodes a body marked isBase64Encoded', async () => {
      const response = await get('/health?mode=binary');
      expect(response.body).toEqual(Buffer.from([0, 1, 2, 254, 255]));
    });

    it('answers 500 {"message":"Internal Server Error"} for a malformed response', async () => {
      const response = await get('/health?mode=malformed');
      expect(response.status).toBe(500);
      expect(response.json()).toEqual({ message: 'Internal Server Error' });
    });
  });

  describe('the emulated Lambda environment', () => {
    it('gives the function the stack variables and emulator endpoints, and nothing from the shell', async () => {
      const { env } = (await get('/health')).json<EchoBody>();
      expect(env).toMatchObject({
        TABLE_NAME: cloud.names.table,
        BUCKET_NAME: cloud.names.bucket,
        HEALTH_CHECK_TIMEOUT_MS: '2000',
        S3_FORCE_PATH_STYLE: 'true',
        AWS_REGION: 'us-west-2',
        AWS_ENDPOINT_URL_DYNAMODB: cloud.services.dynamodb.endpoint,
        AWS_ENDPOINT_URL_S3: cloud.services.s3.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: cloud.services.secretsManager.endpoint,
        AWS_LAMBDA_FUNCTION_NAME: cloud.names.functions.health,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        POWERTOOLS_SERVICE_NAME: 'tap-health',
        POWERTOOLS_METRICS_NAMESPACE: 'TAP',
        POWERTOOLS_TRACE_ENABLED: 'false',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
      });
      expect(env).not.toHaveProperty('HOME');
      expect(env).not.toHaveProperty('PATH');
      expect(env).not.toHaveProperty('CURSOR_KEY_SECRET_ID');
    });

    it('gives the api function its own variables', async () => {
      const { env } = (await authorized('/api/items')).json<EchoBody>();
      expect(env).toMatchObject({
        TABLE_NAME: cloud.names.table,
        CURSOR_KEY_SECRET_ID: cloud.names.cursorKeySecret,
        MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
        AWS_LAMBDA_FUNCTION_NAME: cloud.names.functions.api,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      });
    });

    it('passes a Lambda-like context', async () => {
      const { context } = (await get('/health')).json<EchoBody>();
      expect(context).toMatchObject({
        awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionName: cloud.names.functions.health,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:us-west-2:000000000000:function:${cloud.names.functions.health}`,
        memoryLimitInMB: '256',
        logGroupName: `/aws/lambda/${cloud.names.functions.health}`,
        logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
        callbackWaitsForEmptyEventLoop: true,
      });
      expect(context['remainingTimeInMillis']).toBeGreaterThan(9_000);
      expect(context['remainingTimeInMillis']).toBeLessThanOrEqual(10_000);
    });

    it('keeps an execution environment warm between invocations', async () => {
      const first = (await get('/health')).json<EchoBody>();
      const second = (await get('/health')).json<EchoBody>();
      expect(second.coldStartId).toBe(first.coldStartId);
      expect(second.invocations).toBe(first.invocations + 1);
    });

    it('cold-starts every function after reloadFunctions()', async () => {
      const before = (await get('/health')).json<EchoBody>().coldStartId;
      await cloud.reloadFunctions();
      const after = (await get('/health')).json<EchoBody>();
      expect(after.coldStartId).not.toBe(before);
      expect(after.invocations).toBe(1);
    });
  });

  describe('CORS', () => {
    it('answers a preflight itself with the CORS policy, even on a key-protected route', async () => {
      // Routed or authorized, this request would get 404 (no OPTIONS route) or 401 (no key).
      const response = await send(cloud.baseUrl, '/api/items', {
        method: 'OPTIONS',
        headers: {
          origin: ALLOWED_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': `content-type,${API_KEY_HEADER}`,
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': ALLOWED_ORIGIN,
        'access-control-allow-methods': CORS_POLICY.allowMethods.join(','),
        'access-control-allow-headers': CORS_POLICY.allowHeaders.join(','),
        'access-control-max-age': String(CORS_POLICY.maxAgeSeconds),
      });
      expect(response.body.length).toBe(0);
    });

    it('does not treat an OPTIONS request without Access-Control-Request-Method as a preflight', async () => {
      const response = await send(cloud.baseUrl, '/health', {
        method: 'OPTIONS',
        headers: { origin: ALLOWED_ORIGIN },
      });
      expect(response.status).toBe(404);
    });

    it('answers a preflight from an unlisted origin without CORS headers', async () => {
      const response = await send(cloud.baseUrl, '/api/items', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('adds the configured CORS headers, replacing the function’s own', async () => {
      const response = await get('/health', { origin: ALLOWED_ORIGIN });
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-expose-headers']).toBe(
        CORS_POLICY.exposeHeaders.join(','),
      );
    });

    it('adds CORS headers to responses the gateway generates', async () => {
      const response = await get('/api/items', { origin: ALLOWED_ORIGIN });
      expect(response.status).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    });

    it('adds no CORS headers for an unlisted origin or a request without Origin', async () => {
      expect((await get('/health', { origin: 'https://evil.example' })).headers).not.toHaveProperty(
        'access-control-allow-origin',
      );
      expect((await get('/health')).headers).not.toHaveProperty('access-control-allow-origin');
    });
  });

  describe('the principal authorizer', () => {
    it('asks the authorizer about every request, one without a credential too, as the stack has no identity source', async () => {
      // Fresh environments: the authorizer fixture counts its invocations from here.
      await cloud.reloadFunctions();
      const missing = await get('/api/items');
      const empty = await get('/api/items', { [API_KEY_HEADER]: '' });
      for (const response of [missing, empty]) {
        expect(response.status).toBe(401);
        expect(response.json()).toEqual({ message: 'Unauthorized' });
      }
      const first = (await authorized('/api/items')).json<EchoBody>();
      expect(first.event.requestContext.authorizer?.lambda['invocations']).toBe(3);
    });

    it('passes the authorizer context to the function and caches no decision', async () => {
      await cloud.reloadFunctions();
      const first = (await authorized('/api/items/one')).json<EchoBody>();
      const second = (await authorized('/api/items/two')).json<EchoBody>();
      expect(first.event.requestContext.authorizer?.lambda).toMatchObject({
        invocations: 1,
        routeArn: expect.stringMatching(
          /^arn:aws:execute-api:us-west-2:000000000000:\w+\/\$default\/GET\/api\/items\/one$/,
        ),
      });
      // Not cached (TTL 0): a revoked key is refused on its next request.
      expect(second.event.requestContext.authorizer?.lambda['invocations']).toBe(2);
    });

    it('sends the authorizer a REQUEST event with the headers and no identity source', async () => {
      await cloud.reloadFunctions();
      const { event } = (
        await authorized('/api/items/x?limit=5', { cookie: 'c=1' })
      ).json<EchoBody>();
      const authorizerEvent = event.requestContext.authorizer?.lambda['event'];
      expect(authorizerEvent).toMatchObject({
        version: '2.0',
        type: 'REQUEST',
        identitySource: [],
        routeKey: 'GET /api/items/{id}',
        rawPath: '/api/items/x',
        rawQueryString: 'limit=5',
        cookies: ['c=1'],
        queryStringParameters: { limit: '5' },
        pathParameters: { id: 'x' },
        headers: { [API_KEY_HEADER]: apiKey },
        requestContext: { stage: '$default', routeKey: 'GET /api/items/{id}' },
      });
    });

    it('answers 403 {"message":"Forbidden"} when the authorizer says no', async () => {
      const response = await get('/api/items', { [API_KEY_HEADER]: 'wrong-key' });
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ message: 'Forbidden' });
    });

    it('answers 401 when the authorizer throws Unauthorized', async () => {
      const response = await get('/api/items', { [API_KEY_HEADER]: 'throw-unauthorized' });
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ message: 'Unauthorized' });
    });

    it.each([['throw-other'], ['malformed'], ['sleep']])(
      'fails closed with 500 when the authorizer %s',
      async (key) => {
        const response = await get('/api/items', { [API_KEY_HEADER]: key });
        expect(response.status).toBe(500);
        expect(response.json()).toEqual({ message: 'Internal Server Error' });
      },
    );

    it('serves /health without asking for a credential', async () => {
      expect((await get('/health')).status).toBe(200);
    });
  });
});
