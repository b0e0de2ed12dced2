import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '@tap/contracts';
import { retryAfterMs, TapNetworkError } from './errors';

/**
 * Header of a POST or PATCH that makes it safe to send again (the contract's
 * `Idempotency-Key`): the API answers a repeat of a key it has seen with the first answer
 * (`Idempotent-Replayed: true`) instead of applying the write twice.
 */
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER };

/** How a call is retried; every field has a default. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3); 1 sends once. */
  readonly attempts?: number;
  /** Back-off before the second attempt, doubled per attempt (default 100 ms). */
  readonly baseDelayMs?: number;
  /**
   * Longest back-off (default 10 s). A `Retry-After` longer than this is not waited for:
   * the answer is returned (or thrown) as it is.
   */
  readonly maxDelayMs?: number;
}

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
};

/** What one call's fetch knows about the call. */
export interface CallContext {
  /** The fetch that sends one attempt. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** `undefined`: send once. */
  readonly retry: Required<RetryOptions> | undefined;
  /** Set on a POST or PATCH that has no key of the caller's; `undefined`: none added. */
  readonly idempotencyKey: string | undefined;
  /** The call's signal: the caller's, the client's and the timeout's in one. */
  readonly signal: AbortSignal;
  /** When the call's timeout expires (epoch ms), if it has one. */
  readonly deadline: number | undefined;
  /** Source of the jitter; `Math.random` but in tests. */
  readonly random?: () => number;
}

/**
 * Why a request may be sent again: `idempotent` by its method (or a PATCH conditional on
 * `If-Match`), `keyed` by its `Idempotency-Key`; `undefined` when it may not.
 */
type Replay = 'idempotent' | 'keyed' | undefined;

function replayOf(request: Request): Replay {
  switch (request.method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'PUT':
    case 'DELETE':
      return 'idempotent';
    case 'PATCH':
      if (request.headers.has('if-match')) return 'idempotent';
      return request.headers.has(IDEMPOTENCY_KEY_HEADER) ? 'keyed' : undefined;
    case 'POST':
      return request.headers.has(IDEMPOTENCY_KEY_HEADER) ? 'keyed' : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether an answer is worth another attempt: throttling (429) and gateway failures
 * (502, 503, 504) always; 500 only when the request is idempotent by itself (a keyed
 * write answered 500 is more likely a bug than a blip, and its key may be spent); 409
 * only when told to come back (`Retry-After`), for a keyed write (the first request with
 * that key is still in flight) or a GET (a download whose upload is not confirmed yet).
 */
function retriesStatus(request: Request, response: Response, replay: Replay): boolean {
  switch (response.status) {
    case 429:
    case 502:
    case 503:
    case 504:
      return true;
    case 500:
      return replay === 'idempotent';
    case 409:
      // Told to come back: the first request with the key is still in flight, or (a GET)
      // the file's upload is about to be confirmed.
      return (
        (replay === 'keyed' || request.method === 'GET') && response.headers.has('retry-after')
      );
    default:
      return false;
  }
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
const backOff = (retry: Required<RetryOptions>, attempt: number, random: () => number) =>
  random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Releases an answer that is replaced by another attempt's. */
const discard = (response: Response) => response.body?.cancel().catch(() => undefined);

/**
 * Sends one call's request, again when that is safe and worth it (see `retriesStatus`),
 * waiting `Retry-After` or an exponential back-off with full jitter in between. Each
 * attempt of a request with a body sends a clone, so the body is there for the next one.
 *
 * Used as the call's openapi-fetch `fetch` rather than as a middleware: middlewares run
 * once per call around it (the API key, the access token), and a retry inside `fetch`
 * is invisible to them but for its final answer.
 *
 * @throws the signal's reason when the call is aborted or times out;
 *   {@link TapNetworkError} when the last attempt got no answer.
 */
export async function sendWithRetries(request: Request, context: CallContext): Promise<Response> {
  if (
    context.idempotencyKey !== undefined &&
    (request.method === 'POST' || request.method === 'PATCH') &&
    !request.headers.has(IDEMPOTENCY_KEY_HEADER)
  ) {
    request.headers.set(IDEMPOTENCY_KEY_HEADER, context.idempotencyKey);
  }
  const replay = context.retry ? replayOf(request) : undefined;
  const retry = replay ? context.retry : undefined;
  const attempts = retry ? Math.max(1, Math.floor(retry.attempts)) : 1;
  const random = context.random ?? Math.random;

  for (let attempt = 1; ; attempt += 1) {
    const last = attempt >= attempts;
    let response: Response;
    try {
      // A body is consumed by sending it: the next attempt needs a copy. A request without
      // one can be sent again as it is (cloning costs each call microseconds).
      response = await context.fetch(last || request.body === null ? request : request.clone());
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      if (last || !retry) {
        throw new TapNetworkError(`${request.method} ${request.url} got no answer`, {
          cause: error,
        });
      }
      await sleep(backOff(retry, attempt, random), context.signal);
      continue;
    }
    if (last || !retry || !retriesStatus(request, response, replay)) return response;
    const delay = retryAfterMs(response) ?? backOff(retry, attempt, random);
    // Coming back later than allowed (or than the call has left) would only waste the
    // wait: the answer at hand is the call's.
    if (delay > retry.maxDelayMs) return response;
    if (context.deadline !== undefined && Date.now() + delay >= context.deadline) return response;
    await discard(response);
    await sleep(delay, context.signal);
  }
}
