/**
 * Composition root of the health function: configuration, SDK clients and the
 * handler are built once per container, at cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { readHealthConfig } from '../config';
import { dynamoDbTableCheck, s3BucketCheck } from '../dependency-checks';
import { createHealthHandler } from '../health-handler';

const config = readHealthConfig();
const logger = new Logger();

// One attempt, bounded connect and request time: a health check must report a slow
// dependency as down, not retry until the gateway gives up.
const clientOptions = {
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({
    connectionTimeout: Math.min(1000, config.checkTimeoutMs),
    requestTimeout: config.checkTimeoutMs,
    throwOnRequestTimeout: true,
  }),
};
const dynamodb = new DynamoDBClient(clientOptions);
const s3 = new S3Client({ ...clientOptions, forcePathStyle: config.s3ForcePathStyle });

const handleHealth = createHealthHandler({
  checks: {
    dynamodb: dynamoDbTableCheck(dynamodb, config.tableName),
    s3: s3BucketCheck(s3, config.bucketName),
  },
  checkTimeoutMs: config.checkTimeoutMs,
  logger,
});

/** Lambda entry point for `GET /health`. */
export const handler = async (
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> => {
  logger.addContext(context);
  logger.appendKeys({ requestId: event.requestContext.requestId });
  try {
    return await handleHealth(event);
  } finally {
    logger.resetKeys();
  }
};
