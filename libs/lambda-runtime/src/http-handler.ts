/**
 * The HTTP settings every AWS SDK client of TAP's functions shares.
 *
 * Every client fails fast: by default a 1 s connection timeout, a 3 s request timeout that
 * throws, and at most 2 attempts, so even a hung dependency answers as a 503 after about
 * 7 s, well inside the API function's 30 s timeout. A caller with a tighter budget (the
 * health checks) passes its own.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Connection timeout of every client, in ms. */
export const CONNECTION_TIMEOUT_MS = 1000;
/** Time allowed for a response once connected, in ms. */
export const REQUEST_TIMEOUT_MS = 3000;
/** Attempts per call, first one included. */
export const MAX_ATTEMPTS = 2;

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Default {@link CONNECTION_TIMEOUT_MS}. */
  readonly connectionTimeoutMs?: number;
  /** Default {@link REQUEST_TIMEOUT_MS}. */
  readonly requestTimeoutMs?: number;
}

/** A request handler with TAP's timeouts; each client gets its own. */
export function createHttpHandler(options: HttpHandlerOptions = {}): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // Without it a request timeout only logs a warning and the call keeps waiting.
    throwOnRequestTimeout: true,
  });
}
