/**
 * The API function's entry handler: one Lambda serves every `x-tap-handler: api` route, so
 * the validators, SDK clients and caches are built once and one warm container answers all
 * routes (fewer cold starts than a function per route).
 *
 * Routing is API Gateway's: it has already matched the request to a route, and
 * `event.routeKey` (`GET /api/items/{id}`) is the contract route table's `routeKey`. We
 * look it up in a map from route key to operationId to handler, with no path matching of
 * our own. Powertools' HTTP router was considered and not used; see the README.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  fromAuthorizerContext,
  IDEMPOTENCY_KEY_HEADER,
  missingScopes,
  type Principal,
  type Route,
} from '@tap/contracts';
import {
  InsufficientScopeError,
  MissingPrincipalError,
  RouteNotFoundError,
} from '../../core/errors';
import {
  wrapInvocation,
  type FunctionLogger,
  type InvocationMetrics,
  type MetricSample,
  type Tracing,
} from '@tap/lambda-runtime';
import type { IdempotencyGuard } from '../../core/idempotency';
import type { ContractValidator } from './contract-validator';
import type { ApiOperationId, ApiRoutes, RouteHandler } from './operations';
import { toProblem } from './problem';
import { readJsonBody } from './request-body';
import { problemResult, storedResponse, storedResult, toGatewayResult } from './responses';

/** The Lambda handler of the API function. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Dependencies of {@link createRouteDispatcher}. */
export interface RouteDispatcherDependencies {
  readonly routes: ApiRoutes;
  /** The contract's route table; only `handler: 'api'` routes are served. */
  readonly routeTable: readonly Route[];
  readonly validator: ContractValidator;
  readonly logger: FunctionLogger;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /**
   * Serves the requests that carry an `Idempotency-Key` on a route that takes one
   * (`idempotent` in the route table). Without it, keys are ignored.
   */
  readonly idempotency?: IdempotencyGuard;
}

/** Metric names the API publishes per request (namespace `TAP`, dimensions `service`, `route`). */
export const API_METRICS = {
  requests: 'RequestCount',
  /** Answers with a 5xx status. */
  errors: 'ErrorCount',
  /** Answers with a 4xx status. */
  clientErrors: 'ClientErrorCount',
  latency: 'Latency',
} as const;

/** The `route` dimension of a request whose route key the function does not serve. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * One request's metrics. Zeros are published too, so `ErrorCount` averages to the error
 * rate and an alarm on it sees data whenever there is traffic.
 */
function requestSamples(statusCode: number, latencyMs: number): MetricSample[] {
  return [
    { name: API_METRICS.requests, unit: 'Count', value: 1 },
    { name: API_METRICS.errors, unit: 'Count', value: statusCode >= 500 ? 1 : 0 },
    {
      name: API_METRICS.clientErrors,
      unit: 'Count',
      value: statusCode >= 400 && statusCode < 500 ? 1 : 0,
    },
    { name: API_METRICS.latency, unit: 'Milliseconds', value: latencyMs },
  ];
}

/**
 * Builds the API handler.
 *
 * @throws Error when the route table and the routes disagree (a deployment would serve a
 * route with no handler).
 */
export function createRouteDispatcher(deps: RouteDispatcherDependencies): ApiHandler {
  const { routes, validator, logger, metrics, tracing, idempotency } = deps;
  const routeByKey = new Map<string, Route & { readonly operationId: ApiOperationId }>();
  for (const route of deps.routeTable) {
    if (route.handler !== 'api') continue;
    if (!Object.hasOwn(routes, route.operationId)) {
      throw new Error(`No handler for ${route.routeKey} (${route.operationId})`);
    }
    // Every API route touches a tenant's data: none may be served without a principal.
    if (!route.requiresAuthorization) {
      throw new Error(`${route.routeKey} is served by the API but has no security requirement`);
    }
    routeByKey.set(route.routeKey, { ...route, operationId: route.operationId as ApiOperationId });
  }

  /**
   * The caller, from the authorizer context, checked against the route's scopes before
   * anything of the request is read: a caller without the scope learns nothing, not even
   * whether its request was valid.
   */
  const authorize = (route: Route, event: APIGatewayProxyEventV2): Principal => {
    const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown } }).authorizer;
    const principal = fromAuthorizerContext(authorizer?.lambda);
    if (!principal) throw new MissingPrincipalError(route.routeKey);
    const missing = missingScopes(principal, route.scopes);
    if (missing.length > 0) throw new InsufficientScopeError(missing);
    return principal;
  };

  const serve = async <Id extends ApiOperationId>(
    { operationId, idempotent }: { readonly operationId: Id; readonly idempotent: boolean },
    principal: Principal,
    event: APIGatewayProxyEventV2,
    requestId: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const operation = validator.forOperation(operationId);
    const body =
      operation.body === undefined
        ? undefined
        : readJsonBody({
            body: event.body,
            isBase64Encoded: event.isBase64Encoded,
            contentType: event.headers?.['content-type'],
          });
    const request = operation.validate({
      requestId,
      path: event.pathParameters ?? {},
      query: event.queryStringParameters ?? {},
      headers: event.headers ?? {},
      body,
    });
    const handler: RouteHandler<Id> = routes[operationId];
    // Validated above; a request without a key costs no idempotency I/O.
    const key = idempotent ? event.headers?.[IDEMPOTENCY_KEY_HEADER] : undefined;
    if (key === undefined || idempotency === undefined) {
      return toGatewayResult(await handler({ ...request, principal }), requestId);
    }
    const { tenant, kind, subject } = principal;
    const { response, replayed } = await idempotency.run(
      {
        caller: { tenant, kind, subject },
        operationId,
        key,
        // What makes it the same request: everything validated but the caller (in the key).
        payload: {
          path: request.path,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
      },
      async (completion) =>
        storedResponse(await handler({ ...request, principal, idempotency: completion })),
    );
    return storedResult(response, requestId, replayed);
  };

  return wrapInvocation(
    {
      logger,
      metrics,
      tracing,
      keys: (event) => ({ requestId: event.requestContext.requestId, routeKey: event.routeKey }),
    },
    async (event, trace) => {
      const started = Date.now();
      const requestId = event.requestContext.requestId;
      const matched = routeByKey.get(event.routeKey);
      const route = matched?.operationId ?? UNMATCHED_ROUTE;
      trace.annotate('route', route);
      // Until an answer is built, the request counts as failed.
      let statusCode = 500;
      try {
        if (matched === undefined) throw new RouteNotFoundError(event.routeKey);
        const principal = authorize(matched, event);
        trace.annotate('principalKind', principal.kind);
        const result = await serve(matched, principal, event, requestId);
        statusCode = result.statusCode ?? 200;
        // DEBUG: the gateway's access log already records every request with its status and
        // latency; at the default INFO level this line is dropped and a first request that
        // succeeds never loads the Logger (`createLazyLogger` in the composition root).
        logger.debug('request served', { statusCode, durationMs: Date.now() - started });
        return result;
      } catch (error) {
        const { problem, cause, headers } = toProblem(error);
        statusCode = problem.status;
        const details = { statusCode, durationMs: Date.now() - started };
        if (cause === 'internal') {
          logger.error('request failed', { ...details, error });
          trace.recordError(error);
        } else if (cause === 'dependency') {
          logger.warn('dependency unavailable', { ...details, error });
          trace.recordError(error);
        } else logger.info('request rejected', { ...details, problemType: problem.type });
        return problemResult({ ...problem, requestId }, headers);
      } finally {
        trace.annotate('statusCode', statusCode);
        metrics.publish({ route }, requestSamples(statusCode, Date.now() - started));
      }
    },
  );
}
