/**
 * The composition root as Lambda loads it: configuration and clients from the environment
 * (the SDK's standard endpoint variables pointing at the emulators), metrics on stdout.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import dynalite from 'dynalite';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

const TABLE = 'tap-data-table-root';
const BUCKET = 'tap-files-root';

type Handler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

describe('the health function as Lambda loads it', () => {
  let dynamo: Server;
  let s3rver: S3rver;
  let s3Dir: string;
  let metricLines: Record<string, unknown>[];
  const saved = { ...process.env };

  beforeAll(async () => {
    dynamo = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
    const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
    s3Dir = mkdtempSync(path.join(tmpdir(), 'tap-health-root-'));
    s3rver = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: BUCKET }],
    });
    const s3Port = (await s3rver.run()).port;
    Object.assign(process.env, {
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      TABLE_NAME: TABLE,
      BUCKET_NAME: BUCKET,
      S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    const admin = new DynamoDBClient({ endpoint: dynamoEndpoint });
    await admin.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => dynamo.close(resolve));
    await s3rver.close();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    metricLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      const text = String(chunk);
      if (text.includes('"_aws"')) {
        metricLines.push(
          ...text
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line)),
        );
      }
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers 200 and publishes a cold start and each dependency’s check latency', async () => {
    let handler: Handler | undefined;
    await jest.isolateModulesAsync(async () => {
      ({ handler } = (await import('./health')) as { handler: Handler });
    });
    const event = { requestContext: { requestId: 'req-root' } } as APIGatewayProxyEventV2;
    const context = { functionName: 'tap-health-function-test' } as Context;

    const response = await handler?.(event, context);
    await handler?.(event, context);

    expect(response?.statusCode).toBe(200);
    expect(metricLines).toEqual([
      expect.objectContaining({
        service: 'tap-health',
        function_name: 'tap-health-function-test',
        ColdStart: 1,
      }),
      expect.objectContaining({ dependency: 'dynamodb', DependencyDown: 0 }),
      expect.objectContaining({ dependency: 's3', DependencyDown: 0 }),
      expect.objectContaining({ dependency: 'dynamodb', DependencyDown: 0 }),
      expect.objectContaining({ dependency: 's3', DependencyDown: 0 }),
    ]);
    expect(metricLines[1]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          expect.objectContaining({ Namespace: 'TAP', Dimensions: [['service', 'dependency']] }),
        ],
      },
      DependencyLatency: expect.any(Number),
    });
  });

  it('refuses to start without its table and bucket', async () => {
    const { TABLE_NAME, BUCKET_NAME } = process.env;
    delete process.env['TABLE_NAME'];
    delete process.env['BUCKET_NAME'];
    try {
      await expect(
        jest.isolateModulesAsync(async () => {
          await import('./health');
        }),
      ).rejects.toThrow('TABLE_NAME is missing; BUCKET_NAME is missing');
    } finally {
      Object.assign(process.env, { TABLE_NAME, BUCKET_NAME });
    }
  });
});
