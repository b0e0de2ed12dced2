import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { RouteMatch } from './route-matcher';

/** A request as it arrived at the gateway. */
export interface IncomingHttpRequest {
  readonly method: string;
  /** Path and query as sent (`/api/items?limit=5`). */
  readonly url: string;
  /** Node's `rawHeaders`: names and values alternating, duplicates kept, case as sent. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** `HTTP/1.1` */
  readonly protocol: string;
  /** Port the gateway listens on (for `x-forwarded-port`). */
  readonly port: number;
}

/** What an HTTP API extracts from a request before routing it. */
export interface ParsedHttpRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lower-cased names, duplicates comma-joined; cookies are not here but in `cookies`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  /** Decoded; duplicates comma-joined. */
  readonly queryStringParameters: Readonly<Record<string, string>>;
  /** Text or base64 (see {@link isBase64Encoded}); undefined when there is no body. */
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
  readonly sourceIp: string;
  readonly protocol: string;
}

/** The per-request facts of the API the event describes. */
export interface RequestIdentity {
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly apiId: string;
  readonly accountId: string;
  readonly region: string;
}

/** The stage every TAP route is served from. */
export const DEFAULT_STAGE = '$default';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function formatRequestTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** A request id in API Gateway's style (16 base64 characters). */
export function newRequestId(): string {
  return randomBytes(11).toString('base64');
}

/**
 * Whether HTTP APIs pass a body of this type as text. Everything else, including a body
 * without a content type, reaches the function base64-encoded.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'application/xml' ||
    mediaType.endsWith('+xml') ||
    mediaType === 'application/javascript'
  );
}

function joinHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

function parseQuery(rawQueryString: string): Record<string, string> {
  // A Map, not an object: a parameter named `__proto__` must stay a parameter.
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const earlier = parameters.get(name);
    parameters.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  return Object.fromEntries(parameters);
}

/** X-Ray's trace header format: `Root=1-<epoch hex>-<96 random bits>`. */
function traceId(receivedAt: Date): string {
  const epoch = Math.floor(receivedAt.getTime() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')}`;
}

/**
 * Reads a request the way an HTTP API does for payload format 2.0: headers lower-cased
 * and duplicates joined with commas, cookies moved out of the headers, the query decoded,
 * and the forwarding headers the gateway adds.
 */
export function parseHttpRequest(
  request: IncomingHttpRequest,
  receivedAt: Date = new Date(),
): ParsedHttpRequest {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const joined = joinHeaders(request.rawHeaders);
  const cookies = (joined.get('cookie') ?? [])
    .flatMap((header) => header.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie.length > 0);
  joined.delete('cookie');
  const forwardedFor = joined.get('x-forwarded-for')?.join(',');
  joined.set('x-forwarded-for', [
    forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp,
  ]);
  joined.set('x-forwarded-port', [String(request.port)]);
  joined.set('x-forwarded-proto', ['http']);
  if (!joined.has('x-amzn-trace-id')) joined.set('x-amzn-trace-id', [traceId(receivedAt)]);
  const headers = Object.fromEntries([...joined].map(([name, values]) => [name, values.join(',')]));
  const hasBody = request.body.length > 0;
  const asText = isTextContentType(headers['content-type']);
  return {
    method: request.method.toUpperCase(),
    rawPath,
    rawQueryString,
    headers,
    cookies,
    queryStringParameters: parseQuery(rawQueryString),
    body: hasBody ? request.body.toString(asText ? 'utf8' : 'base64') : undefined,
    isBase64Encoded: hasBody && !asText,
    sourceIp: request.sourceIp,
    protocol: request.protocol,
  };
}

function requestContext(
  request: ParsedHttpRequest,
  routeKey: string,
  identity: RequestIdentity,
): APIGatewayEventRequestContextV2 {
  const domainName = (request.headers['host'] ?? 'localhost').replace(/:\d+$/, '');
  return {
    accountId: identity.accountId,
    apiId: identity.apiId,
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent'] ?? '',
    },
    requestId: identity.requestId,
    routeKey,
    stage: DEFAULT_STAGE,
    time: formatRequestTime(identity.receivedAt),
    timeEpoch: identity.receivedAt.getTime(),
  };
}

const nonEmpty = <T extends object>(value: T): T | undefined =>
  Object.keys(value).length > 0 ? value : undefined;

/**
 * The payload format 2.0 event an HTTP API sends a Lambda integration. Optional fields
 * (cookies, query, path parameters, body) are left out when empty, as API Gateway does.
 */
export function buildProxyEvent(
  request: ParsedHttpRequest,
  match: RouteMatch,
  identity: RequestIdentity,
  authorizerContext?: Readonly<Record<string, unknown>>,
): APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>> {
  const queryStringParameters = nonEmpty({ ...request.queryStringParameters });
  const pathParameters = nonEmpty({ ...match.pathParameters });
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(request.cookies.length > 0 ? { cookies: [...request.cookies] } : {}),
    headers: { ...request.headers },
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: requestContext(request, match.route.routeKey, identity),
    ...(pathParameters ? { pathParameters } : {}),
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: request.isBase64Encoded,
  };
  if (!authorizerContext) return event;
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { lambda: { ...authorizerContext } } },
  };
}

/** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD><path>` */
export function routeArn(request: ParsedHttpRequest, identity: RequestIdentity): string {
  return (
    `arn:aws:execute-api:${identity.region}:${identity.accountId}:${identity.apiId}/` +
    `${DEFAULT_STAGE}/${request.method}${request.rawPath}`
  );
}

/** The payload format 2.0 event of a REQUEST Lambda authorizer. */
export function buildAuthorizerEvent(
  request: ParsedHttpRequest,
  match: RouteMatch,
  identity: RequestIdentity,
  identitySource: readonly string[],
): APIGatewayRequestAuthorizerEventV2 {
  const queryStringParameters = nonEmpty({ ...request.queryStringParameters });
  const pathParameters = nonEmpty({ ...match.pathParameters });
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: routeArn(request, identity),
    identitySource: [...identitySource],
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    cookies: [...request.cookies],
    headers: { ...request.headers },
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: requestContext(request, match.route.routeKey, identity),
    ...(pathParameters ? { pathParameters } : {}),
  };
}
