import type { IncomingMessage, ServerResponse } from 'node:http';

/** Forms and token requests are a few hundred bytes; anything far larger is not one. */
const MAX_BODY_BYTES = 16 * 1024;

/** A request body too large to be one the issuer answers. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body as UTF-8 text. @throws BodyTooLargeError past {@link MAX_BODY_BYTES}. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new BodyTooLargeError());
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The media type of a request, lower case, without parameters (`; charset=...`). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Answers with a body and its length. */
export function send(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** Answers JSON. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

/** Answers 302 to `location`; nothing about the redirect may be cached. */
export function redirect(response: ServerResponse, location: string): void {
  send(response, 302, { location, 'cache-control': 'no-store' }, '');
}
