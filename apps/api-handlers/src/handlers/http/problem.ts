/**
 * The one mapping from errors to RFC 9457 problem details. Titles and details are written
 * here, never copied from an error: no AWS error name, message, ARN or stack can reach a
 * client.
 */
import type { Problem, ProblemType } from '@tap/contracts';
import { ProblemTypes } from '@tap/contracts';
import {
  AttributeLimitExceededError,
  DependencyUnavailableError,
  FileLimitExceededError,
  FileNotFoundError,
  FileNotUploadedError,
  FileTooLargeError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InsufficientScopeError,
  InvalidCursorError,
  ItemNotFoundError,
  ItemStorageExceededError,
  MalformedJsonError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../core/errors';

/** How an error is answered; `requestId` is added by the caller. */
export type ProblemWithoutRequestId = Omit<Problem, 'requestId'> & { readonly type: ProblemType };

/** Whether the error was expected (a client's mistake or a known outage) or a bug. */
export interface MappedProblem {
  readonly problem: ProblemWithoutRequestId;
  /** `client`: 4xx; `dependency`: 503; `internal`: 500, worth an error log. */
  readonly cause: 'client' | 'dependency' | 'internal';
  /** Response headers the problem calls for (`retry-after`), beside the standard ones. */
  readonly headers?: Readonly<Record<string, string>>;
}

const client = (problem: ProblemWithoutRequestId): MappedProblem => ({ problem, cause: 'client' });

/** Seconds a download of a file whose upload is not confirmed yet is asked to wait. */
export const FILE_CONFIRMATION_RETRY_AFTER_SECONDS = 1;

/** How long a caller should wait before repeating a request that met an outage, in seconds. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 1;

/** The `Retry-After` header (the contract's `RetryAfter`: whole seconds). */
const retryAfter = (seconds: number): Readonly<Record<string, string>> => ({
  'retry-after': String(seconds),
});

/** Maps any thrown value to the problem the API answers with. */
export function toProblem(error: unknown): MappedProblem {
  if (error instanceof ValidationError) {
    return client({
      type: ProblemTypes.validationFailed,
      title: 'The request does not match the API contract',
      status: 400,
      errors: error.errors.map(({ path, message }) => ({ path, message })),
    });
  }
  if (error instanceof MalformedJsonError) {
    return client({
      type: ProblemTypes.malformedJson,
      title: 'The request body is not valid JSON',
      status: 400,
    });
  }
  if (error instanceof InvalidCursorError) {
    return client({
      type: ProblemTypes.invalidCursor,
      title: 'The cursor is not valid',
      status: 400,
      detail: 'Pass a nextCursor from a previous page unchanged, or omit cursor to start over.',
    });
  }
  if (error instanceof AttributeLimitExceededError) {
    return client({
      type: ProblemTypes.attributeLimitExceeded,
      title: 'Too many attributes',
      status: 400,
      detail: `An item holds at most ${error.limit} attributes; this update would leave ${error.resultingCount}.`,
    });
  }
  if (error instanceof InsufficientScopeError) {
    return client({
      type: ProblemTypes.insufficientScope,
      title: 'The credential lacks a required scope',
      status: 403,
      detail: `This operation needs the scope(s) ${error.missing.join(', ')}. Nothing was read or changed.`,
    });
  }
  if (error instanceof ItemNotFoundError) {
    return client({ type: ProblemTypes.itemNotFound, title: 'Item not found', status: 404 });
  }
  if (error instanceof FileNotFoundError) {
    return client({ type: ProblemTypes.fileNotFound, title: 'File not found', status: 404 });
  }
  if (error instanceof RouteNotFoundError) {
    return client({ type: ProblemTypes.routeNotFound, title: 'Route not found', status: 404 });
  }
  if (error instanceof PreconditionFailedError) {
    return client({
      type: ProblemTypes.preconditionFailed,
      title: 'The item has changed',
      status: 412,
      detail: `If-Match names version ${error.expectedVersion}; the current version is ${error.currentVersion}. Nothing was changed.`,
    });
  }
  if (error instanceof IdempotencyKeyInUseError) {
    return {
      cause: 'client',
      headers: retryAfter(error.retryAfterSeconds),
      problem: {
        type: ProblemTypes.idempotencyKeyInUse,
        title: 'A request with this idempotency key is still in progress',
        status: 409,
        detail: `Repeat the request after ${error.retryAfterSeconds} second(s) to get its answer. Nothing was changed.`,
      },
    };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return client({
      type: ProblemTypes.idempotencyKeyReused,
      title: 'The idempotency key was used for a different request',
      status: 422,
      detail: 'Use a new Idempotency-Key for a different request. Nothing was changed.',
    });
  }
  if (error instanceof FileLimitExceededError) {
    return client({
      type: ProblemTypes.fileLimitExceeded,
      title: 'The item holds as many files as it may',
      status: 409,
      detail: `An item holds at most ${error.limit} files, granted uploads included. Delete one first; nothing was written.`,
    });
  }
  if (error instanceof FileNotUploadedError) {
    // An upload that has just arrived is confirmed within moments: a client that waits a
    // second and asks again (the typed client does) usually gets its download.
    return {
      cause: 'client',
      headers: retryAfter(FILE_CONFIRMATION_RETRY_AFTER_SECONDS),
      problem: {
        type: ProblemTypes.fileNotUploaded,
        title: 'The file has not been uploaded yet',
        status: 409,
        detail:
          'Upload the file to its URL first; it can be downloaded once the upload is confirmed.',
      },
    };
  }
  if (error instanceof ItemStorageExceededError) {
    return client({
      type: ProblemTypes.itemStorageExceeded,
      title: "The item's files would be too large",
      status: 413,
      detail: `An item's files hold at most ${error.limitBytes} bytes, granted uploads included. Nothing was written.`,
    });
  }
  if (error instanceof PayloadTooLargeError) {
    return client({
      type: ProblemTypes.payloadTooLarge,
      title: 'The request body is too large',
      status: 413,
      detail: `The limit is ${error.limitBytes} bytes.`,
    });
  }
  if (error instanceof FileTooLargeError) {
    return client({
      type: ProblemTypes.fileTooLarge,
      title: 'The file is too large',
      status: 413,
      detail: `Uploads are limited to ${error.limitBytes} bytes.`,
    });
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return client({
      type: ProblemTypes.unsupportedMediaType,
      title: 'The request body must be JSON',
      status: 415,
      detail: 'Send Content-Type: application/json (or application/merge-patch+json).',
    });
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      cause: 'dependency',
      headers: retryAfter(DEPENDENCY_RETRY_AFTER_SECONDS),
      problem: {
        type: ProblemTypes.dependencyUnavailable,
        title: 'A dependency is unavailable; retry later',
        status: 503,
        retryable: true,
      },
    };
  }
  return {
    cause: 'internal',
    problem: { type: ProblemTypes.internalError, title: 'Internal error', status: 500 },
  };
}
