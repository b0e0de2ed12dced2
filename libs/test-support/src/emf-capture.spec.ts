import { captureEmf } from './emf-capture';

const EMF_LINE = JSON.stringify({
  _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'TAP', Dimensions: [], Metrics: [] }] },
  service: 'tap-test',
  RequestCount: 1,
});

describe('EMF capture', () => {
  it('parses the EMF lines written to stdout, in order, and keeps the rest as written', () => {
    const capture = captureEmf();
    try {
      process.stdout.write('{"level":"INFO","message":"a log line"}\n');
      process.stdout.write(
        `${EMF_LINE}\n${EMF_LINE.replace('"RequestCount":1', '"RequestCount":2')}\n`,
      );
      process.stdout.write(Buffer.from('bytes too\n'));
    } finally {
      capture.restore();
    }

    expect(capture.emfLines()).toEqual([
      expect.objectContaining({ service: 'tap-test', RequestCount: 1 }),
      expect.objectContaining({ service: 'tap-test', RequestCount: 2 }),
    ]);
    expect(capture.output()).toBe(
      `{"level":"INFO","message":"a log line"}\n${EMF_LINE}\n${EMF_LINE.replace('"RequestCount":1', '"RequestCount":2')}\nbytes too\n`,
    );
  });

  it('captures a line written in pieces once it is whole', () => {
    const capture = captureEmf();
    try {
      process.stdout.write(EMF_LINE.slice(0, 10));
      process.stdout.write(`${EMF_LINE.slice(10)}\n`);
    } finally {
      capture.restore();
    }

    expect(capture.emfLines()).toEqual([JSON.parse(EMF_LINE)]);
  });

  it('calls a write callback, as the stream would', async () => {
    const capture = captureEmf();
    try {
      await new Promise<void>((resolve) => process.stdout.write('x', () => resolve()));
      await new Promise<void>((resolve) => process.stdout.write('y', 'utf8', () => resolve()));
    } finally {
      capture.restore();
    }
    expect(capture.output()).toBe('xy');
  });

  it('captures the streams it is given, and gives them back their own write on restore', () => {
    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    const capture = captureEmf([process.stdout, process.stderr]);
    expect(process.stdout.write).not.toBe(stdoutWrite);
    expect(process.stderr.write).not.toBe(stderrWrite);
    process.stderr.write(`${EMF_LINE}\n`);

    capture.restore();
    capture.restore();

    expect(process.stdout.write).toBe(stdoutWrite);
    expect(process.stderr.write).toBe(stderrWrite);
    expect(capture.emfLines()).toEqual([JSON.parse(EMF_LINE)]);
  });
});
