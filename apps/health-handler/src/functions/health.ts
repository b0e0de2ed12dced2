/**
 * Composition root of the health function: configuration, SDK clients and the
 * handler are built once per container, at cold start. Powertools Logger is not among
 * them: it loads with the first line, which a healthy check never writes.
 */
import { serviceName } from '@tap/contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createHealthClients } from '../aws-clients';
import { readHealthConfig } from '../config';
import { dynamoDbTableCheck, s3BucketCheck } from '../dependency-checks';
import { createHealthHandler } from '../health-handler';
import {
  createLazyLogger,
  createMetrics,
  createTracing,
  wrapInvocation,
  type LambdaHandler,
} from '@tap/lambda-runtime';

const config = readHealthConfig();
const service = serviceName('health');
// Loaded with its first line: a healthy check writes none (failures are logged as warnings).
const logger = createLazyLogger({ serviceName: service });
const metrics = createMetrics({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

const clients = createHealthClients(config);
const dynamodb = tracing.captureClient(clients.dynamodb);
const s3 = tracing.captureClient(clients.s3);

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
