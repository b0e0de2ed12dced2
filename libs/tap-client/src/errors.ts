import type { GatewayError, Problem, ProblemType } from '@tap/contracts';

/**
 * The request id headers, in order of preference: the API's own (every answer of a
 * handler carries it, also exposed to browsers by CORS), then API Gateway's, the only
 * one on an answer the gateway gives itself (401, 403, 429).
 */
const REQUEST_ID_HEADERS = ['x-request-id', 'apigw-requestid'] as const;

/** The problem type of an answer that has none: a gateway's `{ message }`, or no body. */
export const UNTYPED_PROBLEM = 'about:blank';

/** Base class of every error the client throws. */
export class TapError extends Error {
  override readonly name: string = 'TapError';
}

/** A request that got no answer: DNS, connection refused or reset, TLS, CORS. */
export class TapNetworkError extends TapError {
  override readonly name: string = 'TapNetworkError';
}

/** A call that did not complete within its timeout (`timeoutMs`), retries included. */
export class TapTimeoutError extends TapError {
  override readonly name: string = 'TapTimeoutError';

  /** @param timeoutMs - the timeout that expired. */
  constructor(readonly timeoutMs: number) {
    super(`The call did not complete within ${timeoutMs} ms`);
  }
}

/** What {@link TapApiError} is built from. */
export interface TapApiErrorInit {
  readonly status: number;
  readonly type: ProblemType | typeof UNTYPED_PROBLEM;
  readonly title: string;
  readonly detail?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  /** The API's problem body, when the API answered one. */
  readonly problem?: Problem;
  /** API Gateway's body, when the gateway answered itself. */
  readonly gateway?: GatewayError;
  /** `Retry-After` in milliseconds, when the answer had one. */
  readonly retryAfterMs?: number;
  readonly response: Response;
}

/**
 * An HTTP error answer, thrown with `throwOnError` (or by {@link unwrap}): a problem body
 * of the API, or a gateway's `{ message }` (then `type` is `about:blank` and `title` the
 * message), in the same shape. Subclasses by status: {@link TapValidationError},
 * {@link TapAuthError}, {@link TapNotFoundError}, {@link TapConflictError},
 * {@link TapRateLimitError}, {@link TapServerError}; other statuses (413, 415) are a plain
 * `TapApiError`.
 */
export class TapApiError extends TapError {
  override readonly name: string = 'TapApiError';
  readonly status: number;
  /** The problem type (`ProblemTypes` of the contract), or `about:blank`. */
  readonly type: ProblemType | typeof UNTYPED_PROBLEM;
  readonly title: string;
  readonly detail: string | undefined;
  /** The request id to quote in a support request: the answer's header, else the body's. */
  readonly requestId: string | undefined;
  /** Whether the same request may succeed later (the problem's `retryable`, else by status). */
  readonly retryable: boolean;
  readonly problem: Problem | undefined;
  readonly gateway: GatewayError | undefined;
  readonly retryAfterMs: number | undefined;
  /** The answer itself (its body has been read). Not enumerable: keeps the error printable. */
  declare readonly response: Response;

  constructor(init: TapApiErrorInit) {
    super(`${init.status} ${init.title}${init.detail ? `: ${init.detail}` : ''}`);
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.problem = init.problem;
    this.gateway = init.gateway;
    this.retryAfterMs = init.retryAfterMs;
    Object.defineProperty(this, 'response', { value: init.response, enumerable: false });
  }
}

/** 400 or 422: the request does not conform (`problem.errors` says where). */
export class TapValidationError extends TapApiError {
  override readonly name: string = 'TapValidationError';
}
/** 401 (no valid credential) or 403 (a credential without the scope). */
export class TapAuthError extends TapApiError {
  override readonly name: string = 'TapAuthError';
}
/** 404: no such item or file, or another tenant's. */
export class TapNotFoundError extends TapApiError {
  override readonly name: string = 'TapNotFoundError';
}
/** 409 or 412: a conflicting or stale (`If-Match`) write. */
export class TapConflictError extends TapApiError {
  override readonly name: string = 'TapConflictError';
}
/** 429: throttled; `retryAfterMs` says when to come back, if the answer said so. */
export class TapRateLimitError extends TapApiError {
  override readonly name: string = 'TapRateLimitError';
}
/** 5xx: the API (or a dependency of it) failed. */
export class TapServerError extends TapApiError {
  override readonly name: string = 'TapServerError';
}

/** A download that did not complete: the API refused the URL, or storage the bytes. */
export class TapDownloadError extends TapError {
  override readonly name: string = 'TapDownloadError';

  /**
   * @param stage - which step failed: asking the API for the URL, or the GET from storage.
   * @param status - HTTP status of the failed step.
   * @param problem - the API's problem body, when the API refused.
   */
  constructor(
    readonly stage: 'request-url' | 'download',
    readonly status: number,
    readonly problem?: Problem,
    options?: ErrorOptions,
  ) {
    super(
      stage === 'request-url'
        ? `The API refused the download (${status}${problem ? `: ${problem.title}` : ''})`
        : `Storage refused the download (${status})`,
      options,
    );
  }
}

/** The answer's request id: a header first, the problem body's `requestId` otherwise. */
export function requestIdOf(response: Response, body?: unknown): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return value;
  }
  return isObject(body) && typeof body.requestId === 'string' ? body.requestId : undefined;
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * `undefined` when absent or unreadable, 0 for a date in the past.
 */
export function retryAfterMs(response: Response, now: number = Date.now()): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP date form names its month; `Date.parse` alone would take `-1` for a year.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Statuses a client may retry whatever the body says: throttling and gateways. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isProblem = (body: unknown): body is Problem =>
  isObject(body) &&
  typeof body.type === 'string' &&
  typeof body.title === 'string' &&
  typeof body.status === 'number';

const isGatewayError = (body: unknown): body is GatewayError =>
  isObject(body) && typeof body.message === 'string';

/** The subclass of {@link TapApiError} for a status. */
function errorClassFor(status: number): new (init: TapApiErrorInit) => TapApiError {
  if (status === 400 || status === 422) return TapValidationError;
  if (status === 401 || status === 403) return TapAuthError;
  if (status === 404) return TapNotFoundError;
  if (status === 409 || status === 412) return TapConflictError;
  if (status === 429) return TapRateLimitError;
  if (status >= 500) return TapServerError;
  return TapApiError;
}

/**
 * Maps an error answer to a {@link TapApiError}: a problem body as it is, a gateway's
 * `{ message }` (or an unreadable body) as an `about:blank` problem of the same status.
 *
 * @param response - the answer (its body already read).
 * @param body - the parsed body: JSON when it was JSON, else its text (or `undefined`).
 */
export function toTapApiError(response: Response, body: unknown): TapApiError {
  const status = response.status;
  const common = {
    status,
    requestId: requestIdOf(response, body),
    retryAfterMs: retryAfterMs(response),
    response,
  };
  const ErrorClass = errorClassFor(status);
  if (isProblem(body)) {
    return new ErrorClass({
      ...common,
      type: body.type,
      title: body.title,
      detail: body.detail,
      retryable: body.retryable ?? TRANSIENT_STATUSES.has(status),
      problem: body,
    });
  }
  const gateway = isGatewayError(body) ? body : undefined;
  return new ErrorClass({
    ...common,
    type: UNTYPED_PROBLEM,
    title: gateway?.message ?? (response.statusText || `HTTP ${status}`),
    retryable: TRANSIENT_STATUSES.has(status),
    gateway,
  });
}
