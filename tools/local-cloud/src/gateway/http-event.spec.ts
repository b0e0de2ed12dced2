import type { Route } from '@tap/contracts';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  formatRequestTime,
  isTextContentType,
  parseHttpRequest,
  type IncomingHttpRequest,
  type RequestIdentity,
} from './http-event';
import type { RouteMatch } from './route-matcher';

const receivedAt = new Date(Date.UTC(2024, 2, 5, 9, 4, 7, 123));
const identity: RequestIdentity = {
  requestId: 'Abc123RequestId=',
  receivedAt,
  apiId: 'a1b2c3d4e5',
  accountId: '000000000000',
  region: 'us-west-2',
};
const route: Route = {
  operationId: 'getFile',
  method: 'GET',
  path: '/api/items/{id}/files/{fileId}',
  routeKey: 'GET /api/items/{id}/files/{fileId}',
  handler: 'api',
  requiresAuthorization: true,
  scopes: ['items:read'],
  idempotent: false,
};
const match: RouteMatch = { route, pathParameters: { id: 'a b', fileId: 'f/1' } };

function incoming(overrides: Partial<IncomingHttpRequest> = {}): IncomingHttpRequest {
  return {
    method: 'GET',
    url: '/api/items/a%20b/files/f%2F1',
    rawHeaders: ['Host', '127.0.0.1:3000', 'User-Agent', 'jest'],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    port: 3000,
    ...overrides,
  };
}

describe('parseHttpRequest', () => {
  it('lower-cases header names and joins repeated headers with commas', () => {
    const parsed = parseHttpRequest(
      incoming({ rawHeaders: ['X-Custom', 'one', 'x-custom', 'two', 'Accept', 'text/plain'] }),
    );
    expect(parsed.headers['x-custom']).toBe('one,two');
    expect(parsed.headers['accept']).toBe('text/plain');
    expect(Object.keys(parsed.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('moves cookies out of the headers into a list', () => {
    const parsed = parseHttpRequest(
      incoming({ rawHeaders: ['Cookie', 'a=1; b=2', 'Cookie', 'c=3'] }),
    );
    expect(parsed.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(parsed.headers['cookie']).toBeUndefined();
  });

  it('splits path and query, decoding the query and comma-joining repeated parameters', () => {
    const parsed = parseHttpRequest(incoming({ url: '/health?tag=a&tag=b%20c&q=x+y&empty=' }));
    expect(parsed.rawPath).toBe('/health');
    expect(parsed.rawQueryString).toBe('tag=a&tag=b%20c&q=x+y&empty=');
    expect(parsed.queryStringParameters).toEqual({ tag: 'a,b c', q: 'x y', empty: '' });
  });

  it('adds the forwarding headers API Gateway adds, appending to an existing x-forwarded-for', () => {
    const parsed = parseHttpRequest(
      incoming({
        rawHeaders: ['X-Forwarded-For', '203.0.113.9'],
        sourceIp: '10.0.0.7',
        port: 3999,
      }),
      receivedAt,
    );
    expect(parsed.headers['x-forwarded-for']).toBe('203.0.113.9, 10.0.0.7');
    expect(parsed.headers['x-forwarded-port']).toBe('3999');
    expect(parsed.headers['x-forwarded-proto']).toBe('http');
    const epochHex = Math.floor(receivedAt.getTime() / 1000).toString(16);
    expect(parsed.headers['x-amzn-trace-id']).toMatch(
      new RegExp(`^Root=1-${epochHex}-[0-9a-f]{24}$`),
    );
  });

  it('passes JSON and text bodies as UTF-8 text', () => {
    const body = Buffer.from('{"name":"café"}', 'utf8');
    const parsed = parseHttpRequest(
      incoming({
        method: 'POST',
        rawHeaders: ['Content-Type', 'application/json; charset=utf-8'],
        body,
      }),
    );
    expect(parsed.body).toBe('{"name":"café"}');
    expect(parsed.isBase64Encoded).toBe(false);
  });

  it('base64-encodes binary bodies and bodies without a content type', () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    for (const rawHeaders of [['Content-Type', 'image/png'], []]) {
      const parsed = parseHttpRequest(incoming({ method: 'PUT', rawHeaders, body: bytes }));
      expect(parsed.isBase64Encoded).toBe(true);
      expect(Buffer.from(parsed.body ?? '', 'base64')).toEqual(bytes);
    }
  });

  it('has no body and is not base64 when nothing was sent', () => {
    const parsed = parseHttpRequest(incoming({ rawHeaders: ['Content-Type', 'image/png'] }));
    expect(parsed.body).toBeUndefined();
    expect(parsed.isBase64Encoded).toBe(false);
  });
});

describe('isTextContentType', () => {
  it.each([
    ['text/plain', true],
    ['application/json', true],
    ['application/merge-patch+json', true],
    ['application/problem+json; charset=utf-8', true],
    ['application/xml', true],
    ['application/octet-stream', false],
    ['multipart/form-data; boundary=x', false],
    [undefined, false],
  ])('treats %s as text: %s', (contentType, expected) => {
    expect(isTextContentType(contentType)).toBe(expected);
  });
});

describe('formatRequestTime', () => {
  it('formats the time like requestContext.time, in UTC', () => {
    expect(formatRequestTime(receivedAt)).toBe('05/Mar/2024:09:04:07 +0000');
  });
});

describe('buildProxyEvent', () => {
  const parsed = parseHttpRequest(
    incoming({
      method: 'POST',
      url: '/api/items/a%20b/files/f%2F1?x=1&x=2',
      rawHeaders: [
        'Host',
        'localhost:3000',
        'User-Agent',
        'jest',
        'Content-Type',
        'text/plain',
        'Cookie',
        'k=v',
      ],
      body: Buffer.from('hello'),
    }),
    receivedAt,
  );

  it('builds a payload format 2.0 event with the route, request and context', () => {
    const event = buildProxyEvent(parsed, match, identity);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /api/items/{id}/files/{fileId}',
      rawPath: '/api/items/a%20b/files/f%2F1',
      rawQueryString: 'x=1&x=2',
      cookies: ['k=v'],
      queryStringParameters: { x: '1,2' },
      pathParameters: { id: 'a b', fileId: 'f/1' },
      body: 'hello',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'a1b2c3d4e5',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: 'POST',
          path: '/api/items/a%20b/files/f%2F1',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'jest',
        },
        requestId: 'Abc123RequestId=',
        routeKey: 'GET /api/items/{id}/files/{fileId}',
        stage: '$default',
        time: '05/Mar/2024:09:04:07 +0000',
        timeEpoch: receivedAt.getTime(),
      },
    });
    expect(event.headers['content-type']).toBe('text/plain');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('puts the authorizer context under requestContext.authorizer.lambda', () => {
    const event = buildProxyEvent(parsed, match, identity, { principal: 'k1', n: 3 });
    expect(event.requestContext).toHaveProperty('authorizer', {
      lambda: { principal: 'k1', n: 3 },
    });
  });

  it('leaves out cookies, query, path parameters and body when there are none', () => {
    const bare = parseHttpRequest(incoming({ url: '/health' }));
    const event = buildProxyEvent(bare, { route, pathParameters: {} }, identity);
    for (const field of ['cookies', 'queryStringParameters', 'pathParameters', 'body']) {
      expect(event).not.toHaveProperty(field);
    }
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('buildAuthorizerEvent', () => {
  it('builds a REQUEST authorizer event with the identity source and route ARN', () => {
    const parsed = parseHttpRequest(
      incoming({ url: '/api/items/a%20b/files/f%2F1?x=1' }),
      receivedAt,
    );
    const event = buildAuthorizerEvent(parsed, match, identity, ['key-1']);
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn:
        'arn:aws:execute-api:us-west-2:000000000000:a1b2c3d4e5/$default/GET/api/items/a%20b/files/f%2F1',
      identitySource: ['key-1'],
      routeKey: route.routeKey,
      rawPath: '/api/items/a%20b/files/f%2F1',
      rawQueryString: 'x=1',
      cookies: [],
      queryStringParameters: { x: '1' },
      pathParameters: { id: 'a b', fileId: 'f/1' },
      requestContext: { requestId: identity.requestId, stage: '$default' },
    });
    expect(event.headers?.['user-agent']).toBe('jest');
  });
});
