/**
 * The API wired exactly as the composition root wires it (same client factories, same
 * adapters), on emulators started for the test, with a counting fake for the one
 * dependency that has no emulator here: the cursor signing key secret. Beside it, the files
 * function on the same stores, and a stand-in for the bucket's event notifications
 * ({@link ApiHarness.deliverUploads}).
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event } from 'aws-lambda';
import {
  DEFAULT_FILE_QUOTAS,
  DEFAULT_MAX_UPLOAD_BYTES,
  FILE_TABLE_SCHEMA,
  IDEMPOTENCY_EXPIRY_SECONDS,
  IDEMPOTENCY_TABLE_SCHEMA,
  type FileUpload,
} from '@tap/contracts';
import {
  ensureTable,
  startEmulators,
  useEmulatorEnvironment,
  type Emulators,
} from '@tap/test-support';
import { createDynamoDbFileRecordStore } from '../../src/adapters/dynamodb/dynamodb-file-record-store';
import type { FileRecordStore } from '../../src/core/file-record-store';
import type { FileStore } from '../../src/core/file-store';
import { createFileEventsHandler } from '../../src/handlers/files/file-events-handler';
import { createApiHandler } from '../../src/handlers/http/api-handler';
import { createDocumentClient } from '../../src/adapters/aws/dynamodb-client';
import { createS3Client } from '../../src/adapters/aws/s3-client';
import { createS3FileStore } from '../../src/adapters/s3/s3-file-store';
import type { ApiHandler } from '../../src/handlers/http/route-dispatcher';
import { createDynamoDbItemStore } from '../../src/adapters/dynamodb/dynamodb-item-store';
import { createLazyIdempotencyGuard } from '../../src/adapters/dynamodb/lazy-idempotency-guard';
import type { ItemStore } from '../../src/core/item-store';
import { NO_TRACING } from '@tap/lambda-runtime';
import type { TestRequest, TestResponse } from './api-events';
import { apiEvent, readResult } from './api-events';
import type { FakeSecretReader } from './fake-secrets';
import { fakeSecretReader } from './fake-secrets';
import type { RecordingMetrics } from './recording-metrics';
import { recordingMetrics } from './recording-metrics';

/** Secret id the harness configures for the cursor key. */
export const CURSOR_SECRET_ID = 'tap-test-cursor-key';

/** The idempotency table the harness creates (`IDEMPOTENCY_TABLE_SCHEMA`). */
export const IDEMPOTENCY_TABLE = 'tap-idempotency-test';

/** How long the harness's idempotency records block their key while in progress, in ms. */
export const IN_PROGRESS_TIMEOUT_MS = 30_000;

/** One DynamoDB call the handler made, as the SDK names it (`PutItemCommand`). */
export interface DynamoDbCall {
  readonly command: string;
  readonly table: string | undefined;
}
/** Name of the file record table the harness creates. */
export const FILE_TABLE_NAME = 'tap-file-records-test';

/** A running API on emulators. */
export interface ApiHarness {
  readonly handler: ApiHandler;
  readonly secrets: FakeSecretReader;
  /** Every metrics batch the handler published. */
  readonly metrics: RecordingMetrics;
  readonly s3: S3Client;
  readonly documentClient: DynamoDBDocumentClient;
  /** The file record store the API and the files function share. */
  readonly records: FileRecordStore;
  readonly fileTableName: string;
  readonly emulators: Emulators;
  /** The document client the stores share (a test may read the tables with it). */
  readonly dynamoDb: DynamoDBDocumentClient;
  /** Every DynamoDB call made through the stores' client, in order (one per round trip). */
  readonly dynamoDbCalls: DynamoDbCall[];
  /** Sends one request through the handler. */
  call<Body = Record<string, unknown>>(
    routeKey: string,
    request?: TestRequest,
  ): Promise<TestResponse<Body>>;
  /** PUTs `bytes` to a grant's URL with plain fetch and the headers it lists. */
  put(
    grant: FileUpload,
    bytes: Uint8Array,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Response>;
  /**
   * Tells the files function of objects as S3 would (one `ObjectCreated:Put` event holding a
   * record per key, keys URL-encoded); rejects when the function throws (Lambda would retry).
   */
  deliverUploads(...keys: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** The object key a grant's URL writes (path-style: `/{bucket}/{key}`). */
export const objectKeyOf = (grant: FileUpload, bucketName: string): string =>
  decodeURIComponent(new URL(grant.uploadUrl).pathname).slice(`/${bucketName}/`.length);

/** An S3 key as event notifications spell it: URL-encoded, spaces as `+`. */
const eventKey = (key: string): string =>
  encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/** Options of {@link startApiHarness}. */
export interface ApiHarnessOptions {
  readonly maxUploadBytes?: number;
  /** Wraps the item store the API is given (to block or fail a call in a test). */
  readonly wrapItems?: (items: ItemStore) => ItemStore;
  readonly maxFilesPerItem?: number;
  readonly maxBytesPerItem?: number;
  /** Wraps the API's file store (to make it fail part-way, say). */
  readonly wrapFiles?: (files: FileStore) => FileStore;
}

/** Starts emulators and builds the API on them. */
export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const emulators = await startEmulators();
  useEmulatorEnvironment(emulators);
  await ensureTable(emulators.dynamoDbEndpoint, IDEMPOTENCY_TABLE, IDEMPOTENCY_TABLE_SCHEMA);
  await ensureTable(emulators.dynamoDbEndpoint, FILE_TABLE_NAME, FILE_TABLE_SCHEMA);
  const documentClient = createDocumentClient();
  const dynamoDbCalls: DynamoDbCall[] = [];
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: unknown };
      dynamoDbCalls.push({
        command: context.commandName ?? 'unknown',
        table: typeof input.TableName === 'string' ? input.TableName : undefined,
      });
      return next(args);
    },
    { step: 'initialize', name: 'tapCountCalls' },
  );
  const items = createDynamoDbItemStore({ client: documentClient, tableName: emulators.tableName });
  const s3 = createS3Client({ forcePathStyle: true });
  const records = createDynamoDbFileRecordStore({
    client: documentClient,
    tableName: emulators.tableName,
    fileTableName: FILE_TABLE_NAME,
  });
  const files = createS3FileStore({ client: s3, bucketName: emulators.bucketName });
  const logger = new Logger({ logLevel: 'SILENT' });
  const secrets = fakeSecretReader({
    [CURSOR_SECRET_ID]: { signingKey: 'test-signing-key-0123456789abcdef' },
  });
  const metrics = recordingMetrics();
  const handler = createApiHandler({
    items: options.wrapItems ? options.wrapItems(items) : items,
    // Loaded on the first keyed request, as the composition root does.
    idempotency: createLazyIdempotencyGuard(async () => {
      const { createDynamoDbIdempotencyGuard } =
        await import('../../src/adapters/dynamodb/dynamodb-idempotency-guard');
      return createDynamoDbIdempotencyGuard({
        client: documentClient,
        tableName: IDEMPOTENCY_TABLE,
        expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
        inProgressTimeoutMs: IN_PROGRESS_TIMEOUT_MS,
      });
    }),
    records,
    files: options.wrapFiles ? options.wrapFiles(files) : files,
    fileQuotas: {
      maxFilesPerItem: options.maxFilesPerItem ?? DEFAULT_FILE_QUOTAS.maxFilesPerItem,
      maxBytesPerItem: options.maxBytesPerItem ?? DEFAULT_FILE_QUOTAS.maxBytesPerItem,
    },
    secrets,
    cursorKeySecretId: CURSOR_SECRET_ID,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    logger,
    metrics,
    tracing: NO_TRACING,
  });
  const fileEvents = createFileEventsHandler({
    records,
    files,
    logger,
    metrics: recordingMetrics(),
    tracing: NO_TRACING,
  });
  return {
    handler,
    secrets,
    metrics,
    s3,
    documentClient,
    records,
    fileTableName: FILE_TABLE_NAME,
    emulators,
    dynamoDb: documentClient,
    dynamoDbCalls,
    async call<Body = Record<string, unknown>>(routeKey: string, request?: TestRequest) {
      return readResult<Body>(await handler(apiEvent(routeKey, request)));
    },
    put: (grant, bytes, headers = grant.headers) =>
      fetch(grant.uploadUrl, { method: grant.method, headers, body: bytes }),
    async deliverUploads(...keys) {
      const objects = await Promise.all(
        keys.map(async (key) => {
          const head = await s3
            .send(new HeadObjectCommand({ Bucket: emulators.bucketName, Key: key }))
            .catch(() => undefined);
          return { key, size: head?.ContentLength ?? 0, eTag: head?.ETag ?? '' };
        }),
      );
      const event = {
        Records: objects.map(({ key, size, eTag }) => ({
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: emulators.environment()['AWS_REGION'] ?? 'us-east-1',
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'test' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'test', 'x-amz-id-2': 'test' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'files',
            bucket: {
              name: emulators.bucketName,
              ownerIdentity: { principalId: 'test' },
              arn: `arn:aws:s3:::${emulators.bucketName}`,
            },
            object: { key: eventKey(key), size, eTag, sequencer: '0' },
          },
        })),
      } satisfies S3Event;
      await fileEvents(event);
    },
    async stop() {
      documentClient.destroy();
      s3.destroy();
      await emulators.stop();
    },
  };
}
