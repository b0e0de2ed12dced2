import { openApiDocument } from './generated/openapi-document';

/** HTTP methods an OpenAPI path item can hold, in the order routes are listed. */
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Names of the Lambda functions that serve the API, from `x-tap-handler`. */
export type HandlerName = 'health' | 'api';

/** One route of the HTTP API, as the stack and the local cloud build it. */
export interface Route {
  /** The operation's `operationId`. */
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: Uppercase<(typeof HTTP_METHODS)[number]>;
  /** Path template with `{name}` parameters, as API Gateway HTTP APIs write it too. */
  readonly path: string;
  /** `METHOD /path`, the HTTP API route key. */
  readonly routeKey: string;
  /** The function that serves the route. */
  readonly handler: HandlerName;
  /** Whether the API-key authorizer guards the route. */
  readonly requiresApiKey: boolean;
}

const HANDLER_NAMES: readonly HandlerName[] = ['health', 'api'];

interface OperationLike {
  readonly operationId?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly 'x-tap-handler'?: string;
}

/**
 * Derives the route table from an OpenAPI document. Every operation must name its
 * function in `x-tap-handler`; an operation requires the API key when its effective
 * `security` (its own, else the document's) has a non-empty requirement.
 *
 * @throws Error when an operation lacks `operationId` or a known `x-tap-handler`.
 */
export function deriveRouteTable(document: {
  readonly paths: Record<string, unknown>;
  readonly security?: readonly Record<string, readonly string[]>[];
}): readonly Route[] {
  const routes: Route[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    const operations = pathItem as Record<string, OperationLike | undefined>;
    for (const method of HTTP_METHODS) {
      const operation = operations[method];
      if (operation === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.operationId) throw new Error(`${where} has no operationId`);
      const handler = operation['x-tap-handler'];
      if (!HANDLER_NAMES.includes(handler as HandlerName)) {
        throw new Error(
          `${where} has x-tap-handler ${JSON.stringify(handler)}; expected one of ${HANDLER_NAMES.join(', ')}`,
        );
      }
      const security = operation.security ?? document.security ?? [];
      const upper = method.toUpperCase() as Route['method'];
      routes.push({
        operationId: operation.operationId,
        method: upper,
        path,
        routeKey: `${upper} ${path}`,
        handler: handler as HandlerName,
        requiresApiKey: security.some((requirement) => Object.keys(requirement).length > 0),
      });
    }
  }
  return routes;
}

/** TAP's route table, derived from the contract. */
export const routeTable: readonly Route[] = deriveRouteTable(openApiDocument);
