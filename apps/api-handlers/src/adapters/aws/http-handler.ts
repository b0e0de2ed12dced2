/**
 * The HTTP settings every AWS SDK client of TAP's functions shares.
 *
 * Every client fails fast: a 1 s connection timeout, a 3 s request timeout that throws,
 * and at most 2 attempts, so even a hung dependency answers as a 503 after about 7 s,
 * well inside the function's 30 s timeout.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Connection timeout of every client, in ms. */
export const CONNECTION_TIMEOUT_MS = 1000;
/** Time allowed for a response once connected, in ms. */
export const REQUEST_TIMEOUT_MS = 3000;
/** Attempts per call, first one included. */
export const MAX_ATTEMPTS = 2;

/** A request handler with TAP's timeouts; each client gets its own. */
export function createHttpHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Without it a request timeout only logs a warning and the call keeps waiting.
    throwOnRequestTimeout: true,
  });
}
