// The header name is the contract's (`apiKey` security scheme); the build inlines it, so
// the published package does not depend on @tap/contracts.
import { API_KEY_HEADER, type paths } from '@tap/contracts';
import createClient, { type Client, type Middleware } from 'openapi-fetch';

/** What {@link TapClientOptions.accessToken} is told when it is asked for a token. */
export interface AccessTokenContext {
  /**
   * `true` when the API refused the last token (401): return a new one (refresh it),
   * not the cached one. `false` for every ordinary call: a cached token is expected.
   */
  readonly forceRefresh: boolean;
}

/**
 * Returns the OAuth 2.0 access token to send as `Authorization: Bearer <token>`.
 * A function that ignores its argument (`() => token`) is one, too.
 */
export type AccessTokenProvider = (context: AccessTokenContext) => string | Promise<string>;

/** Options of {@link createTapClient}. */
export interface TapClientOptions {
  /** Base URL of the API: a stack's `ApiUrl` output, or the local cloud's. */
  readonly baseUrl: string;
  /**
   * API key of a machine client, sent in the contract's API key header on every call.
   * Not needed for `GET /health`. Mutually exclusive with {@link accessToken}.
   */
  readonly apiKey?: string;
  /**
   * The signed-in user's access token (a Cognito JWT), for a user rather than a machine
   * client. Mutually exclusive with {@link apiKey}: the API refuses a request carrying
   * both, so passing both throws a `TypeError`.
   *
   * - Called before every call with `{ forceRefresh: false }`; the result is sent as
   *   `Authorization: Bearer <token>`. Return a cached token: it is asked for per call
   *   so that a token renewed in the background is picked up.
   * - When a call is answered 401, it is called once with `{ forceRefresh: true }` and
   *   the call is sent again, once, with the token it returns. Calls refused while that
   *   refresh is in flight share it: concurrent 401s cause one refresh. A 401 to the
   *   retry is returned as is.
   * - When it throws (or rejects), the call rejects with that error; an empty token
   *   rejects the call with a `TypeError` instead of sending `Bearer ` with nothing.
   * - Not called for `GET /health`, which needs no credential: a health check works
   *   before anyone has signed in.
   *
   * @example
   * // A browser SPA: the user signs in with the authorization code flow and PKCE
   * // (e.g. oidc-client-ts against the Cognito domain), so the page holds no secret;
   * // the library keeps the tokens and renews them with the refresh token.
   * import { UserManager } from 'oidc-client-ts';
   *
   * const auth = new UserManager({ authority, client_id, redirect_uri, scope: 'openid' });
   * const tap = createTapClient({
   *   baseUrl,
   *   accessToken: async ({ forceRefresh }) => {
   *     const user = forceRefresh ? await auth.signinSilent() : await auth.getUser();
   *     if (!user) throw new Error('Not signed in');
   *     return user.access_token;
   *   },
   * });
   */
  readonly accessToken?: AccessTokenProvider;
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
 *
 * @throws TypeError when both `apiKey` and `accessToken` are given.
 */
export function createTapClient(options: TapClientOptions): TapClient {
  if (options.apiKey !== undefined && options.accessToken !== undefined) {
    // Fail at creation: the API's authorizer would refuse every single call.
    throw new TypeError(
      'createTapClient: pass either apiKey (a machine client) or accessToken (a user), not both',
    );
  }
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
  if (options.accessToken !== undefined) {
    client.use(bearerToken(options.accessToken));
  }
  return client;
}

/** Paths the API serves without a credential; no token is asked for them. */
const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health']);

/** A refresh of the token, in flight or settled. */
interface Refresh {
  /** Increases by one per refresh: tells a request whether this one began after it did. */
  readonly generation: number;
  readonly token: Promise<string>;
  settled: boolean;
}

/** What a sent request needs to be retried after a 401. */
interface Sent {
  /** A clone taken before sending: a body can be read only once. */
  readonly retry: Request;
  /** The refresh generation current when its token was asked for. */
  readonly generation: number;
}

/**
 * The middleware behind {@link TapClientOptions.accessToken}. Registered when the client
 * is created, so it runs first on the request and last on the response: the retry is
 * sent straight to `fetch`, and middlewares added later with `use()` see the first 401
 * before it is replaced by the retry's response.
 */
function bearerToken(accessToken: AccessTokenProvider): Middleware {
  let latest: Refresh | undefined;
  let generation = 0;
  // Keyed by the Request object rather than the call's id, so an entry cannot outlive
  // a call whose response never reaches this middleware (one answered by a later
  // middleware's onRequest). A request replaced by a later middleware is not found
  // here, and its 401 is returned rather than retried with a stale copy.
  const sent = new WeakMap<Request, Sent>();

  const withToken = async (request: Request, token: Promise<string> | string) => {
    const value = await token;
    if (typeof value !== 'string' || value === '') {
      throw new TypeError('createTapClient: accessToken returned no token');
    }
    request.headers.set('Authorization', `Bearer ${value}`);
    return request;
  };

  // One refresh for every request refused with a token older than it: a request whose
  // token was asked for before the latest refresh began (or while it is in flight)
  // waits for that refresh, even if it has already settled, instead of starting its own.
  const refreshFor = (requested: number): Promise<string> => {
    if (latest && (!latest.settled || latest.generation > requested)) return latest.token;
    generation += 1;
    const refresh: Refresh = {
      generation,
      token: Promise.resolve().then(() => accessToken({ forceRefresh: true })),
      settled: false,
    };
    const settle = () => {
      refresh.settled = true;
    };
    refresh.token.then(settle, settle);
    latest = refresh;
    return refresh.token;
  };

  return {
    async onRequest({ request, schemaPath }) {
      if (PUBLIC_PATHS.has(schemaPath)) return undefined;
      const requested = generation;
      const ready = await withToken(request, accessToken({ forceRefresh: false }));
      sent.set(ready, { retry: ready.clone(), generation: requested });
      return ready;
    },
    async onResponse({ request, response, options }) {
      const entry = sent.get(request);
      sent.delete(request);
      if (response.status !== 401 || !entry) return undefined;
      // Release the refused response's connection; it is replaced by the retry's.
      await response.body?.cancel().catch(() => undefined);
      const retry = await withToken(entry.retry, refreshFor(entry.generation));
      return options.fetch(retry);
    },
    onError({ request }) {
      sent.delete(request);
      return undefined;
    },
  };
}
