/**
 * Composition root of the health function: configuration, SDK clients and the
 * handler are built once per container, at cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from '@tap/contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { readHealthConfig } from '../config';
import { dynamoDbTableCheck, s3BucketCheck } from '../dependency-checks';
import { createHealthHandler } from '../health-handler';
import {
  createHttpHandler,
  createMetrics,
  createTracing,
  wrapInvocation,
  type LambdaHandler,
} from '@tap/lambda-runtime';

const config = readHealthConfig();
const service = serviceName('health');
const logger = new Logger({ serviceName: service });
const metrics = createMetrics({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

// One attempt, bounded connect and request time: a health check must report a slow
// dependency as down, not retry until the gateway gives up.
const clientOptions = {
  maxAttempts: 1,
  requestHandler: createHttpHandler({
    connectionTimeoutMs: Math.min(1000, config.checkTimeoutMs),
    requestTimeoutMs: config.checkTimeoutMs,
  }),
};
const dynamodb = tracing.captureClient(new DynamoDBClient(clientOptions));
const s3 = tracing.captureClient(
  new S3Client({ ...clientOptions, forcePathStyle: config.s3ForcePathStyle }),
);

const handleHealth = createHealthHandler({
  checks: {
    dynamodb: dynamoDbTableCheck(dynamodb, config.tableName),
    s3: s3BucketCheck(s3, config.bucketName),
  },
  checkTimeoutMs: config.checkTimeoutMs,
  logger,
  metrics,
});

/** Lambda entry point for `GET /health`. */
export const handler: LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2> =
  wrapInvocation(
    {
      logger,
      metrics,
      tracing,
      keys: (event) => ({ requestId: event.requestContext.requestId }),
    },
    async (event, trace) => {
      trace.annotate('route', 'getHealth');
      const result = await handleHealth(event);
      if (typeof result === 'object') trace.annotate('statusCode', result.statusCode ?? 200);
      return result;
    },
  );
