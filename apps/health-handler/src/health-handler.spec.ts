import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { openApiDocument } from '@tap/contracts';
import {
  dynamoDbClientFor,
  listen,
  s3ClientFor,
  startEmulators,
  type Emulators,
} from '@tap/test-support';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { dynamoDbTableCheck, s3BucketCheck } from './dependency-checks';
import { createHealthHandler, type HealthLogger } from './health-handler';
import type { InvocationMetrics } from '@tap/lambda-runtime';

const TABLE = 'tap-data-table-test';
const BUCKET = 'tap-files-test';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: 'tap', components: openApiDocument.components });
const isHealthReport = ajv.compile({ $ref: 'tap#/components/schemas/HealthReport' });

const close = async (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

const event = { requestContext: { requestId: 'req-1' } } as APIGatewayProxyEventV2;

describe('GET /health against the DynamoDB and S3 emulators', () => {
  let emulators: Emulators;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  const warnings: Record<string, unknown>[] = [];
  const logger: HealthLogger = { warn: (_message, extra) => warnings.push(extra) };
  /** What the handler published, one entry per batch: dimensions and values together. */
  const published: Record<string, unknown>[] = [];
  const metrics: InvocationMetrics = {
    publish: (dimensions, samples) =>
      published.push({
        ...dimensions,
        ...Object.fromEntries(samples.map((sample) => [sample.name, sample.value])),
      }),
    coldStart: () => undefined,
  };

  const handlerFor = (tableName: string, bucketName: string, timeoutMs = 2000) =>
    createHealthHandler({
      checks: {
        dynamodb: dynamoDbTableCheck(dynamodb, tableName),
        s3: s3BucketCheck(s3, bucketName),
      },
      checkTimeoutMs: timeoutMs,
      logger,
      metrics,
    });

  const call = async (handler: ReturnType<typeof createHealthHandler>) =>
    (await handler(event)) as APIGatewayProxyStructuredResultV2;

  beforeAll(async () => {
    emulators = await startEmulators({ tableName: TABLE, bucketName: BUCKET });
    dynamodb = dynamoDbClientFor(emulators.dynamoDbEndpoint, { maxAttempts: 1 });
    s3 = s3ClientFor(emulators.s3Endpoint, { maxAttempts: 1 });
  });

  afterAll(async () => {
    dynamodb.destroy();
    s3.destroy();
    await emulators.stop();
  });

  beforeEach(() => {
    warnings.length = 0;
    published.length = 0;
  });

  it('answers 200 with a contract-valid body when both dependencies are up', async () => {
    const response = await call(handlerFor(TABLE, BUCKET));
    const body: unknown = JSON.parse(response.body ?? '');
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': 'req-1',
      'cache-control': 'no-store',
    });
    expect(isHealthReport(body)).toBe(true);
    expect(body).toMatchObject({
      status: 'ok',
      dependencies: { dynamodb: { status: 'up' }, s3: { status: 'up' } },
    });
  });

  it('answers 503 naming dynamodb when the table does not exist, without leaking why', async () => {
    const response = await call(handlerFor('tap-missing-table', BUCKET));
    expect(response.statusCode).toBe(503);
    const body: unknown = JSON.parse(response.body ?? '');
    expect(isHealthReport(body)).toBe(true);
    expect(body).toMatchObject({
      status: 'unavailable',
      dependencies: { dynamodb: { status: 'down' }, s3: { status: 'up' } },
    });
    expect(response.body).not.toMatch(/ResourceNotFound|arn:|127\.0\.0\.1|tap-missing-table/);
    expect(warnings).toEqual([expect.objectContaining({ dependency: 'dynamodb' })]);
    expect(published).toEqual([
      { dependency: 'dynamodb', DependencyLatency: expect.any(Number), DependencyDown: 1 },
      { dependency: 's3', DependencyLatency: expect.any(Number), DependencyDown: 0 },
    ]);
  });

  it('answers 503 naming s3 when the bucket does not exist', async () => {
    const response = await call(handlerFor(TABLE, 'tap-missing-bucket'));
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      dependencies: { dynamodb: { status: 'up' }, s3: { status: 'down' } },
    });
  });

  it('answers 503 naming s3 while the S3 emulator is stopped, and 200 once it is back', async () => {
    await emulators.s3.stop();
    try {
      const down = await call(handlerFor(TABLE, BUCKET));
      expect(down.statusCode).toBe(503);
      expect(JSON.parse(down.body ?? '')).toMatchObject({
        dependencies: { dynamodb: { status: 'up' }, s3: { status: 'down' } },
      });
      expect(down.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await emulators.s3.start();
    }
    const up = await call(handlerFor(TABLE, BUCKET));
    expect(up.statusCode).toBe(200);
  });

  it('reports a dependency that never answers as down within its timeout', async () => {
    // A server that accepts connections and never responds: the hung-dependency case.
    const sockets = new Set<Socket>();
    const hung = createServer(() => undefined);
    hung.on('connection', (socket) => sockets.add(socket));
    const hungPort = await listen(hung, 0, '127.0.0.1');
    const hungDynamo = dynamoDbClientFor(`http://127.0.0.1:${hungPort}`, { maxAttempts: 1 });
    try {
      const handler = createHealthHandler({
        checks: {
          dynamodb: dynamoDbTableCheck(hungDynamo, TABLE),
          s3: s3BucketCheck(s3, BUCKET),
        },
        checkTimeoutMs: 300,
        logger,
        metrics,
      });
      const started = Date.now();
      const response = await call(handler);
      const elapsed = Date.now() - started;
      expect(response.statusCode).toBe(503);
      const body = JSON.parse(response.body ?? '') as {
        dependencies: { dynamodb: { status: string; latencyMs: number } };
      };
      expect(body.dependencies.dynamodb.status).toBe('down');
      expect(body.dependencies.dynamodb.latencyMs).toBeGreaterThanOrEqual(290);
      expect(published[0]).toEqual({
        dependency: 'dynamodb',
        DependencyLatency: body.dependencies.dynamodb.latencyMs,
        DependencyDown: 1,
      });
      expect(elapsed).toBeLessThan(1500);
      expect(warnings).toEqual([
        expect.objectContaining({ dependency: 'dynamodb', errorName: 'CheckTimeoutError' }),
      ]);
    } finally {
      hungDynamo.destroy();
      for (const socket of sockets) socket.destroy();
      await close(hung);
    }
  });

  it('runs the checks in parallel, not one after the other', async () => {
    const slow = (ms: number) => async () =>
      new Promise<void>((resolve) => setTimeout(resolve, ms));
    const handler = createHealthHandler({
      checks: { dynamodb: slow(200), s3: slow(200) },
      checkTimeoutMs: 1000,
      logger,
      metrics,
    });
    const started = Date.now();
    expect((await call(handler)).statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(380);
  });
});
