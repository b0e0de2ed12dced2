// The header name is the contract's (`apiKey` security scheme); the build inlines it, so
// the published package does not depend on @tap/contracts.
import { API_KEY_HEADER, type paths } from '@tap/contracts';
import createClient, {
  type Client,
  type ClientPathsWithMethod,
  type FetchResponse,
  type MaybeOptionalInit,
  type Middleware,
} from 'openapi-fetch';
// Imported, not read at run time: the build inlines the one field, so no `fs` in browsers.
import { version } from '../package.json';
import {
  requestIdOf,
  TapDownloadError,
  TapNetworkError,
  TapTimeoutError,
  toTapApiError,
} from './errors';
import {
  DEFAULT_RETRY,
  IDEMPOTENT_REPLAYED_HEADER,
  sendWithRetries,
  type CallContext,
  type RetryOptions,
} from './retry';

/** `tap-client/<version>`: the client's `user-agent` (Node) and `x-tap-client` header. */
export const TAP_CLIENT_ID = `tap-client/${version}`;

/** Header naming the client where `user-agent` cannot be set (browsers), on request. */
export const CLIENT_ID_HEADER = 'x-tap-client';

/** Timeout of a call, retries included, unless the client or the call sets another. */
export const DEFAULT_TIMEOUT_MS = 30_000;

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
  /**
   * Extra headers sent on every call. They win over the client's own (`user-agent`,
   * `x-tap-client`) and lose to a call's.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Throw a {@link TapApiError} (a subclass by status) on an HTTP error answer instead of
   * returning it as `error`; then `data` is always there. Each call may say otherwise.
   * Default `false`: `{ data, error, response }` as openapi-fetch returns it.
   */
  readonly throwOnError?: boolean;
  /**
   * Milliseconds a call may take in all, retries and their waits included (default
   * {@link DEFAULT_TIMEOUT_MS}); then it rejects with {@link TapTimeoutError} and the
   * request in flight is aborted. `false`: no timeout. Each call may set its own.
   */
  readonly timeoutMs?: number | false;
  /** Aborts every call of the client (each call may add its own `signal`). */
  readonly signal?: AbortSignal;
  /**
   * Retries of calls that are safe to send again (see {@link RetryOptions}); `false`
   * sends every request once. Each call may set its own.
   */
  readonly retry?: RetryOptions | false;
  /**
   * Send `x-tap-client: tap-client/<version>` on every call. Meant for browsers, where
   * `user-agent` cannot be set (in Node the client always sends
   * `user-agent: tap-client/<version>`); the API's CORS policy must allow the header.
   */
  readonly clientHeader?: boolean;
}

/** Per call options, next to openapi-fetch's own (`params`, `body`, `headers`, ...). */
export interface TapCallOptions {
  /** Overrides {@link TapClientOptions.throwOnError} for this call. */
  readonly throwOnError?: boolean;
  /** Overrides {@link TapClientOptions.timeoutMs} for this call. */
  readonly timeoutMs?: number | false;
  /** Aborts this call; the client's `signal` still applies. */
  readonly signal?: AbortSignal;
  /**
   * Overrides {@link TapClientOptions.retry} for this call: `false` sends once, an object
   * is merged over the client's settings.
   */
  readonly retry?: RetryOptions | false;
  /**
   * The `Idempotency-Key` of a POST or PATCH. By default, when retries are on, the client
   * makes one (`crypto.randomUUID()`) per call and sends it with every attempt; a key in
   * `headers` or `params.header` is kept as it is. `false`: send none (then a POST is
   * never retried).
   */
  readonly idempotencyKey?: string | false;
}

type Media = `${string}/${string}`;
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
type PathsWith<M extends Method> = ClientPathsWithMethod<Client<paths>, M>;
/** The operation object of a path and method. */
type Operation<P extends keyof paths, M extends Method> = paths[P][M & keyof paths[P]] &
  Record<string | number, unknown>;
type RequiredKeysOfHelper<T> = { [K in keyof T]: object extends Pick<T, K> ? never : K }[keyof T];
type RequiredKeysOf<T> =
  RequiredKeysOfHelper<T> extends undefined ? never : RequiredKeysOfHelper<T>;
/** openapi-fetch's rule: the init argument is optional unless something in it is required. */
type InitArgument<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];

/** What every result carries besides openapi-fetch's `{ data, error, response }`. */
export interface TapResultMeta {
  /** The answer's `ETag` (an item's version), to send back as `If-Match`. */
  readonly etag: string | undefined;
  /** The answer's request id (`x-request-id`, else API Gateway's), for support requests. */
  readonly requestId: string | undefined;
  /** `true` when the answer replays an earlier request's with the same `Idempotency-Key`. */
  readonly replayed: boolean;
}

/** Whether a call throws on an HTTP error: its own `throwOnError`, else the client's. */
type ThrowsFor<Init, ClientThrows extends boolean> = Init extends {
  readonly throwOnError: infer Throws;
}
  ? Throws extends boolean
    ? boolean extends Throws
      ? boolean
      : Throws
    : ClientThrows
  : ClientThrows;

/** The success half of openapi-fetch's result. */
type Success<Result> = Exclude<Result, { error: unknown }>;

/**
 * A call's result: `{ data, error, response }` plus {@link TapResultMeta}; with
 * `throwOnError`, only the success half (`data` typed, no `error`).
 */
export type TapResult<
  Op extends Record<string | number, unknown>,
  Init,
  Throws extends boolean,
> = (Throws extends true
  ? Success<FetchResponse<Op, Init, Media>>
  : FetchResponse<Op, Init, Media>) &
  TapResultMeta;

/** The success body of a call, what {@link unwrap} returns. */
export type TapData<Result> = Result extends { data: infer Data } ? Data : never;

/** One HTTP method of {@link TapClient}: openapi-fetch's, with {@link TapCallOptions}. */
export type TapMethod<M extends Method, ClientThrows extends boolean> = <
  P extends PathsWith<M>,
  Init extends MaybeOptionalInit<paths[P], M & keyof paths[P]> & TapCallOptions,
>(
  url: P,
  ...init: InitArgument<Init>
) => Promise<TapResult<Operation<P, M>, Init, ThrowsFor<Init, ClientThrows>>>;

/**
 * The lists {@link TapClient.paginate} walks, each with the field holding its entries.
 * A list that does not page yet (no `nextCursor`) is one page.
 */
const PAGED_LISTS = {
  '/api/items': 'items',
  '/api/items/{id}/files': 'files',
} as const satisfies { [P in PathsWith<'get'>]?: string };

/** A path {@link TapClient.paginate} can walk. */
export type PaginatedPath = keyof typeof PAGED_LISTS;

type ListBody<P extends PaginatedPath> = Success<
  FetchResponse<Operation<P, 'get'>, object, Media>
>['data'];

/** One entry of a paginated list: an item of `/api/items`, a file of a file list. */
export type PageEntry<P extends PaginatedPath> =
  ListBody<P> extends { readonly [K in (typeof PAGED_LISTS)[P]]: readonly (infer Entry)[] }
    ? Entry
    : never;

/** What {@link TapClient.paginate} takes: the list's `params` and the call options. */
export type PaginateInit<P extends PaginatedPath> = Omit<
  NonNullable<MaybeOptionalInit<paths[P], 'get'>>,
  'body' | 'parseAs'
> &
  Omit<TapCallOptions, 'throwOnError' | 'idempotencyKey'>;

/** Options of {@link TapClient.downloadFile}. */
export interface DownloadFileOptions {
  /** Aborts the download (also while its body is read); the client's `signal` applies too. */
  readonly signal?: AbortSignal;
  /**
   * Timeout of each of the two requests until its answer's headers (default: the
   * client's); reading the body is bounded by `signal` only, so large files can stream.
   */
  readonly timeoutMs?: number | false;
  /** A `fetch` for the download itself (from storage); defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * A client of the TAP API: every operation typed from the OpenAPI contract.
 * `ClientThrows` is `true` for a client created with `throwOnError: true`.
 */
export interface TapClient<ClientThrows extends boolean = false> {
  readonly GET: TapMethod<'get', ClientThrows>;
  readonly PUT: TapMethod<'put', ClientThrows>;
  readonly POST: TapMethod<'post', ClientThrows>;
  readonly PATCH: TapMethod<'patch', ClientThrows>;
  readonly DELETE: TapMethod<'delete', ClientThrows>;
  readonly HEAD: TapMethod<'head', ClientThrows>;
  readonly OPTIONS: TapMethod<'options', ClientThrows>;
  /** Adds openapi-fetch middlewares; they run once per call, around its retries. */
  use(...middleware: Middleware[]): void;
  /** Removes middlewares added with {@link TapClient.use}. */
  eject(...middleware: Middleware[]): void;
  /**
   * Every entry of a list, page after page (following `nextCursor`), as one async
   * iterable. Each page is a GET with `throwOnError`: a failed page throws a
   * {@link TapApiError} from the loop. `params.query.limit` is the page size.
   *
   * @example
   * for await (const item of tap.paginate('/api/items', { params: { query: { limit: 100 } } })) {
   *   console.log(item.name);
   * }
   */
  paginate<P extends PaginatedPath>(
    path: P,
    ...init: RequiredKeysOf<PaginateInit<P>> extends never ? [PaginateInit<P>?] : [PaginateInit<P>]
  ): AsyncGenerator<PageEntry<P>, void, undefined>;
  /**
   * Downloads an uploaded file: asks the API for its presigned URL, then GETs it from
   * storage (without the client's credential).
   *
   * @returns storage's answer, `ok`, with the bytes unread (`arrayBuffer()`, `body`, ...).
   * @throws TapDownloadError when the API refuses the URL (`stage: 'request-url'`, the
   *   {@link TapApiError} as `cause`) or storage the bytes (`stage: 'download'`).
   */
  downloadFile(itemId: string, fileId: string, options?: DownloadFileOptions): Promise<Response>;
}

/** Loosely typed init of a call, as the implementation sees it. */
type AnyInit = TapCallOptions & {
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly params?: { readonly query?: Record<string, unknown>; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
};
type AnyResult = { data?: unknown; error?: unknown; response: Response } & TapResultMeta;
type AnyCall = (url: string, init?: AnyInit) => Promise<AnyResult>;

/** Node (and runtimes like it) let a request set `user-agent`; browsers do not. */
const canSetUserAgent = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node ===
  'string';

/** `crypto.randomUUID()`, which browsers offer in secure contexts only. */
function newIdempotencyKey(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The retry settings of a call: the call's over the client's; `undefined` for none. */
function retryFor(
  client: RetryOptions | false | undefined,
  call: RetryOptions | false | undefined,
): Required<RetryOptions> | undefined {
  if (call === false || (call === undefined && client === false)) return undefined;
  return { ...DEFAULT_RETRY, ...(client || {}), ...call };
}

/** {@link retryFor} of a client's calls that set no retry of their own, worked out once. */
function clientRetry(client: RetryOptions | false | undefined) {
  const resolved = retryFor(client, undefined);
  return (call: RetryOptions | false | undefined) =>
    call === undefined ? resolved : retryFor(client, call);
}

/** One call's abort signal: the caller's, the client's and the timeout in one. */
interface CallScope {
  readonly signal: AbortSignal;
  readonly deadline: number | undefined;
  /** Stops the timer; `keepSignals` keeps the callers' signals linked (a body still read). */
  end(keepSignals?: boolean): void;
  /** What to throw for an error of the call: the abort's reason when it was aborted. */
  failure(error: unknown): unknown;
}

function openScope(
  signals: readonly (AbortSignal | undefined)[],
  timeoutMs: number | false,
): CallScope {
  const controller = new AbortController();
  const unlink: (() => void)[] = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      continue;
    }
    const forward = () => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    unlink.push(() => signal.removeEventListener('abort', forward));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: number | undefined;
  if (timeoutMs !== false && Number.isFinite(timeoutMs)) {
    deadline = Date.now() + timeoutMs;
    timer = setTimeout(() => controller.abort(new TapTimeoutError(timeoutMs)), timeoutMs);
  }
  return {
    signal: controller.signal,
    deadline,
    end(keepSignals = false) {
      clearTimeout(timer);
      if (!keepSignals) for (const remove of unlink) remove();
    },
    failure(error) {
      return controller.signal.aborted ? controller.signal.reason : error;
    },
  };
}

/**
 * Creates a typed TAP client on openapi-fetch. Calls return
 * `{ data, error, response, etag, requestId, replayed }`: `data` is the typed success
 * body, `error` the typed problem body (RFC 9457), so nothing throws on an HTTP error
 * status unless `throwOnError` says so. Calls that are safe to repeat are retried, and
 * every call has a timeout.
 *
 * @example
 * const tap = createTapClient({ baseUrl, apiKey });
 * const { data, error } = await tap.POST('/api/items', { body: { name: 'first' } });
 *
 * @throws TypeError when both `apiKey` and `accessToken` are given.
 */
export function createTapClient(
  options: TapClientOptions & { readonly throwOnError: true },
): TapClient<true>;
export function createTapClient(options: TapClientOptions): TapClient;
export function createTapClient(options: TapClientOptions): TapClient<boolean> {
  if (options.apiKey !== undefined && options.accessToken !== undefined) {
    // Fail at creation: the API's authorizer would refuse every single call.
    throw new TypeError(
      'createTapClient: pass either apiKey (a machine client) or accessToken (a user), not both',
    );
  }
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    // Only a fallback: every call passes a fetch of its own, which sends the call's signal
    // and resolves the global fetch per call (not at creation), so test doubles and
    // polyfills installed later are honoured.
    fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
    headers: {
      ...(canSetUserAgent() ? { 'user-agent': TAP_CLIENT_ID } : {}),
      ...(options.clientHeader ? { [CLIENT_ID_HEADER]: TAP_CLIENT_ID } : {}),
      ...options.headers,
    },
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
  const request = client.request as unknown as (
    method: string,
    url: string,
    init: Record<string, unknown>,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  const retriesOf = clientRetry(options.retry);
  const method = (name: string): AnyCall => {
    // The writes a key makes safe to repeat; the others need none.
    const writes = name === 'POST' || name === 'PATCH';
    return async (url, init = {}) => {
      const {
        throwOnError = options.throwOnError ?? false,
        timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        retry,
        idempotencyKey,
        fetch: callFetch,
        ...rest
      } = init;
      const scope = openScope([options.signal, signal], timeoutMs);
      const retries = retriesOf(retry);
      const chosenFetch = callFetch ?? options.fetch;
      const context: CallContext = {
        // The call's signal goes to the attempt, not to openapi-fetch's Request: a Request
        // follows its signal through a listener, and the global fetch makes a Request of
        // its own from the one it is given, so a signal on both is linked twice per
        // attempt (microseconds each, a few percent of a warm call on the local API).
        fetch: chosenFetch
          ? (sent: Request) => chosenFetch(new Request(sent, { signal: scope.signal }))
          : (sent: Request) => globalThis.fetch(sent, { signal: scope.signal }),
        retry: retries,
        // One key per call, made before the first attempt: every attempt (and a resend
        // after a refreshed token) carries the same.
        idempotencyKey:
          idempotencyKey === false || !writes
            ? undefined
            : (idempotencyKey ?? (retries ? newIdempotencyKey() : undefined)),
        signal: scope.signal,
        deadline: scope.deadline,
      };
      try {
        const result = await request(name, url, {
          ...rest,
          fetch: (sent: Request) => sendWithRetries(sent, context),
        });
        const { response } = result;
        if (throwOnError && !response.ok) throw toTapApiError(response, result.error);
        return {
          ...result,
          etag: response.headers.get('etag') ?? undefined,
          requestId: requestIdOf(response, result.error),
          replayed: response.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true',
        };
      } catch (error) {
        throw scope.failure(error);
      } finally {
        // A streamed body is read after the call returns: the callers' signals still
        // abort it, the timeout no longer does.
        scope.end(rest.parseAs === 'stream');
      }
    };
  };

  const GET = method('GET');

  async function* paginate(path: PaginatedPath, init: AnyInit = {}) {
    const field = PAGED_LISTS[path];
    let cursor: string | undefined;
    do {
      const params = init.params ?? {};
      const query = { ...params.query, ...(cursor === undefined ? {} : { cursor }) };
      const { data } = await GET(path, {
        ...init,
        params: { ...params, query },
        throwOnError: true,
      });
      const page = data as Record<string, unknown> & { nextCursor?: unknown };
      const entries = page[field];
      if (Array.isArray(entries)) yield* entries;
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
    } while (cursor !== undefined);
  }

  async function downloadFile(
    itemId: string,
    fileId: string,
    download: DownloadFileOptions = {},
  ): Promise<Response> {
    const grant = await GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: itemId, fileId } },
      signal: download.signal,
      timeoutMs: download.timeoutMs,
      throwOnError: false,
    });
    const url = (grant.data as { downloadUrl?: unknown } | undefined)?.downloadUrl;
    if (typeof url !== 'string') {
      const cause = toTapApiError(grant.response, grant.error);
      throw new TapDownloadError('request-url', grant.response.status, cause.problem, { cause });
    }
    const scope = openScope(
      [options.signal, download.signal],
      download.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    let keepSignals = false;
    try {
      let answer: Response;
      try {
        answer = await (download.fetch ?? globalThis.fetch)(url, { signal: scope.signal });
      } catch (error) {
        if (scope.signal.aborted) throw error;
        throw new TapNetworkError(`GET of the download URL got no answer`, { cause: error });
      }
      if (!answer.ok) {
        await answer.body?.cancel().catch(() => undefined);
        throw new TapDownloadError('download', answer.status);
      }
      keepSignals = true;
      return answer;
    } catch (error) {
      throw scope.failure(error);
    } finally {
      scope.end(keepSignals);
    }
  }

  return {
    GET,
    PUT: method('PUT'),
    POST: method('POST'),
    PATCH: method('PATCH'),
    DELETE: method('DELETE'),
    HEAD: method('HEAD'),
    OPTIONS: method('OPTIONS'),
    use: (...middleware) => client.use(...middleware),
    eject: (...middleware) => client.eject(...middleware),
    paginate,
    downloadFile,
  } as TapClient<boolean>;
}

/**
 * The data of a call's result, or a {@link TapApiError} thrown for its HTTP error: the
 * one-call form of `throwOnError`.
 *
 * @example
 * const item = await unwrap(tap.GET('/api/items/{id}', { params: { path: { id } } }));
 */
export async function unwrap<Result extends { readonly response: Response }>(
  result: Result | Promise<Result>,
): Promise<TapData<Success<Result>>> {
  const settled = await result;
  if (!settled.response.ok) {
    throw toTapApiError(settled.response, (settled as { error?: unknown }).error);
  }
  return (settled as unknown as { data: TapData<Success<Result>> }).data;
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
