/**
 * Tells apart the failures of a dependency that may pass on their own (timeouts,
 * throttling, 5xx, dropped connections) from everything else, which is a bug or a
 * misconfiguration and must surface as a 500; and turns the first kind into the domain's
 * {@link DependencyUnavailableError} at the adapter boundary, so that nothing above the
 * adapters (the HTTP layer in particular) needs to know what an SDK error looks like.
 */
import { DependencyUnavailableError } from '../../core/errors';

/** Error names the AWS SDK and Node use for transient failures. */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalServiceError',
  'InternalServiceErrorException',
]);

/** Socket-level error codes of Node's http stack. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $retryable?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly cause?: unknown;
}

const isObject = (value: unknown): value is ErrorLike =>
  typeof value === 'object' && value !== null;

function isTransient(error: ErrorLike): boolean {
  if (typeof error.name === 'string' && TRANSIENT_NAMES.has(error.name)) return true;
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  if (isObject(error.$retryable)) return true;
  const status = error.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return error.$fault === 'server';
}

/**
 * Whether an error (or one of its causes: wrappers such as Powertools' `GetParameterError`
 * keep the SDK error as `cause`) is a transient failure of a dependency.
 */
export function isDependencyFailure(error: unknown): boolean {
  let current: unknown = error;
  // Bounded: a cause chain can in principle be cyclic.
  for (let depth = 0; depth < 5 && isObject(current); depth += 1) {
    if (isTransient(current)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * The error a port's caller should see: a transient failure becomes
 * {@link DependencyUnavailableError} (the original kept as `cause`, for the log); anything
 * else (a domain error, a bug, a misconfiguration) passes through unchanged.
 */
export function toDomainFailure(dependency: string, error: unknown): unknown {
  if (error instanceof DependencyUnavailableError || !isDependencyFailure(error)) return error;
  return new DependencyUnavailableError(dependency, { cause: error });
}

/**
 * Wraps every method of a port implementation so that its transient failures reach the
 * core as {@link DependencyUnavailableError}. Each adapter applies it to what it returns.
 */
export function translateDependencyFailures<Port extends object>(
  dependency: string,
  port: Port,
): Port {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(port)) {
    wrapped[name] =
      typeof member === 'function'
        ? async (...args: unknown[]): Promise<unknown> => {
            try {
              return await (member as (...a: unknown[]) => Promise<unknown>).apply(port, args);
            } catch (error) {
              throw toDomainFailure(dependency, error);
            }
          }
        : member;
  }
  return wrapped as Port;
}
