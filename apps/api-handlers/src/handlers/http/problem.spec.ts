import { MAX_REQUEST_BODY_BYTES, ProblemTypes } from '@tap/contracts';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import {
  isDependencyFailure,
  toDomainFailure,
  translateDependencyFailures,
} from '../../adapters/aws/dependency-failure';
import {
  AttributeLimitExceededError,
  DependencyUnavailableError,
  FileLimitExceededError,
  FileNotFoundError,
  FileNotUploadedError,
  FileTooLargeError,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InvalidCursorError,
  ItemNotFoundError,
  ItemStorageExceededError,
  MalformedJsonError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RouteNotFoundError,
  TransactionContentionError,
  UnsupportedMediaTypeError,
  UpdateContentionError,
  ValidationError,
} from '../../core/errors';
import { toProblem } from './problem';

const ITEM = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';
const SECRET_DETAIL = 'arn:aws:dynamodb:us-west-2:123456789012:table/secret-table';

/** An error shaped like the AWS SDK's. */
const sdkError = (name: string, fields: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name}: ${SECRET_DETAIL}`), { name, ...fields });

describe('toProblem', () => {
  it.each([
    [
      new ValidationError([{ path: '/body/name', message: 'is required' }]),
      400,
      ProblemTypes.validationFailed,
    ],
    [new MalformedJsonError(), 400, ProblemTypes.malformedJson],
    [new InvalidCursorError(), 400, ProblemTypes.invalidCursor],
    [new AttributeLimitExceededError(50, 51), 400, ProblemTypes.attributeLimitExceeded],
    [new ItemNotFoundError(ITEM), 404, ProblemTypes.itemNotFound],
    [new FileNotFoundError(ITEM, ITEM), 404, ProblemTypes.fileNotFound],
    [new RouteNotFoundError('GET /nope'), 404, ProblemTypes.routeNotFound],
    [new FileLimitExceededError(10), 409, ProblemTypes.fileLimitExceeded],
    [new FileNotUploadedError(ITEM, ITEM), 409, ProblemTypes.fileNotUploaded],
    [new PreconditionFailedError(1, 2), 412, ProblemTypes.preconditionFailed],
    [new IdempotencyKeyInUseError(), 409, ProblemTypes.idempotencyKeyInUse],
    [new IdempotencyKeyReusedError(), 422, ProblemTypes.idempotencyKeyReused],
    [new PayloadTooLargeError(MAX_REQUEST_BODY_BYTES), 413, ProblemTypes.payloadTooLarge],
    [new FileTooLargeError(10), 413, ProblemTypes.fileTooLarge],
    [new ItemStorageExceededError(10), 413, ProblemTypes.itemStorageExceeded],
    [new UnsupportedMediaTypeError(), 415, ProblemTypes.unsupportedMediaType],
    [new DependencyUnavailableError('S3'), 503, ProblemTypes.dependencyUnavailable],
    [new UpdateContentionError(ITEM), 503, ProblemTypes.dependencyUnavailable],
    [new TransactionContentionError(ITEM), 503, ProblemTypes.dependencyUnavailable],
  ])('maps %p to %d %s', (error, status, type) => {
    const { problem } = toProblem(error);

    expect(problem.status).toBe(status);
    expect(problem.type).toBe(type);
    expect(problem.title).toEqual(expect.any(String));
  });

  it('asks for Retry-After on a key in use and on an outage, and on nothing else', () => {
    expect(toProblem(new IdempotencyKeyInUseError()).headers).toEqual({ 'retry-after': '1' });
    expect(toProblem(new DependencyUnavailableError('S3')).headers).toEqual({
      'retry-after': '1',
    });
    expect(toProblem(new IdempotencyKeyReusedError()).headers).toBeUndefined();
    expect(toProblem(new ItemNotFoundError(ITEM)).headers).toBeUndefined();
  });

  it('carries the field errors of a validation failure', () => {
    const { problem } = toProblem(
      new ValidationError([{ path: '/query/limit', message: 'must be >= 1' }]),
    );

    expect(problem.errors).toEqual([{ path: '/query/limit', message: 'must be >= 1' }]);
  });

  it('marks dependency failures retryable and nothing else', () => {
    expect(toProblem(new DependencyUnavailableError('S3')).problem.retryable).toBe(true);
    expect(toProblem(new ItemNotFoundError(ITEM)).problem).not.toHaveProperty('retryable');
  });

  it('answers an unknown error with a generic 500 that says nothing about it', () => {
    const error = new TypeError(`Cannot read properties of undefined (${SECRET_DETAIL})`);

    const mapped = toProblem(error);

    expect(mapped).toEqual({
      cause: 'internal',
      problem: { type: ProblemTypes.internalError, title: 'Internal error', status: 500 },
    });
  });

  it.each([
    ['an SDK timeout', sdkError('TimeoutError')],
    ['a socket timeout', sdkError('Error', { code: 'ETIMEDOUT' })],
    ['a refused connection', sdkError('Error', { code: 'ECONNREFUSED' })],
    ['a reset connection', sdkError('Error', { code: 'ECONNRESET' })],
    ['throttling', sdkError('ThrottlingException', { $retryable: { throttling: true } })],
    ['a 5xx', sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
    ['a 503', sdkError('Unknown', { $metadata: { httpStatusCode: 503 } })],
    ['a server fault', sdkError('Whatever', { $fault: 'server' })],
    [
      'a real SDK exception',
      new ProvisionedThroughputExceededException({
        $metadata: { httpStatusCode: 400 },
        message: SECRET_DETAIL,
      }),
    ],
    [
      'a Powertools wrapper of a timeout',
      new GetParameterError('wrapped', { cause: sdkError('TimeoutError') }),
    ],
  ])(
    'answers %s, as its adapter translates it, with a retryable 503 and no AWS detail',
    (_, error) => {
      const mapped = toProblem(toDomainFailure('DynamoDB', error));

      expect(mapped.cause).toBe('dependency');
      expect(mapped.problem).toEqual({
        type: ProblemTypes.dependencyUnavailable,
        title: 'A dependency is unavailable; retry later',
        status: 503,
        retryable: true,
      });
      expect(JSON.stringify(mapped.problem)).not.toMatch(/arn:|Exception|Timeout|secret-table/);
    },
  );

  it.each([
    [
      'access denied',
      sdkError('AccessDeniedException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a validation exception',
      sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a missing table',
      sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }),
    ],
  ])('answers %s (a deployment or code error) with a 500', (_, error) => {
    expect(toProblem(toDomainFailure('DynamoDB', error)).problem.status).toBe(500);
  });

  it('answers a raw SDK timeout that no adapter translated with a 500: the HTTP layer knows only domain errors', () => {
    expect(toProblem(sdkError('TimeoutError')).problem.status).toBe(500);
  });
});

describe('isDependencyFailure', () => {
  it('follows causes, but not forever', () => {
    const cyclic: Error & { cause?: unknown } = new Error('loop');
    cyclic.cause = cyclic;

    expect(
      isDependencyFailure(
        new Error('outer', { cause: new Error('mid', { cause: sdkError('TimeoutError') }) }),
      ),
    ).toBe(true);
    expect(isDependencyFailure(cyclic)).toBe(false);
  });

  it('is false for non-errors', () => {
    expect(isDependencyFailure(undefined)).toBe(false);
    expect(isDependencyFailure('TimeoutError')).toBe(false);
  });
});

describe('translateDependencyFailures', () => {
  const port = {
    timesOut: async (): Promise<never> => {
      throw sdkError('TimeoutError');
    },
    isMissing: async (): Promise<never> => {
      throw new ItemNotFoundError(ITEM);
    },
    isMisconfigured: async (): Promise<never> => {
      throw sdkError('AccessDeniedException', { $metadata: { httpStatusCode: 400 } });
    },
    answers: async (value: number): Promise<number> => value * 2,
  };
  const translated = translateDependencyFailures('DynamoDB', port);

  it('turns a transient failure into DependencyUnavailableError, keeping it as the cause', async () => {
    const error: unknown = await translated.timesOut().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'DynamoDB', cause: { name: 'TimeoutError' } });
  });

  it('lets domain errors and non-transient failures through unchanged', async () => {
    await expect(translated.isMissing()).rejects.toBeInstanceOf(ItemNotFoundError);
    await expect(translated.isMisconfigured()).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('passes arguments and results through', async () => {
    await expect(translated.answers(21)).resolves.toBe(42);
  });
});
