/**
 * Types of the API function's operations, derived from the contract: which operations it
 * serves (`x-tap-handler: api`), and the shape of each one's validated request.
 */
import type { OpenApiDocument, operations, Principal } from '@tap/contracts';
import type { IdempotentCompletion } from '../../core/commit-alongside';

type Paths = OpenApiDocument['paths'];

/** `operationId` of every operation whose `x-tap-handler` is `api`. */
export type ApiOperationId = {
  [P in keyof Paths]: {
    [M in keyof Paths[P]]: Paths[P][M] extends {
      readonly operationId: infer Id;
      readonly 'x-tap-handler': 'api';
    }
      ? Id
      : never;
  }[keyof Paths[P]];
}[keyof Paths] &
  keyof operations;

type Parameters<Id extends ApiOperationId> = operations[Id]['parameters'];
type Location<Id extends ApiOperationId, L extends 'path' | 'query' | 'header'> = [
  NonNullable<Parameters<Id>[L]>,
] extends [never]
  ? Record<string, never>
  : NonNullable<Parameters<Id>[L]>;

/** The body type of an operation (`undefined` when it takes none). */
export type RequestBodyOf<Id extends ApiOperationId> = operations[Id] extends {
  requestBody: { content: infer Content };
}
  ? Content[keyof Content]
  : undefined;

/** A request that passed the contract's validation. */
export interface ValidatedRequest<Id extends ApiOperationId> {
  readonly operationId: Id;
  /** API Gateway's request id, echoed in `x-request-id`. */
  readonly requestId: string;
  /**
   * Who is calling, from the authorizer context (never from a request header); the route's
   * scopes are already checked. Every item and file a route touches is this tenant's.
   */
  readonly principal: Principal;
  readonly path: Location<Id, 'path'>;
  readonly query: Location<Id, 'query'>;
  /** Declared header parameters, under the contract's names (`If-Match`). */
  readonly headers: Location<Id, 'header'>;
  readonly body: RequestBodyOf<Id>;
  /**
   * Present when the request carries an `Idempotency-Key` on a route that takes one: a route
   * that writes with a transaction passes `idempotency.alongside(storedResponse(answer))` to
   * its store, so the answer is remembered in the same commit. A route that does not is
   * still idempotent; its answer is saved after it returns (one more write).
   */
  readonly idempotency?: IdempotentCompletion;
}

/** What a route answers; the dispatcher adds `x-request-id` and the content type. */
export interface RouteResult {
  readonly statusCode: number;
  /** Serialised as JSON; absent for 204. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Serves one operation. Throws domain errors; the dispatcher maps them to problems. */
export type RouteHandler<Id extends ApiOperationId> = (
  request: ValidatedRequest<Id>,
) => Promise<RouteResult>;

/** One handler per operation of the API function; the compiler checks none is missing. */
export type ApiRoutes = { readonly [Id in ApiOperationId]: RouteHandler<Id> };
