/**
 * The SDK clients of the health function, built once per container by its composition
 * root. Kept apart from it so that the cold start benchmark's floor (`bench/floors`) builds
 * the very same clients: a floor with other settings would measure another function.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHttpHandler } from '@tap/lambda-runtime';
import type { HealthConfig } from './config';

/** The health function's clients. */
export interface HealthClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
}

/**
 * One attempt, bounded connect and request time: a health check must report a slow
 * dependency as down, not retry until the gateway gives up.
 */
export function healthCheckClientOptions(config: Pick<HealthConfig, 'checkTimeoutMs'>): {
  readonly maxAttempts: number;
  readonly requestHandler: NodeHttpHandler;
} {
  return {
    maxAttempts: 1,
    requestHandler: createHttpHandler({
      connectionTimeoutMs: Math.min(1000, config.checkTimeoutMs),
      requestTimeoutMs: config.checkTimeoutMs,
    }),
  };
}

/** The DynamoDB and S3 clients the checks run on. */
export function createHealthClients(
  config: Pick<HealthConfig, 'checkTimeoutMs' | 's3ForcePathStyle'>,
): HealthClients {
  const options = healthCheckClientOptions(config);
  return {
    dynamodb: new DynamoDBClient(options),
    s3: new S3Client({ ...options, forcePathStyle: config.s3ForcePathStyle }),
  };
}
