import {
  THROTTLED_RESPONSE_BODY,
  type FunctionName,
  type Route,
  type ThrottleSettings,
} from '@tap/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InvokeOutcome } from '../lambda/execution-environment';
import { LambdaRequestAuthorizer, type AuthorizationDecision } from './authorizer';
import { isPreflight, preflightHeaders, responseCorsHeaders, type CorsConfiguration } from './cors';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  newRequestId,
  parseHttpRequest,
  type ParsedHttpRequest,
  type RequestIdentity,
} from './http-event';
import { toGatewayResponse, type GatewayHttpResponse } from './proxy-response';
import { RouteMatcher, type RouteMatch } from './route-matcher';
import { GatewayThrottle } from './throttle';

/** HTTP APIs refuse request payloads above 10 MB. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** Invokes a function by its logical name. */
export type FunctionInvoker = (name: FunctionName, event: unknown) => Promise<InvokeOutcome>;

/** Options of {@link HttpApiGateway}. */
export interface HttpApiGatewayOptions {
  /** Routes, from the contract's route table. */
  readonly routes: readonly Route[];
  readonly invoke: FunctionInvoker;
  readonly cors: CorsConfiguration;
  readonly apiId: string;
  readonly accountId: string;
  readonly region: string;
  readonly authorizerCacheTtlMs: number;
  /** The authorizer's identity sources, as header names (the stack's: none). */
  readonly authorizerIdentityHeaders: readonly string[];
  /** The stage's and routes' throttles (the stack's); undefined lets every request through. */
  readonly throttles?: ThrottleSettings;
  /** Access and error log; undefined keeps the gateway silent. */
  readonly log?: (line: string) => void;
}

type HeaderPairs = (readonly [string, string])[];

const GATEWAY_ERRORS = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

type GatewayErrorStatus = keyof typeof GATEWAY_ERRORS;

/** API Gateway's answer to a request over a throttle: 429 with its own body. */
function throttledResponse(): GatewayHttpResponse {
  return {
    statusCode: 429,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify(THROTTLED_RESPONSE_BODY), 'utf8'),
  };
}

/** A response API Gateway generates itself: `{"message": "..."}`. */
function gatewayError(statusCode: GatewayErrorStatus): GatewayHttpResponse {
  return {
    statusCode,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message: GATEWAY_ERRORS[statusCode] }), 'utf8'),
  };
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained, not kept, so the client can read the 413.
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sourceIpOf(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/**
 * The HTTP API: routes from the contract, throttling, the principal Lambda authorizer,
 * Lambda proxy integrations with payload format 2.0, CORS, and the errors API Gateway
 * answers itself.
 */
export class HttpApiGateway {
  /** The authorizer, exposed so a reload can forget its cached decisions. */
  readonly authorizer: LambdaRequestAuthorizer;
  private readonly matcher: RouteMatcher;
  private readonly throttle: GatewayThrottle | undefined;

  constructor(private readonly options: HttpApiGatewayOptions) {
    this.matcher = new RouteMatcher(options.routes);
    this.throttle = options.throttles ? new GatewayThrottle(options.throttles) : undefined;
    this.authorizer = new LambdaRequestAuthorizer({
      invoke: (event) => options.invoke('authorizer', event),
      ttlMs: options.authorizerCacheTtlMs,
      identityHeaders: options.authorizerIdentityHeaders,
    });
  }

  /** Node request listener. Never rejects: failures become 500 responses. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const identity: RequestIdentity = {
      requestId: newRequestId(),
      receivedAt,
      apiId: this.options.apiId,
      accountId: this.options.accountId,
      region: this.options.region,
    };
    let answer: GatewayHttpResponse;
    let corsHeaders: HeaderPairs = [];
    try {
      const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
      const parsed = parseHttpRequest(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          rawHeaders: request.rawHeaders,
          body: body === 'too-large' ? Buffer.alloc(0) : body,
          sourceIp: sourceIpOf(request),
          protocol: `HTTP/${request.httpVersion}`,
          port: request.socket.localPort ?? 0,
        },
        receivedAt,
      );
      const origin = parsed.headers['origin'];
      if (isPreflight(parsed.method, parsed.headers)) {
        // Answered by the gateway itself: no route, no authorizer, no function.
        answer = {
          statusCode: 204,
          headers: preflightHeaders(this.options.cors, origin),
          body: Buffer.alloc(0),
        };
      } else {
        corsHeaders = responseCorsHeaders(this.options.cors, origin);
        answer = body === 'too-large' ? gatewayError(413) : await this.route(parsed, identity);
      }
    } catch (error) {
      this.options.log?.(`[gateway] ${identity.requestId} failed: ${String(error)}`);
      answer = gatewayError(500);
    }
    this.send(response, answer, [...corsHeaders, ['apigw-requestid', identity.requestId]]);
    this.options.log?.(
      `[gateway] ${request.method} ${request.url} → ${answer.statusCode} (${Date.now() - receivedAt.getTime()} ms)`,
    );
  }

  private async route(
    request: ParsedHttpRequest,
    identity: RequestIdentity,
  ): Promise<GatewayHttpResponse> {
    const match = this.matcher.match(request.method, request.rawPath);
    // Throttling comes before the authorizer, as on API Gateway: a flood of requests never
    // reaches a function, whether its credentials are good or not.
    if (this.throttle && !this.throttle.admit(match?.route.routeKey)) return throttledResponse();
    if (!match) return gatewayError(404);

    let authorizerContext: Readonly<Record<string, unknown>> | undefined;
    if (match.route.requiresAuthorization) {
      const decision = await this.authorize(request, match, identity);
      if (decision.effect === 'deny') {
        if (decision.reason)
          this.options.log?.(`[gateway] ${identity.requestId}: ${decision.reason}`);
        return gatewayError(decision.statusCode);
      }
      authorizerContext = decision.context;
    }

    const event = buildProxyEvent(request, match, identity, authorizerContext);
    const outcome = await this.options.invoke(match.route.handler, event);
    switch (outcome.status) {
      case 'timeout':
        this.options.log?.(
          `[gateway] ${identity.requestId}: ${match.route.handler} timed out after ${outcome.timeoutMs} ms`,
        );
        return gatewayError(503);
      case 'error':
        this.options.log?.(
          `[gateway] ${identity.requestId}: ${match.route.handler} failed: ` +
            `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
        );
        return gatewayError(500);
      case 'ok':
        try {
          return toGatewayResponse(outcome.payload);
        } catch (error) {
          this.options.log?.(`[gateway] ${identity.requestId}: ${String(error)}`);
          return gatewayError(500);
        }
    }
  }

  private authorize(
    request: ParsedHttpRequest,
    match: RouteMatch,
    identity: RequestIdentity,
  ): Promise<AuthorizationDecision> {
    return this.authorizer.authorize(request.headers, (identitySource) =>
      buildAuthorizerEvent(request, match, identity, identitySource),
    );
  }

  private send(response: ServerResponse, answer: GatewayHttpResponse, extra: HeaderPairs): void {
    // One flat [name, value, name, value, …] list written as is: repeated names (several
    // Set-Cookie) stay separate lines, and nothing is merged or normalised on the way.
    const raw: string[] = [];
    for (const [name, value] of answer.headers) raw.push(name, value);
    for (const [name, value] of extra) raw.push(name, value);
    // 204 and 304 carry no body, and so no Content-Length either (RFC 9110).
    if (answer.statusCode !== 204 && answer.statusCode !== 304) {
      raw.push('content-length', String(answer.body.length));
    }
    response.writeHead(answer.statusCode, raw);
    response.end(answer.body);
  }
}
