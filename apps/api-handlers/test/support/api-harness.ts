/**
 * The API wired exactly as the composition root wires it (same client factories, same
 * adapters), on emulators started for the test, with a counting fake for the one
 * dependency that has no emulator here: the cursor signing key secret.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  IDEMPOTENCY_EXPIRY_SECONDS,
  IDEMPOTENCY_TABLE_SCHEMA,
} from '@tap/contracts';
import {
  ensureTable,
  startEmulators,
  useEmulatorEnvironment,
  type Emulators,
} from '@tap/test-support';
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

/** A running API on emulators. */
export interface ApiHarness {
  readonly handler: ApiHandler;
  readonly secrets: FakeSecretReader;
  /** Every metrics batch the handler published. */
  readonly metrics: RecordingMetrics;
  readonly s3: S3Client;
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
  stop(): Promise<void>;
}

/** Options of {@link startApiHarness}. */
export interface ApiHarnessOptions {
  readonly maxUploadBytes?: number;
  /** Wraps the item store the API is given (to block or fail a call in a test). */
  readonly wrapItems?: (items: ItemStore) => ItemStore;
}

/** Starts emulators and builds the API on them. */
export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const emulators = await startEmulators();
  useEmulatorEnvironment(emulators);
  await ensureTable(emulators.dynamoDbEndpoint, IDEMPOTENCY_TABLE, IDEMPOTENCY_TABLE_SCHEMA);
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
    files: createS3FileStore({ client: s3, bucketName: emulators.bucketName }),
    secrets,
    cursorKeySecretId: CURSOR_SECRET_ID,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    tracing: NO_TRACING,
  });
  return {
    handler,
    secrets,
    metrics,
    s3,
    emulators,
    dynamoDb: documentClient,
    dynamoDbCalls,
    async call<Body = Record<string, unknown>>(routeKey: string, request?: TestRequest) {
      return readResult<Body>(await handler(apiEvent(routeKey, request)));
    },
    async stop() {
      documentClient.destroy();
      s3.destroy();
      await emulators.stop();
    },
  };
}
