/**
 * Builds API Gateway HTTP API (payload v2) events the way the gateway sends them after
 * matching a route, and reads handler results back, for the handler tests.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SCOPES, toAuthorizerContext, type Principal } from '@tap/contracts';

/** The caller of a test request unless it names another: a machine client of `acme` with every scope. */
export const TEST_PRINCIPAL: Principal = {
  kind: 'machine',
  tenant: 'acme',
  subject: 'test-client',
  scopes: SCOPES,
};

/** A principal of another tenant, for ownership tests. */
export const OTHER_TENANT_PRINCIPAL: Principal = {
  kind: 'user',
  tenant: 'globex',
  subject: '0b6f4c1e-1111-4a2b-8c3d-222233334444',
  scopes: SCOPES,
};

/** What a test sends. */
export interface TestRequest {
  readonly path?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Lower-case names, as the gateway delivers them. */
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON (with a JSON content type unless `headers` says otherwise). */
  readonly json?: unknown;
  /** A raw body, sent as is. */
  readonly rawBody?: string;
  readonly isBase64Encoded?: boolean;
  /**
   * Who the authorizer said is calling (default {@link TEST_PRINCIPAL}); `null` sends no
   * authorizer context at all, as a route deployed without the authorizer would.
   */
  readonly principal?: Principal | null;
}

/** A handler result with the JSON body parsed. */
export interface TestResponse<Body = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed body (`{}` when there is none), typed as the test expects it to be. */
  readonly body: Body;
  readonly rawBody: string | undefined;
}

/** An event for `routeKey` (`GET /api/items/{id}`), as the gateway would build it. */
export function apiEvent(routeKey: string, request: TestRequest = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(request.path?.[name] ?? ''),
  );
  const query = request.query ?? {};
  const headers: Record<string, string> = {
    host: 'api.example.test',
    ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...request.headers,
  };
  const body = request.json !== undefined ? JSON.stringify(request.json) : request.rawBody;
  const requestId = `req-${randomUUID()}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: { ...query } } : {}),
    ...(request.path ? { pathParameters: { ...request.path } } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test-api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId,
      routeKey,
      stage: '$default',
      ...(request.principal === null
        ? {}
        : {
            authorizer: {
              lambda: toAuthorizerContext(request.principal ?? TEST_PRINCIPAL),
            },
          }),
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

/** Reads a handler result back, parsing the body when there is one. */
export function readResult<Body = Record<string, unknown>>(
  result: APIGatewayProxyStructuredResultV2,
): TestResponse<Body> {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [
      name.toLowerCase(),
      String(value),
    ]),
  );
  return {
    status: result.statusCode ?? 200,
    headers,
    body: (result.body ? JSON.parse(result.body) : {}) as Body,
    rawBody: result.body,
  };
}
