/**
 * Composition root of the files function, invoked by the bucket's object-created events:
 * configuration, SDK clients and adapters are built once per container. Every invocation
 * needs S3 and DynamoDB, so both are built at cold start (nothing to gain from `import()`).
 */
import { serviceName } from '@tap/contracts';
import { createLazyLogger, createMetrics, createTracing } from '@tap/lambda-runtime';
import { createDocumentClient } from '../adapters/aws/dynamodb-client';
import { createDynamoDbFileRecordStore } from '../adapters/dynamodb/dynamodb-file-record-store';
import { createS3Files } from '../adapters/s3/s3-files';
import { createFileEventsHandler } from '../handlers/files/file-events-handler';
import { loadFilesConfig } from './config/function-config';

const config = loadFilesConfig(process.env);
const service = serviceName('files');
const logger = createLazyLogger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (S3 event notifications, `s3:ObjectCreated:*` under the files prefix). */
export const handler = createFileEventsHandler({
  records: createDynamoDbFileRecordStore({
    client: tracing.captureClient(createDocumentClient()),
    tableName: config.tableName,
    fileTableName: config.fileTableName,
  }),
  files: createS3Files({
    bucketName: config.bucketName,
    forcePathStyle: config.s3ForcePathStyle,
    instrumentClient: (client) => tracing.captureClient(client),
  }),
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
