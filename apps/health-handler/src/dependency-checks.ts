import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Probes one dependency. Resolves when it is reachable and usable; rejects otherwise.
 * The signal aborts the probe when its time budget runs out.
 */
export type DependencyCheck = (signal: AbortSignal) => Promise<void>;

/** Checks that the table exists and is ACTIVE (or being updated, which still serves). */
export function dynamoDbTableCheck(client: DynamoDBClient, tableName: string): DependencyCheck {
  return async (signal) => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: signal,
    });
    if (Table?.TableStatus !== 'ACTIVE' && Table?.TableStatus !== 'UPDATING') {
      throw new Error('table is not active');
    }
  };
}

/** Checks that the bucket exists and this function may list it. */
export function s3BucketCheck(client: S3Client, bucketName: string): DependencyCheck {
  return async (signal) => {
    await client.send(new HeadBucketCommand({ Bucket: bucketName }), { abortSignal: signal });
  };
}
