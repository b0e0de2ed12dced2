// The header name is the contract's (`apiKey` security scheme); the build inlines it, so
// the published package does not depend on @tap/contracts.
import { API_KEY_HEADER, type paths } from '@tap/contracts';
import createClient, { type Client, type Middleware } from 'openapi-fetch';

/** Options of {@link createTapClient}. */
export interface TapClientOptions {
  /** Base URL of the API: a stack's `ApiUrl` output, or the local cloud's. */
  readonly baseUrl: string;
  /** API key, sent in the contract's API key header on every call. Not needed for `GET /health`. */
  readonly apiKey?: string;
  /** A `fetch` implementation; defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /** Extra headers sent on every call. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A client of the TAP API: every operation typed from the OpenAPI contract. */
export type TapClient = Client<paths>;

/**
 * Creates a typed TAP client on openapi-fetch. Calls return `{ data, error, response }`:
 * `data` is the typed success body, `error` the typed problem body (RFC 9457), so
 * nothing throws on an HTTP error status.
 *
 * @example
 * const tap = createTapClient({ baseUrl, apiKey });
 * const { data, error } = await tap.POST('/api/items', { body: { name: 'first' } });
 */
export function createTapClient(options: TapClientOptions): TapClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    // Resolve the global fetch per call, not at creation, so test doubles and
    // polyfills installed later are honoured.
    fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
    headers: { ...options.headers },
  });
  if (options.apiKey !== undefined) {
    const apiKey = options.apiKey;
    // A middleware rather than default headers: it applies to every request, and a
    // per-call header cannot accidentally drop the key.
    const withApiKey: Middleware = {
      onRequest({ request }) {
        request.headers.set(API_KEY_HEADER, apiKey);
        return request;
      },
    };
    client.use(withApiKey);
  }
  return client;
}
