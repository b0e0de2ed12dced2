/** Floor of the health check: only DescribeTable and HeadBucket with the SDK, in parallel. */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: process.env['S3_FORCE_PATH_STYLE'] === 'true' });

export const handler = async () => {
  await Promise.all([
    dynamodb.send(new DescribeTableCommand({ TableName: process.env['TABLE_NAME'] })),
    s3.send(new HeadBucketCommand({ Bucket: process.env['BUCKET_NAME'] })),
  ]);
  return { statusCode: 200 };
};
