/**
 * A real HTTP server on a free local port for the client's tests: it records every
 * request (headers, body, whether the client went away before the answer) and answers
 * from a script, so retries, timeouts and aborts go through real sockets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface Received {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** When it arrived (epoch ms). */
  readonly at: number;
  /** Resolves `true` when the client closed the connection before the answer was sent. */
  readonly abandoned: Promise<boolean>;
}

/**
 * An answer: status, headers and a body (JSON unless a string); `hang` to never answer,
 * `reset` to drop the connection without one.
 */
export type Answer =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: unknown;
    }
  | 'hang'
  | 'reset';

/** Answers a request; the number is its index among all requests received so far. */
export type Script = (request: Received, index: number) => Answer | Promise<Answer>;

export interface TestApi {
  readonly baseUrl: string;
  readonly received: Received[];
  /** Replaces the script. */
  answer(script: Script): void;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

function send(response: ServerResponse, answer: Exclude<Answer, 'hang' | 'reset'>): void {
  const isText = typeof answer.body === 'string';
  const body =
    answer.body === undefined ? '' : isText ? String(answer.body) : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...(answer.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
    ...answer.headers,
  });
  response.end(body);
}

/** Starts the server; `close()` it after the tests (it also drops hanging connections). */
export async function startTestApi(): Promise<TestApi> {
  const received: Received[] = [];
  let script: Script = () => ({ status: 404, body: { message: 'Not Found' } });
  const server = createServer((request, response) => {
    void (async () => {
      let answered = false;
      const abandoned = new Promise<boolean>((resolve) => {
        response.on('close', () => resolve(!answered));
      });
      const body = await readBody(request);
      const entry: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        body,
        at: Date.now(),
        abandoned,
      };
      received.push(entry);
      const answer = await script(entry, received.length - 1);
      if (answer === 'hang') return;
      if (answer === 'reset') {
        request.socket.destroy();
        return;
      }
      answered = true;
      send(response, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    answer(next) {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
