import type { Readable } from 'node:stream';

/**
 * Copies a stream to `target` line by line, each line prefixed (e.g. `[api]`), so the
 * output of several functions stays readable when interleaved in one terminal.
 */
export function forwardLines(
  source: Readable,
  prefix: string,
  target: NodeJS.WritableStream,
): void {
  let partial = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) target.write(`${prefix} ${line}\n`);
  });
  source.on('end', () => {
    if (partial.length > 0) target.write(`${prefix} ${partial}\n`);
    partial = '';
  });
}
