import type { Context } from 'aws-lambda';
import { createLazyLogger, type LogWriter } from './lazy-logger';

/** A Logger stand-in that records its lines, and how often it was built. */
function recordingLoader() {
  const lines: [string, string, unknown][] = [];
  let loads = 0;
  const writer: LogWriter = {
    info: (message: unknown, ...extra: unknown[]) =>
      void lines.push(['info', String(message), extra[0]]),
    warn: (message: unknown, ...extra: unknown[]) =>
      void lines.push(['warn', String(message), extra[0]]),
    error: (message: unknown, ...extra: unknown[]) =>
      void lines.push(['error', String(message), extra[0]]),
  } as LogWriter;
  return {
    lines,
    loads: () => loads,
    load: async (_serviceName?: string) => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return writer;
    },
  };
}

describe('the lazy logger', () => {
  it('loads nothing until its first line', async () => {
    const loader = recordingLoader();
    const logger = createLazyLogger({ serviceName: 'tap-test', load: loader.load });
    await logger.flush();
    expect(loader.loads()).toBe(0);
  });

  it('writes its lines in order through one Logger, all out when flush resolves', async () => {
    const loader = recordingLoader();
    const logger = createLazyLogger({ serviceName: 'tap-test', load: loader.load });

    logger.warn('first', { attempt: 1 });
    logger.error('second');
    logger.info('third', { attempt: 3 });
    expect(loader.lines).toEqual([]);
    await logger.flush();

    expect(loader.lines).toEqual([
      ['warn', 'first', { attempt: 1 }],
      ['error', 'second', undefined],
      ['info', 'third', { attempt: 3 }],
    ]);
    expect(loader.loads()).toBe(1);
  });

  it('writes a line as plain JSON when the Logger cannot be loaded, and tries again next time', async () => {
    const console = jest.spyOn(globalThis.console, 'error').mockImplementation(() => undefined);
    const loader = recordingLoader();
    let fail = true;
    const logger = createLazyLogger({
      serviceName: 'tap-test',
      load: async (name) => {
        if (fail) throw new Error('no logger here');
        return loader.load(name);
      },
    });
    try {
      logger.error('cannot read the secret', { error: new Error('timeout') });
      await logger.flush();
      fail = false;
      logger.error('again');
      await logger.flush();

      expect(console).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(console.mock.calls[0]?.[0]))).toEqual({
        level: 'ERROR',
        message: 'cannot read the secret',
        service: 'tap-test',
        error: { name: 'Error', message: 'timeout' },
        loggerError: { name: 'Error', message: 'no logger here' },
      });
      expect(loader.lines).toEqual([['error', 'again', undefined]]);
    } finally {
      console.mockRestore();
    }
  });

  it('loads Powertools Logger by default and writes its JSON lines', async () => {
    const writes: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const logger = createLazyLogger({ serviceName: 'tap-test' });
      logger.info('hello', { answer: 42 });
      await logger.flush();
    } finally {
      stdout.mockRestore();
    }
    const line = JSON.parse(writes.join('').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'hello',
      service: 'tap-test',
      answer: 42,
    });
  });
});

describe('the lazy logger with the keys and context of an invocation', () => {
  /** A Logger stand-in that records every line with the keys and context it had then. */
  function keyedLoader() {
    const lines: { message: string; keys: Record<string, string>; context?: string }[] = [];
    let keys: Record<string, string> = {};
    let context: string | undefined;
    let loads = 0;
    const writer = {
      addContext: (ctx: { functionName: string }) => void (context = ctx.functionName),
      appendKeys: (next: Record<string, string>) => void (keys = { ...keys, ...next }),
      resetKeys: () => void (keys = {}),
      info: (message: string) => void lines.push({ message, keys: { ...keys }, context }),
      warn: (message: string) => void lines.push({ message, keys: { ...keys }, context }),
      error: (message: string) => void lines.push({ message, keys: { ...keys }, context }),
    } as unknown as LogWriter;
    return {
      lines,
      loads: () => loads,
      load: async () => {
        loads += 1;
        return writer;
      },
    };
  }
  const context = { functionName: 'tap-health-function-dev' } as Context;

  it('holds keys and context without loading the Logger while nothing is written', async () => {
    const loader = keyedLoader();
    const logger = createLazyLogger({ serviceName: 'tap-test', load: loader.load });

    logger.addContext(context);
    logger.appendKeys({ requestId: 'r1' });
    logger.resetKeys();
    await logger.flush();

    expect(loader.loads()).toBe(0);
  });

  it("gives each line its invocation's keys, even when written after they were reset", async () => {
    const loader = keyedLoader();
    const logger = createLazyLogger({ serviceName: 'tap-test', load: loader.load });

    logger.addContext(context);
    logger.appendKeys({ requestId: 'r1' });
    logger.warn('dependency check failed');
    logger.resetKeys();
    logger.appendKeys({ requestId: 'r2' });
    logger.info('second invocation');
    logger.resetKeys();
    await logger.flush();

    expect(loader.lines).toEqual([
      {
        message: 'dependency check failed',
        keys: { requestId: 'r1' },
        context: context.functionName,
      },
      { message: 'second invocation', keys: { requestId: 'r2' }, context: context.functionName },
    ]);
    expect(loader.loads()).toBe(1);
  });

  it('keeps the keys in the fallback line when the Logger cannot be loaded', async () => {
    const console = jest.spyOn(globalThis.console, 'warn').mockImplementation(() => undefined);
    try {
      const logger = createLazyLogger({
        serviceName: 'tap-test',
        load: async () => {
          throw new Error('no logger here');
        },
      });
      logger.appendKeys({ requestId: 'r3' });
      logger.warn('dependency check failed', { dependency: 's3' });
      await logger.flush();

      expect(JSON.parse(String(console.mock.calls[0]?.[0]))).toMatchObject({
        level: 'WARN',
        message: 'dependency check failed',
        requestId: 'r3',
        dependency: 's3',
      });
    } finally {
      console.mockRestore();
    }
  });
});

describe('the lazy logger and the configured level', () => {
  it('drops a debug line at the default INFO level without loading the Logger', async () => {
    const loader = recordingLoader();
    const logger = createLazyLogger({ serviceName: 'tap-test', load: loader.load, env: {} });

    logger.debug('request served', { statusCode: 200 });
    await logger.flush();

    expect(loader.loads()).toBe(0);
  });

  it('writes debug lines when POWERTOOLS_LOG_LEVEL asks for them', async () => {
    const loader = recordingLoader();
    const logger = createLazyLogger({
      serviceName: 'tap-test',
      load: loader.load,
      env: { POWERTOOLS_LOG_LEVEL: 'debug' },
    });
    const writes: unknown[] = [];
    const debugLoader = async () => ({
      ...(await loader.load()),
      debug: (message: unknown) => void writes.push(message),
    });
    const debugging = createLazyLogger({
      serviceName: 'tap-test',
      load: debugLoader as () => Promise<LogWriter>,
      env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });

    debugging.debug('request served');
    logger.info('kept');
    await Promise.all([debugging.flush(), logger.flush()]);

    expect(writes).toEqual(['request served']);
    expect(loader.lines).toEqual([['info', 'kept', undefined]]);
  });

  it('drops what is below WARN, and leaves an unknown level to Powertools', async () => {
    const quiet = recordingLoader();
    const unknown = recordingLoader();
    const atWarn = createLazyLogger({
      serviceName: 'tap-test',
      load: quiet.load,
      env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    });
    const odd = createLazyLogger({
      serviceName: 'tap-test',
      load: unknown.load,
      env: { POWERTOOLS_LOG_LEVEL: 'chatty' },
    });

    atWarn.info('dropped');
    atWarn.warn('kept');
    odd.info('passed on');
    await Promise.all([atWarn.flush(), odd.flush()]);

    expect(quiet.lines).toEqual([['warn', 'kept', undefined]]);
    expect(unknown.lines).toEqual([['info', 'passed on', undefined]]);
  });
});
