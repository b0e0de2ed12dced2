/**
 * Composition root of the API function: configuration, SDK clients and adapters are built
 * once per container, at cold start; the handler reuses them for every request.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from '@tap/contracts';
import { createApi } from '../app';
import { createDocumentClient, createS3Client } from '../aws/clients';
import { loadApiConfig } from '../config';
import { createS3FileStore } from '../files/s3-file-store';
import { createDynamoDbItemStore } from '../items/dynamodb-item-store';
import { createMetrics } from '../observability/metrics';
import { createTracing } from '../observability/tracing';
import { createPowertoolsSecretReader } from '../secrets';

/** How long the cursor signing key is served from memory before it is read again, in seconds. */
const CURSOR_KEY_MAX_AGE_SECONDS = 300;

const config = loadApiConfig(process.env);
const service = serviceName('api');
const logger = new Logger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (API Gateway HTTP API, payload v2). */
export const handler = createApi({
  items: createDynamoDbItemStore({
    client: tracing.captureClient(createDocumentClient()),
    tableName: config.tableName,
  }),
  files: createS3FileStore({
    client: tracing.captureClient(createS3Client({ forcePathStyle: config.s3ForcePathStyle })),
    bucketName: config.bucketName,
  }),
  secrets: createPowertoolsSecretReader({
    maxAgeSeconds: CURSOR_KEY_MAX_AGE_SECONDS,
    instrumentClient: (client) => tracing.captureClient(client),
  }),
  cursorKeySecretId: config.cursorKeySecretId,
  maxUploadBytes: config.maxUploadBytes,
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
