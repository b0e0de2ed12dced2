/** What {@link captureEmf} caught. */
export interface EmfCapture {
  /** Everything written to the captured streams since the capture began, as written. */
  output(): string;
  /**
   * The Embedded Metric Format lines among {@link output} (those carrying `_aws`, which is
   * how Powertools Metrics publishes to CloudWatch from Lambda), parsed, in order.
   */
  emfLines(): Record<string, unknown>[];
  /** Stops capturing: the streams write as before. Safe to call more than once. */
  restore(): void;
}

type Write = NodeJS.WriteStream['write'];

/**
 * Captures what code writes to `streams` (default: stdout, where Powertools writes its EMF
 * and log lines) until {@link EmfCapture.restore}; nothing reaches the real stream
 * meanwhile. Independent of any test runner: it replaces and restores `write` itself.
 */
export function captureEmf(streams: readonly NodeJS.WriteStream[] = [process.stdout]): EmfCapture {
  const chunks: string[] = [];
  const originals = new Map<NodeJS.WriteStream, Write>();
  for (const stream of streams) {
    if (originals.has(stream)) continue;
    originals.set(stream, stream.write);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      // Honour the callback form (`write(chunk, cb)` or `write(chunk, encoding, cb)`).
      const callback = rest.find((argument) => typeof argument === 'function');
      if (callback) process.nextTick(callback as () => void);
      return true;
    }) as Write;
  }
  const output = (): string => chunks.join('');
  return {
    output,
    emfLines: () =>
      output()
        .split('\n')
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore() {
      for (const [stream, write] of originals) stream.write = write;
      originals.clear();
    },
  };
}
