/**
 * SDK settings experiment on the health check: DescribeTable and HeadBucket with the health
 * function's fail-fast options (`healthCheckClientOptions`), plus only the environment
 * settings `TAP_BENCH_SDK_SETTINGS` names (./sdk-settings.ts), per service.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { healthCheckClientOptions } from '@tap/health-handler/aws-clients';
import { readHealthConfig } from '@tap/health-handler/config';
import { chosenSettings } from './sdk-settings';

const config = readHealthConfig();
const options = healthCheckClientOptions(config);
const dynamodb = new DynamoDBClient({
  ...chosenSettings('DYNAMODB'),
  ...options,
});
const s3 = new S3Client({
  ...chosenSettings('S3'),
  ...options,
  forcePathStyle: config.s3ForcePathStyle,
});

export const handler = async () => {
  await Promise.all([
    dynamodb.send(new DescribeTableCommand({ TableName: config.tableName })),
    s3.send(new HeadBucketCommand({ Bucket: config.bucketName })),
  ]);
  return { statusCode: 200 };
};
