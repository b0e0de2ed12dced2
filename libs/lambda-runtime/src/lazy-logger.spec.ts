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
