import { LAMBDA_RUNTIME } from '@tap/contracts';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { captureEmf } from '@tap/test-support';
import { createMetrics } from './metrics';
import type { TracerLike, Tracing } from './tracing';
import { createTracing, NO_TRACING, tracingWanted } from './tracing';

const LAMBDA = { AWS_EXECUTION_ENV: `AWS_Lambda_${LAMBDA_RUNTIME}` };

/** Every line Powertools writes to stdout (its EMF lines, and anything else) while `run` runs. */
async function captureStdout(run: () => Promise<void> | void): Promise<string[]> {
  const capture = captureEmf();
  try {
    await run();
  } finally {
    capture.restore();
  }
  return capture.output().split('\n').filter(Boolean);
}

describe('metrics', () => {
  beforeEach(() => {
    process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
    delete process.env['POWERTOOLS_METRICS_DISABLED'];
  });

  it('writes one EMF line per batch, with the service and the batch’s dimensions', async () => {
    const lines = await captureStdout(() => {
      const metrics = createMetrics({ serviceName: 'tap-api', env: {} });
      metrics.publish({ route: 'getItem' }, [
        { name: 'RequestCount', unit: 'Count', value: 1 },
        { name: 'Latency', unit: 'Milliseconds', value: 12 },
      ]);
      metrics.publish({ route: 'listItems' }, [{ name: 'RequestCount', unit: 'Count', value: 1 }]);
    });

    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(first).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'TAP',
            Dimensions: [['service', 'route']],
            Metrics: [
              { Name: 'RequestCount', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'tap-api',
      route: 'getItem',
      RequestCount: 1,
      Latency: 12,
    });
    // The second batch does not inherit the first one's dimension value.
    expect(second).toMatchObject({ route: 'listItems', RequestCount: 1 });
  });

  it('takes the namespace from POWERTOOLS_METRICS_NAMESPACE when set', async () => {
    const lines = await captureStdout(() => {
      createMetrics({
        serviceName: 'tap-health',
        env: { POWERTOOLS_METRICS_NAMESPACE: 'TAP-staging' },
      }).publish({}, [{ name: 'X', unit: 'Count', value: 1 }]);
    });

    expect(JSON.parse(lines[0] ?? '{}')._aws.CloudWatchMetrics[0].Namespace).toBe('TAP-staging');
  });

  it('counts a cold start once per container, with the function name', async () => {
    const lines = await captureStdout(() => {
      const metrics = createMetrics({ serviceName: 'tap-api', env: {} });
      metrics.coldStart('tap-api-function-dev');
      metrics.coldStart('tap-api-function-dev');
    });

    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        service: 'tap-api',
        function_name: 'tap-api-function-dev',
        ColdStart: 1,
      }),
    ]);
  });

  it('writes nothing for an empty batch (Powertools would warn about it)', async () => {
    const lines = await captureStdout(() => {
      createMetrics({ serviceName: 'tap-api', env: {} }).publish({ route: 'x' }, []);
    });

    expect(lines).toEqual([]);
  });
});

describe('whether to trace', () => {
  it.each([
    [{}, false],
    [LAMBDA, true],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }, false],
    [{ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' }, false],
    [{ ...LAMBDA, AWS_SAM_LOCAL: 'true' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
    [{ POWERTOOLS_TRACE_ENABLED: 'true' }, false],
  ])('%j → %s', (env, expected) => {
    expect(tracingWanted(env)).toBe(expected);
  });
});

/** A stand-in for Powertools' Tracer that records what the tracing module asks of it. */
function fakeTracer() {
  const events: string[] = [];
  const subsegment = { close: () => events.push('close') };
  const facade = { addNewSubsegment: (name: string) => (events.push(`open ${name}`), subsegment) };
  const tracer = {
    captureAWSv3Client: (client: unknown) => (events.push(`capture ${String(client)}`), client),
    getSegment: () => facade,
    setSegment: (segment: unknown) =>
      events.push(segment === facade ? 'set facade' : 'set subsegment'),
    annotateColdStart: () => events.push('annotate ColdStart'),
    addServiceNameAnnotation: () => events.push('annotate Service'),
    putAnnotation: (key: string, value: unknown) => events.push(`annotate ${key}=${String(value)}`),
    addErrorAsMetadata: (error: Error) => events.push(`error ${error.message}`),
  };
  return { events, tracer: tracer as unknown as TracerLike };
}

describe('tracing', () => {
  const logger = { warn: jest.fn() };

  it('never loads the Tracer where it would not trace', () => {
    const loadTracer = jest.fn();

    const tracing = createTracing({ serviceName: 's', env: {}, logger, loadTracer });

    expect(tracing).toBe(NO_TRACING);
    expect(loadTracer).not.toHaveBeenCalled();
  });

  it('instruments clients before the first invocation and wraps each invocation in a subsegment', async () => {
    const { events, tracer } = fakeTracer();
    const tracing = createTracing({
      serviceName: 'tap-api',
      env: { ...LAMBDA, _HANDLER: 'index.handler' },
      logger,
      loadTracer: async () => tracer,
    });
    tracing.captureClient({ toString: () => 'dynamodb' });

    const result = await tracing.traceInvocation(async (trace) => {
      events.push('run');
      trace.annotate('route', 'getItem');
      return 42;
    });

    expect(result).toBe(42);
    expect(events).toEqual([
      'capture dynamodb',
      'open ## index.handler',
      'set subsegment',
      'annotate ColdStart',
      'annotate Service',
      'run',
      'annotate route=getItem',
      'close',
      'set facade',
    ]);
  });

  it('records an error thrown by the invocation and rethrows it', async () => {
    const { events, tracer } = fakeTracer();
    const tracing = createTracing({
      serviceName: 's',
      env: LAMBDA,
      logger,
      loadTracer: async () => tracer,
    });

    await expect(
      tracing.traceInvocation(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(events.slice(-3)).toEqual(['error boom', 'close', 'set facade']);
  });

  it('serves untraced, with a warning, when the Tracer cannot be loaded', async () => {
    const tracing = createTracing({
      serviceName: 's',
      env: LAMBDA,
      logger,
      loadTracer: async () => {
        throw new Error('cannot load');
      },
    });

    await expect(tracing.traceInvocation(async () => 'served')).resolves.toBe('served');
    expect(logger.warn).toHaveBeenCalledWith(
      'tracing unavailable: the Tracer failed to load',
      expect.objectContaining({ error: expect.any(Error) }),
    );
  });
});

/**
 * The real Powertools Tracer and X-Ray SDK in Lambda mode, sending to a fake X-Ray daemon
 * (a UDP socket), with an SDK call to a local HTTP server that answers like DynamoDB.
 */
describe('tracing with the real Tracer, as on Lambda', () => {
  const LAMBDA_TRACE_ENV = {
    ...LAMBDA,
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
  let daemon: Socket;
  let dynamoDb: Server;
  const documents: Record<string, unknown>[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => {
      // Each datagram: a JSON header line, then the (sub)segment document.
      const [, body] = message.toString('utf8').split('\n');
      if (body) documents.push(JSON.parse(body) as Record<string, unknown>);
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    dynamoDb = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{"TableNames":[]}');
    });
    await new Promise<void>((resolve) => dynamoDb.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, LAMBDA_TRACE_ENV, {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    });
  });

  afterAll(async () => {
    process.env = saved;
    daemon.close();
    await new Promise((resolve) => dynamoDb.close(resolve));
  });

  it('sends the invocation subsegment with its annotations, and one per SDK call', async () => {
    let tracing: Tracing = NO_TRACING;
    await jest.isolateModulesAsync(async () => {
      const module = await import('./tracing');
      tracing = module.createTracing({ serviceName: 'tap-api', logger: { warn: jest.fn() } });
    });
    const client = tracing.captureClient(
      new DynamoDBClient({
        region: 'us-west-2',
        endpoint: `http://127.0.0.1:${(dynamoDb.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );

    await tracing.traceInvocation(async (trace) => {
      trace.annotate('route', 'listItems');
      await client.send(new ListTablesCommand({}));
    });
    client.destroy();
    const deadline = Date.now() + 2000;
    while (documents.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(tracing).not.toBe(NO_TRACING);
    expect(documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'DynamoDB',
          namespace: 'aws',
          aws: expect.objectContaining({ operation: 'ListTables' }),
        }),
        expect.objectContaining({
          name: '## index.handler',
          trace_id: '1-5759e988-bd862e3fe1be46a994272793',
          annotations: { ColdStart: true, Service: 'tap-api', route: 'listItems' },
        }),
      ]),
    );
  });
});
