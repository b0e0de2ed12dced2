/**
 * Raw HTTP for the probes the typed client cannot express: any method, header name case,
 * duplicate headers, no content type, a body on GET, bytes that are not UTF-8. Built on
 * `node:http` rather than `fetch`, which adds a content type to string bodies, refuses a
 * body on GET and computes headers of its own.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { ResponseLog } from './leak-scan';

/** A request as sent on the wire; `path` is already percent-encoded. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Names are sent with their case as given; an array sends the header once per value. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
}

/** A response, with its body as text and, when it parses, as JSON. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly contentType: string | null;
  readonly text: string;
  /** The parsed body; `undefined` when it is empty or not JSON. */
  readonly json: unknown;
  readonly durationMs: number;
}

/** Options of {@link RawHttp}. */
export interface RawHttpOptions {
  /** Every response is scanned for leaks here. */
  readonly log?: ResponseLog;
  /** A request still unanswered after this is abandoned with an error (default 20 s). */
  readonly timeoutMs?: number;
  /** Connections kept open to the API (default 16). */
  readonly maxSockets?: number;
}

const parseJson = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** A keep-alive HTTP client for one base URL. Call {@link close} when done. */
export class RawHttp {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly origin: URL;
  private sent = 0;

  constructor(
    readonly baseUrl: string,
    private readonly options: RawHttpOptions = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.origin = new URL(baseUrl);
    if (this.origin.protocol !== 'http:') throw new Error(`RawHttp speaks http only: ${baseUrl}`);
  }

  /** How many requests were sent. */
  get requestCount(): number {
    return this.sent;
  }

  /** Sends one request and reads the whole response. Rejects on network errors and timeouts. */
  send(raw: RawRequest): Promise<RawResponse> {
    this.sent += 1;
    const started = performance.now();
    const headers: Record<string, string | readonly string[]> = { ...raw.headers };
    if (raw.body !== undefined && raw.body.length > 0) {
      // Node frames a GET or DELETE body only with an explicit length; without one the
      // bytes would be read as the start of the next request on the connection.
      headers['Content-Length'] = String(
        typeof raw.body === 'string' ? Buffer.byteLength(raw.body) : raw.body.byteLength,
      );
    }
    return new Promise<RawResponse>((resolve, reject) => {
      const outgoing = request(
        {
          hostname: this.origin.hostname,
          port: this.origin.port,
          // As given: a URL string would have its dot segments (`/items/..`) resolved away.
          path: raw.path,
          method: raw.method,
          headers: headers as Record<string, string | string[]>,
          agent: this.agent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = incoming.statusCode ?? 0;
            const headers = incoming.headers;
            this.options.log?.record(
              `${raw.method} ${raw.path.slice(0, 200)} → ${status}`,
              Object.entries(headers).map(([name, value]) => [name, String(value)] as const),
              text,
            );
            resolve({
              status,
              headers,
              contentType: headers['content-type'] ?? null,
              text,
              json: parseJson(text),
              durationMs: performance.now() - started,
            });
          });
        },
      );
      outgoing.setTimeout(this.timeoutMs, () => {
        outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      outgoing.on('error', reject);
      outgoing.end(raw.body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
