/**
 * AWS SDK clients of the API function, built once per container by its composition root.
 * They use the fail-fast settings of ./http-handler.ts. Endpoints come only from the SDK's
 * standard variables (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`), so the local
 * cloud needs no code path of its own beyond S3 path-style addressing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHttpHandler, MAX_ATTEMPTS } from './http-handler';

/** DynamoDB document client; `undefined` fields (an absent description) are simply not written. */
export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: createHttpHandler(),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Options of {@link createS3Client}. */
export interface S3ClientOptions {
  /** Path-style addressing, for S3 emulators that cannot serve virtual-hosted buckets. */
  readonly forcePathStyle: boolean;
}

/** S3 client for object operations and presigning. */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: createHttpHandler(),
    forcePathStyle: options.forcePathStyle,
    // With the default (WHEN_SUPPORTED) the presigner puts the CRC32 of an empty body into
    // upload URLs, and S3 rejects every real upload to them. Only checksum where S3 requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
