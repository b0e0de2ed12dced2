/**
 * The idempotency port: a write sent again with the same `Idempotency-Key` is answered with
 * the first one's response instead of being done twice. The DynamoDB adapter (Powertools
 * Idempotency) implements it; the dispatcher uses it for the routes the contract marks
 * idempotent, and only when the request carries a key.
 */
import type { IdempotentCompletion } from './commit-alongside';

/** An HTTP answer as it is remembered: what a replay sends again. */
export interface StoredResponse {
  readonly statusCode: number;
  /** The route's own headers (`location`, `etag`), without the per-request ones. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The serialised body; absent for 204. */
  readonly body?: string;
}

/** One keyed request, as the guard tells requests apart. */
export interface IdempotentRequest {
  /** Who is calling: a key belongs to its caller, so two callers never share one. */
  readonly caller: { readonly tenant: string; readonly kind: string; readonly subject: string };
  /** The route (`operationId`): the same key on another route is another key. */
  readonly operationId: string;
  /** The caller's `Idempotency-Key`. */
  readonly key: string;
  /**
   * What makes two requests the same request (path parameters, `If-Match`, body): the same
   * key with another payload is refused.
   */
  readonly payload: unknown;
}

/** The answer of a guarded request. */
export interface GuardedResponse {
  readonly response: StoredResponse;
  /** `true` when `response` is the stored answer of an earlier request. */
  readonly replayed: boolean;
}

/**
 * Runs each keyed request at most once per key until the key expires.
 *
 * - a new key: `serve` runs; its answer is remembered, either committed by the route with its
 *   own write (`completion.alongside`) or saved after `serve` returns;
 * - the same key and payload after completion: the stored answer, `replayed: true`;
 * - while the first request is still running: `IdempotencyKeyInUseError`;
 * - the same key with another payload: `IdempotencyKeyReusedError`;
 * - when `serve` throws, nothing is remembered and the error is rethrown: the caller may
 *   repeat the request with the same key.
 */
export interface IdempotencyGuard {
  run(
    request: IdempotentRequest,
    serve: (completion: IdempotentCompletion) => Promise<StoredResponse>,
  ): Promise<GuardedResponse>;
}
