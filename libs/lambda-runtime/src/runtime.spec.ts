import { lambdaContext } from '@tap/test-support';
import { ConfigError, readConfig } from './env-reader';
import { createHttpHandler, CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './http-handler';
import { wrapInvocation, type InvocationLogger } from './invocation';
import type { InvocationMetrics } from './metrics';
import { NO_TRACING } from './tracing';

describe('readConfig', () => {
  it('returns what the reader read when nothing is wrong', () => {
    const config = readConfig('api', { NAME: ' table ', LIMIT: '20', FLAG: 'TRUE' }, (reader) => ({
      name: reader.required('NAME'),
      limit: reader.integer('LIMIT', { fallback: 5, max: 100 }),
      flag: reader.flag('FLAG'),
      absent: reader.optional('ABSENT'),
    }));

    expect(config).toEqual({ name: 'table', limit: 20, flag: true, absent: undefined });
  });

  it('names every problem at once, in the order read', () => {
    const read = (): unknown =>
      readConfig('health', { LIMIT: '7', FLAG: 'yes' }, (reader) => ({
        name: reader.required('NAME'),
        limit: reader.integer('LIMIT', { fallback: 50, min: 50, max: 8000 }),
        flag: reader.flag('FLAG'),
      }));

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      'Invalid configuration of the health function: NAME is missing; ' +
        'LIMIT must be an integer from 50 to 8000, got "7"; FLAG must be "true" or "false", got "yes"',
    );
  });

  it.each(['1.5', '-1', '1e3', '0x10', ' '])('treats %j as no integer or as absent', (raw) => {
    const read = (): number =>
      readConfig('api', { LIMIT: raw }, (reader) =>
        reader.integer('LIMIT', { fallback: 9, max: 99 }),
      );

    if (raw.trim() === '') expect(read()).toBe(9);
    else expect(read).toThrow('LIMIT must be an integer from 1 to 99');
  });
});

describe('createHttpHandler', () => {
  it('fails fast by default, and takes a tighter budget', async () => {
    // The settings the handler resolved (its own field: the SDK exposes no getter).
    const config = async (handler: ReturnType<typeof createHttpHandler>) =>
      (handler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;

    await expect(config(createHttpHandler())).resolves.toMatchObject({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
    await expect(
      config(createHttpHandler({ connectionTimeoutMs: 200, requestTimeoutMs: 500 })),
    ).resolves.toMatchObject({ connectionTimeout: 200, requestTimeout: 500 });
  });
});

describe('wrapInvocation', () => {
  const context = lambdaContext({ functionName: 'tap-api-function-dev' });

  const recorder = () => {
    const calls: string[] = [];
    const logger: InvocationLogger = {
      addContext: (ctx) => calls.push(`context ${ctx.functionName}`),
      appendKeys: (keys) => calls.push(`keys ${JSON.stringify(keys)}`),
      resetKeys: () => calls.push('reset'),
    };
    const metrics: InvocationMetrics = {
      publish: () => undefined,
      coldStart: (name) => calls.push(`coldStart ${name}`),
    };
    return { calls, logger, metrics };
  };

  it('counts the cold start, gives the log its context and keys, and clears them after', async () => {
    const { calls, logger, metrics } = recorder();
    const handler = wrapInvocation(
      {
        logger,
        metrics,
        tracing: NO_TRACING,
        keys: (event: { id: string }) => ({ requestId: event.id }),
      },
      async (event) => {
        calls.push(`handle ${event.id}`);
        return 42;
      },
    );

    await expect(handler({ id: 'r1' }, context)).resolves.toBe(42);
    expect(calls).toEqual([
      'coldStart tap-api-function-dev',
      'context tap-api-function-dev',
      'keys {"requestId":"r1"}',
      'handle r1',
      'reset',
    ]);
  });

  it('clears the keys when the handling fails, and lets the error through', async () => {
    const { calls, logger, metrics } = recorder();
    const handler = wrapInvocation(
      { logger, metrics, tracing: NO_TRACING, keys: () => ({ requestId: 'r2' }) },
      async () => {
        throw new Error('boom');
      },
    );

    await expect(handler({}, undefined)).rejects.toThrow('boom');
    expect(calls).toEqual(['coldStart undefined', 'keys {"requestId":"r2"}', 'reset']);
  });

  it('needs no logger (a function that loads its Logger with its first line)', async () => {
    const { calls, metrics } = recorder();
    const handler = wrapInvocation({ metrics, tracing: NO_TRACING }, async () => 'ok');

    await expect(handler({}, context)).resolves.toBe('ok');
    expect(calls).toEqual(['coldStart tap-api-function-dev']);
  });
});
