/**
 * Failures no emulator produces on demand (throttling, 5xx, partial deletes, a secret
 * store outage, an item rewritten between every read and write), injected with
 * aws-sdk-client-mock under the real adapters and handler.
 */
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ConditionalCheckFailedException,
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
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { Item, Problem } from '@tap/contracts';
import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { createApiHandler } from './api-handler';
import { createS3FileStore } from '../../adapters/s3/s3-file-store';
import { createDynamoDbItemStore } from '../../adapters/dynamodb/dynamodb-item-store';
import { NO_TRACING } from '@tap/lambda-runtime';
import type { TestRequest } from '../../../test/support/api-events';
import { apiEvent, readResult, TEST_PRINCIPAL } from '../../../test/support/api-events';
import type { FakeSecretReader } from '../../../test/support/fake-secrets';
import { fakeSecretReader } from '../../../test/support/fake-secrets';
import type { RecordingMetrics } from '../../../test/support/recording-metrics';
import { recordingMetrics } from '../../../test/support/recording-metrics';

const ITEM_ID = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';
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
const s3Client = new S3Client({ region: 'us-west-2' });
const dynamoDb = mockClient(documentClient);
const s3 = mockClient(s3Client);
let secrets: FakeSecretReader;
let metrics: RecordingMetrics;
let logLines: string[];

const api = (logger = new Logger({ logLevel: 'SILENT' })) =>
  createApiHandler({
    items: createDynamoDbItemStore({ client: documentClient, tableName: 'items' }),
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
      'attribute_exists(#id) AND #version = :expectedVersion',
    );
  });
});

describe('when S3 fails', () => {
  beforeEach(() => {
    dynamoDb.on(GetCommand).resolves({ Item: storedItem(1) });
  });

  it('answers a 500 from S3 with a retryable 503', async () => {
    s3.on(ListObjectsV2Command).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'We encountered an internal error. Please try again.',
      }),
    );

    const response = await call('GET /api/items/{id}/files', { path: { id: ITEM_ID } });

    expect(response.status).toBe(503);
    expectNoLeak(response.body);
  });

  it('answers keys S3 failed to delete with a 503, so the client retries the delete', async () => {
    dynamoDb.on(DeleteCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `items/${ITEM_ID}/f/a.txt` }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: `items/${ITEM_ID}/f/a.txt`, Code: 'InternalError' }],
    });

    const response = await call('DELETE /api/items/{id}', { path: { id: ITEM_ID } });

    expect(response.status).toBe(503);
  });

  it('sweeps leftover files when the retried delete finds the item already gone', async () => {
    dynamoDb.on(DeleteCommand).rejects(
      new ConditionalCheckFailedException({
        $metadata: {},
        message: 'The conditional request failed',
      }),
    );
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `items/${ITEM_ID}/f/a.txt` }] });
    s3.on(DeleteObjectsCommand).resolves({});

    const response = await call('DELETE /api/items/{id}', { path: { id: ITEM_ID } });

    expect(response.status).toBe(404);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([
      { Key: `items/${ITEM_ID}/f/a.txt` },
    ]);
  });

  it('treats an access-denied delete as a deployment error (500)', async () => {
    dynamoDb.on(DeleteCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `items/${ITEM_ID}/f/a.txt` }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: `items/${ITEM_ID}/f/a.txt`, Code: 'AccessDenied' }],
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
