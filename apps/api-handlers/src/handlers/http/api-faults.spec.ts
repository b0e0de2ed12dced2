/**
 * Failures no emulator produces on demand (throttling, 5xx, partial deletes, a secret
 * store outage, an item rewritten between every read and write), injected with
 * aws-sdk-client-mock under the real adapters and handler.
 */
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { Item, Problem } from '@tap/contracts';
import { API_KEY_HEADER, DEFAULT_FILE_QUOTAS, ProblemTypes } from '@tap/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { createApiHandler } from './api-handler';
import { createS3FileStore } from '../../adapters/s3/s3-file-store';
import { createDynamoDbItemStore } from '../../adapters/dynamodb/dynamodb-item-store';
import { createDynamoDbFileRecordStore } from '../../adapters/dynamodb/dynamodb-file-record-store';
import type { FileRecord } from '../../core/file-record-store';
import { NO_TRACING } from '@tap/lambda-runtime';
import type { TestRequest } from '../../../test/support/api-events';
import { apiEvent, readResult, TEST_PRINCIPAL } from '../../../test/support/api-events';
import type { FakeSecretReader } from '../../../test/support/fake-secrets';
import { fakeSecretReader } from '../../../test/support/fake-secrets';
import type { RecordingMetrics } from '../../../test/support/recording-metrics';
import { recordingMetrics } from '../../../test/support/recording-metrics';

const ITEM_ID = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';
const FILE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const OBJECT_KEY = `tenants/acme/items/${ITEM_ID}/${FILE_ID}/a.txt`;

const storedRecord: FileRecord = {
  itemId: ITEM_ID,
  fileId: FILE_ID,
  fileName: 'a.txt',
  contentType: 'text/plain',
  size: 1,
  status: 'confirmed',
  createdAt: '2030-01-01T00:00:00.000Z',
  uploadedAt: '2030-01-01T00:00:01.000Z',
  objectKey: OBJECT_KEY,
};
const LEAKY = 'arn:aws:dynamodb:us-west-2:123456789012:table/tap-data-table-prod';

const storedItem = (version: number, attributes: Record<string, number> = {}): Item => ({
  id: ITEM_ID,
  name: 'Stored',
  tags: [],
  attributes,
  version,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
});

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-west-2' }));
// Credentials of its own: presigning signs locally, with no call to mock.
const s3Client = new S3Client({
  region: 'us-west-2',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const dynamoDb = mockClient(documentClient);
const s3 = mockClient(s3Client);
let secrets: FakeSecretReader;
let metrics: RecordingMetrics;
let logLines: string[];

const api = (logger = new Logger({ logLevel: 'SILENT' })) =>
  createApiHandler({
    items: createDynamoDbItemStore({ client: documentClient, tableName: 'items' }),
    records: createDynamoDbFileRecordStore({
      client: documentClient,
      tableName: 'items',
      fileTableName: 'file-records',
    }),
    fileQuotas: DEFAULT_FILE_QUOTAS,
    files: createS3FileStore({ client: s3Client, bucketName: 'files' }),
    secrets,
    cursorKeySecretId: 'cursor-key',
    maxUploadBytes: 1024,
    logger,
    metrics,
    tracing: NO_TRACING,
  });

const call = async (routeKey: string, request?: TestRequest, logger?: Logger) =>
  readResult<Problem>(await api(logger)(apiEvent(routeKey, request)));

const expectNoLeak = (body: Problem): void => {
  expect(JSON.stringify(body)).not.toMatch(/arn:|tap-data-table|Exception|stack|at /);
};

beforeEach(() => {
  dynamoDb.reset();
  s3.reset();
  secrets = fakeSecretReader({ 'cursor-key': { signingKey: 'k'.repeat(32) } });
  metrics = recordingMetrics();
  logLines = [];
});

describe('when DynamoDB fails', () => {
  it('answers throttling with a retryable 503 that reveals nothing', async () => {
    dynamoDb.on(GetCommand).rejects(
      new ProvisionedThroughputExceededException({
        $metadata: {},
        message: `Rate exceeded for ${LEAKY}`,
      }),
    );

    const response = await call('GET /api/items/{id}', { path: { id: ITEM_ID } });

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      type: ProblemTypes.dependencyUnavailable,
      title: 'A dependency is unavailable; retry later',
      status: 503,
      retryable: true,
      requestId: response.headers['x-request-id'],
    });
    expectNoLeak(response.body);
    expect(metrics.flattened()).toEqual([
      expect.objectContaining({ route: 'getItem', RequestCount: 1, ErrorCount: 1 }),
    ]);
  });

  it('answers an unexpected error with a generic 500 that reveals nothing', async () => {
    dynamoDb.on(QueryCommand).rejects(
      Object.assign(new Error(`One or more parameter values were invalid: ${LEAKY}`), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const response = await call('GET /api/items');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      type: ProblemTypes.internalError,
      title: 'Internal error',
      status: 500,
      requestId: response.headers['x-request-id'],
    });
    expectNoLeak(response.body);
    expect(metrics.flattened()).toEqual([
      expect.objectContaining({
        route: 'listItems',
        RequestCount: 1,
        ErrorCount: 1,
        ClientErrorCount: 0,
      }),
    ]);
  });

  it('gives up with a retryable 503 when the item changes between every read and write', async () => {
    let version = 1;
    dynamoDb.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        $metadata: {},
        message: 'The conditional request failed',
      }),
    );
    dynamoDb.on(GetCommand).callsFake(async () => ({ Item: storedItem((version += 1)) }));

    const response = await call('PATCH /api/items/{id}', {
      path: { id: ITEM_ID },
      json: { attributes: { a: 1 } },
    });

    expect(response.status).toBe(503);
    expect(response.body.retryable).toBe(true);
    expect(dynamoDb.commandCalls(UpdateCommand)).toHaveLength(2);
    const retry = dynamoDb.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(retry?.ConditionExpression).toBe(
      'attribute_exists(#id) AND #version = :expectedVersion AND attribute_not_exists(#deleting)',
    );
  });
});

describe('when a grant loses a transaction to another', () => {
  it('answers a retryable 503 and reads nothing to explain it', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedItem(1) });
    dynamoDb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        $metadata: {},
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );

    const response = await call('POST /api/items/{id}/files', {
      path: { id: ITEM_ID },
      json: { fileName: 'a.txt', contentType: 'text/plain', contentLength: 1 },
    });

    expect(response.status).toBe(503);
    expect(response.body.retryable).toBe(true);
    expectNoLeak(response.body);
    expect(dynamoDb.commandCalls(GetCommand)).toHaveLength(0);
  });
});

describe('when S3 fails', () => {
  beforeEach(() => {
    dynamoDb.on(GetCommand, { TableName: 'items' }).resolves({ Item: storedItem(1) });
    dynamoDb.on(GetCommand, { TableName: 'file-records' }).resolves({ Item: storedRecord });
    dynamoDb.on(UpdateCommand).resolves({});
    dynamoDb.on(QueryCommand).resolves({ Items: [] });
  });

  it('answers a 500 from S3 with a retryable 503, and keeps the record', async () => {
    s3.on(DeleteObjectsCommand).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'We encountered an internal error. Please try again.',
      }),
    );

    const response = await call('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: ITEM_ID, fileId: FILE_ID },
    });

    expect(response.status).toBe(503);
    expectNoLeak(response.body);
    expect(dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("answers keys S3 failed to delete with a 503, and keeps the item's row", async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: OBJECT_KEY }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: OBJECT_KEY, Code: 'InternalError' }],
    });

    const response = await call('DELETE /api/items/{id}', { path: { id: ITEM_ID } });

    expect(response.status).toBe(503);
    // Marked as being deleted, not deleted: a repeated DELETE finishes.
    expect(dynamoDb.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression).toBe(
      'SET #deleting = if_not_exists(#deleting, :now)',
    );
    expect(dynamoDb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('treats an access-denied delete as a deployment error (500)', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: OBJECT_KEY }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: OBJECT_KEY, Code: 'AccessDenied' }],
    });

    const response = await call('DELETE /api/items/{id}', { path: { id: ITEM_ID } });

    expect(response.status).toBe(500);
  });
});

describe('when the cursor key secret cannot be read', () => {
  beforeEach(() => {
    dynamoDb.on(QueryCommand).resolves({
      Items: [storedItem(1)],
      LastEvaluatedKey: { tenant: TEST_PRINCIPAL.tenant, id: ITEM_ID },
    });
  });

  it('answers an outage of Secrets Manager with a retryable 503', async () => {
    secrets.set(
      'cursor-key',
      new GetParameterError('timed out', {
        cause: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
      }),
    );

    const response = await call('GET /api/items');

    expect(response.status).toBe(503);
  });

  it('answers a secret without a signing key with a 500', async () => {
    secrets.set('cursor-key', { somethingElse: true });

    const response = await call('GET /api/items');

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('signingKey');
  });

  it('still serves a last page, which needs no cursor, without reading the secret', async () => {
    dynamoDb.on(QueryCommand).resolves({ Items: [storedItem(1)] });
    secrets.set('cursor-key', new Error('must not be read'));

    const response = await call('GET /api/items');

    expect(response.status).toBe(200);
    expect(secrets.reads).toEqual([]);
  });
});

describe('logging', () => {
  it('logs structured lines with the request id, and never the request body', async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      logLines.push(String(chunk));
      return true;
    });
    const consoleSpy = jest.spyOn(console, 'info').mockImplementation((line: unknown) => {
      logLines.push(String(line));
    });
    try {
      dynamoDb.on(GetCommand).resolves({ Item: storedItem(1) });
      dynamoDb.on(UpdateCommand).resolves({ Attributes: storedItem(2) });
      const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });

      const response = await call(
        'PATCH /api/items/{id}',
        {
          path: { id: ITEM_ID },
          json: { name: 'TOP-SECRET-NAME' },
          headers: { [API_KEY_HEADER]: 'KEY-123' },
        },
        logger,
      );

      expect(response.status).toBe(200);
    } finally {
      spy.mockRestore();
      consoleSpy.mockRestore();
    }
    const text = logLines.join('\n');
    expect(text).toContain('"message":"request served"');
    expect(text).toMatch(/"requestId":"req-/);
    expect(text).not.toContain('TOP-SECRET-NAME');
    expect(text).not.toContain('KEY-123');
  });
});
