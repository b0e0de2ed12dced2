/**
 * The composition root as Lambda loads it: configuration and clients from the environment
 * (the SDK's standard endpoint variables pointing at the emulators), metrics on stdout.
 */
import {
  captureEmf,
  lambdaContext,
  startEmulators,
  useEmulatorEnvironment,
  type EmfCapture,
  type Emulators,
} from '@tap/test-support';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

const TABLE = 'tap-data-table-root';
const BUCKET = 'tap-files-root';

type Handler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

describe('the health function as Lambda loads it', () => {
  let emulators: Emulators;
  /** EMF lines (Powertools Metrics) the function writes to stdout. */
  let emf: EmfCapture;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulators = await startEmulators({ tableName: TABLE, bucketName: BUCKET });
    useEmulatorEnvironment(emulators);
    Object.assign(process.env, {
      TABLE_NAME: TABLE,
      BUCKET_NAME: BUCKET,
      S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
  });

  afterAll(async () => {
    process.env = saved;
    await emulators.stop();
  });

  beforeEach(() => {
    emf = captureEmf();
  });

  afterEach(() => {
    emf.restore();
  });

  it('answers 200 and publishes a cold start and each dependency’s check latency', async () => {
    let handler: Handler | undefined;
    await jest.isolateModulesAsync(async () => {
      ({ handler } = (await import('./health')) as { handler: Handler });
    });
    const event = { requestContext: { requestId: 'req-root' } } as APIGatewayProxyEventV2;
    const context = lambdaContext({ functionName: 'tap-health-function-test' });

    const response = await handler?.(event, context);
    await handler?.(event, context);

    expect(response?.statusCode).toBe(200);
    const metricLines = emf.emfLines();
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
