/**
 * Composition root of the API function: configuration, SDK clients and adapters are built
 * once per container; the handler reuses them for every request.
 *
 * What every route needs (configuration, DynamoDB, logger, metrics) is built at cold start.
 * S3 is needed only by the file routes and an item's DELETE: its module is loaded with
 * `import()` on the first such request (a chunk beside `index.mjs`), and the store it builds
 * then serves the container's later requests. Powertools Idempotency is loaded the same way,
 * on the first write that carries an `Idempotency-Key`. The cursor signing key (lists) is read
 * through the Parameters and Secrets extension, a local GET; Secrets Manager's SDK client
 * is imported only if the extension fails.
 */
import { IDEMPOTENCY_EXPIRY_SECONDS, serviceName } from '@tap/contracts';
import { createApiHandler } from '../handlers/http/api-handler';
import { createDocumentClient } from '../adapters/aws/dynamodb-client';
import { loadApiConfig } from './config/function-config';
import { createLazyFileStore } from '../adapters/s3/lazy-file-store';
import { createDynamoDbItemStore } from '../adapters/dynamodb/dynamodb-item-store';
import { createLazyIdempotencyGuard } from '../adapters/dynamodb/lazy-idempotency-guard';
import { createDynamoDbFileRecordStore } from '../adapters/dynamodb/dynamodb-file-record-store';
import { createLazyLogger, createMetrics, createTracing } from '@tap/lambda-runtime';
import { createPowertoolsSecretReader } from '../adapters/secrets/powertools-secret-reader';
import {
  createLayeredSecretReader,
  createSecretsExtensionReader,
} from '../adapters/secrets/secrets-extension-reader';

/** How long the cursor signing key is served from memory before it is read again, in seconds. */
const CURSOR_KEY_MAX_AGE_SECONDS = 300;

/**
 * The function's timeout (`deployedFunctions`): an idempotency record still in progress
 * after it belongs to a request Lambda has stopped, and its key may be taken over.
 */
const FUNCTION_TIMEOUT_MS = 30_000;

const config = loadApiConfig(process.env);
const service = serviceName('api');
// Loaded with its first line: a request that succeeds writes none at the default level.
const logger = createLazyLogger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });
// One client for the items, the file records and the idempotency records: an item (or a
// file's grant) and the answer of the request that made it commit in one transaction.
const dynamoDb = tracing.captureClient(createDocumentClient());

/** The Lambda handler (API Gateway HTTP API, payload v2). */
export const handler = createApiHandler({
  items: createDynamoDbItemStore({ client: dynamoDb, tableName: config.tableName }),
  idempotency: createLazyIdempotencyGuard(async () => {
    const { createDynamoDbIdempotencyGuard } =
      await import('../adapters/dynamodb/dynamodb-idempotency-guard');
    return createDynamoDbIdempotencyGuard({
      client: dynamoDb,
      tableName: config.idempotencyTableName,
      expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
      inProgressTimeoutMs: FUNCTION_TIMEOUT_MS,
    });
  }),
  records: createDynamoDbFileRecordStore({
    client: dynamoDb,
    tableName: config.tableName,
    fileTableName: config.fileTableName,
  }),
  fileQuotas: config.fileQuotas,
  files: createLazyFileStore(async () => {
    const { createS3Files } = await import('../adapters/s3/s3-files');
    return createS3Files({
      bucketName: config.bucketName,
      forcePathStyle: config.s3ForcePathStyle,
      instrumentClient: (client) => tracing.captureClient(client),
    });
  }),
  secrets: createLayeredSecretReader({
    fast: createSecretsExtensionReader({
      port: config.secretsExtensionPort,
      sessionToken: config.sessionToken,
      maxAgeSeconds: CURSOR_KEY_MAX_AGE_SECONDS,
    }),
    authoritative: createPowertoolsSecretReader({
      maxAgeSeconds: CURSOR_KEY_MAX_AGE_SECONDS,
      instrumentClient: (client) => tracing.captureClient(client),
    }),
    maxAgeSeconds: CURSOR_KEY_MAX_AGE_SECONDS,
    onFallback: (error) =>
      logger.warn('the secrets extension failed; reading Secrets Manager directly', { error }),
  }),
  cursorKeySecretId: config.cursorKeySecretId,
  maxUploadBytes: config.maxUploadBytes,
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
