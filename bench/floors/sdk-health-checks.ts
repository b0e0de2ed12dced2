/**
 * Floor of the health check: DescribeTable and HeadBucket, in parallel, through the health
 * function's own clients (`createHealthClients`: the same SDK settings by construction) and
 * its configuration reader, and nothing else of ours.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { createHealthClients } from '@tap/health-handler/aws-clients';
import { readHealthConfig } from '@tap/health-handler/config';

const config = readHealthConfig();
const { dynamodb, s3 } = createHealthClients(config);

export const handler = async () => {
  await Promise.all([
    dynamodb.send(new DescribeTableCommand({ TableName: config.tableName })),
    s3.send(new HeadBucketCommand({ Bucket: config.bucketName })),
  ]);
  return { statusCode: 200 };
};
