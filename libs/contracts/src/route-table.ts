import { resourceServer, routes, scopes } from './generated/contract-facts';
import { createDocumentModel, type ContractDocument, type HttpMethod } from './document-model';

/** Names of the Lambda functions that serve the API, from `x-tap-handler`. */
export type HandlerName = 'health' | 'api';

/** One route of the HTTP API, as the stack and the local cloud build it. */
export interface Route {
  /** The operation's `operationId`. */
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: HttpMethod;
  /** Path template with `{name}` parameters, as API Gateway HTTP APIs write it too. */
  readonly path: string;
  /** `METHOD /path`, the HTTP API route key. */
  readonly routeKey: string;
  /** The function that serves the route. */
  readonly handler: HandlerName;
  /**
   * Whether the authorizer guards the route (a user's token or a machine key). The routes
   * without are the public ones, {@link PUBLIC_ROUTE_KEYS}.
   */
  readonly requiresAuthorization: boolean;
  /** The scopes a caller must hold (empty for a public route); the API enforces them. */
  readonly scopes: readonly Scope[];
  /** Whether the route takes an `Idempotency-Key` (and so may answer a replay). */
  readonly idempotent: boolean;
}

const HANDLER_NAMES: readonly HandlerName[] = ['health', 'api'];

/** A scope the contract declares (`items:read`, `items:write`). */
export type Scope = (typeof scopes)[number]['name'];

/** Every scope the contract declares, in document order. */
export const SCOPES: readonly Scope[] = scopes.map((scope) => scope.name);

const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/**
 * Identifier of the user pool's resource server: a user's token carries each scope as
 * `<identifier>/<scope>` (Cognito's form), which the authorizer reads back.
 */
export const RESOURCE_SERVER: string = resourceServer;

/**
 * The routes anyone may call, without a credential. A test fails when an operation has no
 * security requirement and is not listed here, so a route cannot go public by omission.
 */
export const PUBLIC_ROUTE_KEYS: readonly string[] = ['GET /health'];

/** What a route is made of, as a document model or the generated facts list it. */
interface RouteLike {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly routeKey: string;
  readonly handler: unknown;
  readonly requiresAuthorization: boolean;
  readonly scopes: readonly string[];
  readonly idempotent: boolean;
}

/**
 * Routes, in document order, each checked to name a function that serves routes.
 *
 * @throws Error when an operation lacks a known `x-tap-handler`.
 */
function checkedRoutes(operations: readonly RouteLike[]): readonly Route[] {
  return operations.map((operation) => {
    const { handler } = operation;
    if (!HANDLER_NAMES.includes(handler as HandlerName)) {
      throw new Error(
        `${operation.routeKey} has x-tap-handler ${JSON.stringify(handler)}; expected one of ${HANDLER_NAMES.join(', ')}`,
      );
    }
    return {
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
      routeKey: operation.routeKey,
      handler: handler as HandlerName,
      requiresAuthorization: operation.requiresAuthorization,
      idempotent: operation.idempotent,
      scopes: operation.scopes.map((scope) => {
        if (!isScope(scope))
          throw new Error(`${operation.routeKey} names an unknown scope ${scope}`);
        return scope;
      }),
    };
  });
}

/**
 * Derives the route table from an OpenAPI document. Every operation must name its
 * function in `x-tap-handler`; an operation requires a credential when its effective
 * `security` (its own, else the document's) has a non-empty requirement.
 *
 * @throws Error when an operation lacks `operationId` or a known `x-tap-handler`.
 */
export function deriveRouteTable(document: ContractDocument): readonly Route[] {
  return checkedRoutes(createDocumentModel(document).operations);
}

/**
 * TAP's route table, derived from the contract at generation time (`generated/contract-facts.ts`,
 * which `check-generated` keeps current): reading it evaluates no document, so a function's
 * cold start does not pay for the OpenAPI document it never otherwise reads.
 */
export const routeTable: readonly Route[] = checkedRoutes(routes);
