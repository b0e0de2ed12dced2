import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import path from 'node:path';

/** A response as the tests inspect it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method?: string;
  /** Array values are sent as repeated header lines. */
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/**
 * Sends one request with node:http (not fetch): it keeps the path exactly as written and
 * can repeat a header, which the event-building tests need. No connection pooling.
 */
export function send(
  baseUrl: string,
  pathAndQuery: string,
  options: SendOptions = {},
): Promise<TestResponse> {
  const url = new URL(pathAndQuery, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: pathAndQuery,
        method: options.method ?? 'GET',
        // node:http sends no Content-Length for a GET body on its own; the server would then
        // read the body as a second request.
        headers:
          options.body === undefined
            ? options.headers
            : { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Folder of a test fixture bundle (`test/fixtures/<name>/index.mjs`). */
export const fixtureBundle = (name: string): string => path.join(__dirname, '..', 'fixtures', name);
