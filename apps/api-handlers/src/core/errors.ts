/**
 * The API's domain errors. Code throws these; `toProblem` (src/http/problem.ts) is the one
 * place that turns them into HTTP answers, so a status code or problem type never gets
 * chosen anywhere else.
 */

/** One offending value, as the contract's `ProblemFieldError`. */
export interface FieldError {
  /** JSON Pointer prefixed with where the value came from: `/body`, `/query`, `/path`, `/headers`. */
  readonly path: string;
  readonly message: string;
}

/** Base class of every error the API answers with a specific problem type. */
export abstract class DomainError extends Error {
  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request does not match the contract (or a storage rule the contract cannot express). */
export class ValidationError extends DomainError {
  constructor(readonly errors: readonly FieldError[]) {
    super(`Request validation failed: ${errors.length} error(s)`);
  }
}

/** The body is not valid JSON (or not UTF-8). */
export class MalformedJsonError extends DomainError {
  constructor() {
    super('The request body is not valid JSON');
  }
}

/** The body's Content-Type is not a JSON media type. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super('The request body must be JSON');
  }
}

/** The decoded request body is over the API's size limit. */
export class PayloadTooLargeError extends DomainError {
  constructor(readonly limitBytes: number) {
    super(`The request body is over ${limitBytes} bytes`);
  }
}

/** A requested upload is over the configured upload limit. */
export class FileTooLargeError extends DomainError {
  constructor(readonly limitBytes: number) {
    super(`Uploads are limited to ${limitBytes} bytes`);
  }
}

/** The pagination cursor was modified, truncated or not issued by this API. */
export class InvalidCursorError extends DomainError {
  constructor() {
    super('The cursor is not valid');
  }
}

/** No item has the given id. */
export class ItemNotFoundError extends DomainError {
  constructor(readonly itemId: string) {
    super(`Item ${itemId} does not exist`);
  }
}

/** No uploaded file has the given id under the item. */
export class FileNotFoundError extends DomainError {
  constructor(
    readonly itemId: string,
    readonly fileId: string,
  ) {
    super(`File ${fileId} of item ${itemId} does not exist`);
  }
}

/** The item holds as many files as it may; nothing was written. */
export class FileLimitExceededError extends DomainError {
  constructor(readonly limit: number) {
    super(`An item holds at most ${limit} files`);
  }
}

/** The item's files would exceed the bytes it may hold; nothing was written. */
export class ItemStorageExceededError extends DomainError {
  constructor(readonly limitBytes: number) {
    super(`An item's files hold at most ${limitBytes} bytes`);
  }
}

/** The file was granted but its upload has not been confirmed (yet). */
export class FileNotUploadedError extends DomainError {
  constructor(
    readonly itemId: string,
    readonly fileId: string,
  ) {
    super(`File ${fileId} of item ${itemId} has not been uploaded`);
  }
}

/** The caller is authenticated but lacks a scope the route requires; nothing was done. */
export class InsufficientScopeError extends DomainError {
  constructor(
    /** The scopes the caller lacks. */
    readonly missing: readonly string[],
  ) {
    super(`Missing scope(s): ${missing.join(', ')}`);
  }
}

/**
 * A guarded route arrived without a principal in the authorizer context: the route was
 * deployed without the authorizer. A deployment error, never the caller's: it is answered
 * as an internal error (and alarms), and nothing is read or changed.
 */
export class MissingPrincipalError extends Error {
  constructor(readonly routeKey: string) {
    super(`${routeKey} reached the API without a principal in the authorizer context`);
    this.name = 'MissingPrincipalError';
  }
}

/** The gateway sent a route this function does not serve. */
export class RouteNotFoundError extends DomainError {
  constructor(readonly routeKey: string) {
    super('No such route');
  }
}

/** `If-Match` names a version that is no longer current; nothing was changed. */
export class PreconditionFailedError extends DomainError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`Expected version ${expectedVersion}, current is ${currentVersion}`);
  }
}

/** The merge would leave the item with more attributes than the contract allows. */
export class AttributeLimitExceededError extends DomainError {
  constructor(
    readonly limit: number,
    readonly resultingCount: number,
  ) {
    super(`An item holds at most ${limit} attributes; the update would leave ${resultingCount}`);
  }
}

/**
 * A dependency (DynamoDB, S3, Secrets Manager) failed in a way that may pass: timeout,
 * throttling, a 5xx, a dropped connection, or an item changing faster than we can write it.
 */
export class DependencyUnavailableError extends DomainError {
  /**
   * @param dependency which service failed (for the log, never for the client)
   * @param options `cause`: the adapter's original error, kept for the log
   */
  constructor(
    readonly dependency: string,
    options?: ErrorOptions,
  ) {
    super(`${dependency} is unavailable`, options);
  }
}

/**
 * Concurrent writers kept changing the item between our read and our conditional write,
 * more often than the bounded retry allows. Retrying later succeeds.
 */
export class UpdateContentionError extends DependencyUnavailableError {
  constructor(readonly itemId: string) {
    super('the item store (concurrent updates)');
  }
}

/**
 * An earlier request with the same idempotency key is still being served; nothing was done.
 * The caller repeats the request after `retryAfterSeconds` and gets the first one's answer.
 */
export class IdempotencyKeyInUseError extends DomainError {
  /** How long the caller should wait before repeating the request. */
  readonly retryAfterSeconds = 1;

  constructor(options?: ErrorOptions) {
    super('A request with this idempotency key is still in progress', options);
  }
}

/** The idempotency key was already used for a different request; nothing was done. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(options?: ErrorOptions) {
    super('The idempotency key was used for a different request', options);
  }
}

/**
 * A transaction lost to a concurrent one on the same item (DynamoDB's
 * `TransactionConflict`), or the item changed between the write and the read explaining its
 * failure. Nothing was written; retrying succeeds.
 */
export class TransactionContentionError extends DependencyUnavailableError {
  constructor(readonly itemId: string) {
    super('the item store (concurrent transactions)');
  }
}
