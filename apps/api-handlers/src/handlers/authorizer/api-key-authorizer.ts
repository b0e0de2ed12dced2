/**
 * The API-key authorizer: an HTTP API Lambda authorizer (payload 2.0, simple responses).
 *
 * A key matching the secret's current value (AWSCURRENT) or its previous one (AWSPREVIOUS,
 * the value before the last rotation) is authorized, so clients have until the next
 * rotation to switch keys. A missing or wrong key throws `Unauthorized`, which API Gateway
 * answers as the same 401 in both cases. If the keys cannot be read, the authorizer fails
 * closed with a different error, which the gateway answers as a 500: an outage of Secrets
 * Manager never opens the API.
 *
 * Both keys are cached by the reader (`maxAge`). A request with the current key needs only
 * that one; AWSPREVIOUS is read the first time a key is not the current one. Right after
 * a rotation the cache still holds the old pair and a client already using the new key
 * would be refused for up to `maxAge`; so a key that matches neither cached key triggers
 * one forced refetch. Such refetches are shared while in flight and happen at most once
 * per `refreshIntervalMs` per container, so a stream of wrong keys cannot turn into a
 * stream of Secrets Manager calls. A refetch that fails changes nothing: the cached keys
 * decide.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import type { ApiKeySecretValue } from '@tap/contracts';
import { API_KEY_HEADER } from '@tap/contracts';
import {
  wrapInvocation,
  type InvocationMetrics,
  type LazyLogger,
  type Tracing,
} from '@tap/lambda-runtime';
import type { JsonSecretReader } from '../../core/secret-reader';
import { AWSPREVIOUS, isSecretVersionMissing, readSecretField } from '../../core/secret-reader';

/** The message API Gateway turns into its 401 answer; any other error becomes a 500. */
export const UNAUTHORIZED_MESSAGE = 'Unauthorized';

/** The message of the fail-closed error (a 500 at the gateway). */
export const UNAVAILABLE_MESSAGE = 'Authorizer unavailable';

/** Default least time between two forced refetches of the keys, per container, in ms. */
export const DEFAULT_REFRESH_INTERVAL_MS = 5000;

/** Metric names the authorizer publishes (namespace `TAP`, dimension `service`). */
export const AUTHORIZER_METRICS = {
  allowed: 'AuthorizerAllowed',
  denied: 'AuthorizerDenied',
  failed: 'AuthorizerError',
  /** Allowed with the previous key: clients that have not switched since the last rotation. */
  previousKeyUsed: 'AuthorizerPreviousKeyUsed',
  /** Forced refetches of the keys after a mismatch. */
  keysRefreshed: 'AuthorizerKeysRefreshed',
} as const;

/** Field of the secret's JSON holding the key, checked against the deployment contract. */
const API_KEY_FIELD = 'apiKey' satisfies keyof ApiKeySecretValue;

/** The authorizer's answer when the key matches; it passes no context to the route. */
export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<Record<string, never>>;

/** The authorizer Lambda handler. */
export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
  context?: Context,
) => Promise<AuthorizerResult>;

/** Dependencies of {@link createAuthorizer}. */
export interface AuthorizerDependencies {
  /** Reads the API key secret; it should cache, as it is called on every invocation. */
  readonly secrets: JsonSecretReader;
  readonly apiKeySecretId: string;
  /**
   * How long the reader caches a value, in seconds. A missing AWSPREVIOUS (a secret never
   * rotated) is remembered as long, so it is not asked for on every request.
   */
  readonly keyMaxAgeSeconds: number;
  /**
   * Where the few lines go (failures, refetches, fallbacks). The function's is a
   * {@link LazyLogger}: the right key writes no line, so its cold start skips the Logger;
   * the handler awaits `flush()`, when there is one, before it answers.
   */
  readonly logger: Pick<LazyLogger, 'error' | 'warn' | 'info'> & Partial<Pick<LazyLogger, 'flush'>>;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** Least time between two forced refetches; default {@link DEFAULT_REFRESH_INTERVAL_MS}. */
  readonly refreshIntervalMs?: number;
  /** Clock in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares two keys in constant time. Hashing first gives both sides the same length, so
 * neither the comparison's duration nor an early length check reveals the key's length.
 */
export function keysMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Finds a header regardless of the case the client sent it in. */
function headerValue(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** The keys a request may present. */
interface ApiKeys {
  readonly current: string;
  /** Undefined when the secret has no AWSPREVIOUS version (never rotated). */
  readonly previous?: string;
  /** Why AWSPREVIOUS could not be read, when it exists but failed. */
  readonly previousError?: unknown;
}

/** Which key a presented value matched. */
type KeyMatch = 'current' | 'previous' | undefined;

function matchKey(presented: string, keys: ApiKeys): KeyMatch {
  // Both comparisons always run, so the time taken does not tell which key matched.
  const current = keysMatch(presented, keys.current);
  const previous = keys.previous !== undefined && keysMatch(presented, keys.previous);
  if (current) return 'current';
  return previous ? 'previous' : undefined;
}

/** Reads the two keys, remembers a missing AWSPREVIOUS, and rate-limits forced refetches. */
class ApiKeyRing {
  private previousMissingUntil = Number.NEGATIVE_INFINITY;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<ApiKeys> | undefined;

  constructor(
    private readonly deps: AuthorizerDependencies,
    private readonly now: () => number,
    private readonly refreshIntervalMs: number,
  ) {}

  /** The current key, from the reader's cache when fresh. */
  current(forceFetch = false): Promise<string> {
    const { secrets, apiKeySecretId } = this.deps;
    return readSecretField(secrets, apiKeySecretId, API_KEY_FIELD, { forceFetch });
  }

  /**
   * The previous key, from the reader's cache when fresh: undefined when the secret has
   * none, `previousError` when it exists but cannot be read. Asked for only when a key is
   * not the current one, so a request with the current key never waits for it.
   */
  async previous(forceFetch = false): Promise<Omit<ApiKeys, 'current'>> {
    const { secrets, apiKeySecretId } = this.deps;
    if (!forceFetch && this.now() < this.previousMissingUntil) return {};
    try {
      const previous = await readSecretField(secrets, apiKeySecretId, API_KEY_FIELD, {
        versionStage: AWSPREVIOUS,
        forceFetch,
      });
      // A rotation gave the secret an AWSPREVIOUS: forget that it had none.
      this.previousMissingUntil = Number.NEGATIVE_INFINITY;
      return { previous };
    } catch (error) {
      if (!isSecretVersionMissing(error)) return { previousError: error };
      this.previousMissingUntil = this.now() + this.deps.keyMaxAgeSeconds * 1000;
      return {};
    }
  }

  /** Both keys; the current one must be readable. */
  async read(forceFetch = false): Promise<ApiKeys> {
    const [current, previous] = await Promise.all([
      this.current(forceFetch),
      this.previous(forceFetch),
    ]);
    return { current, ...previous };
  }

  /**
   * Refetches both keys, skipping the cache, or joins the refetch in flight (`started`
   * false). `undefined` when the last one started less than the interval ago: the cache is
   * that fresh already.
   */
  refresh(): { readonly keys: Promise<ApiKeys>; readonly started: boolean } | undefined {
    if (this.refreshing) return { keys: this.refreshing, started: false };
    const now = this.now();
    if (now - this.lastRefreshAt < this.refreshIntervalMs) return undefined;
    // Counted from the start, failed or not: an outage must not be retried per request.
    this.lastRefreshAt = now;
    this.refreshing = this.read(true).finally(() => {
      this.refreshing = undefined;
    });
    return { keys: this.refreshing, started: true };
  }
}

/** How one invocation ended, for metrics and the trace. */
type Outcome = 'allowed' | 'denied' | 'failed';

/** Creates the authorizer handler. */
export function createAuthorizer(deps: AuthorizerDependencies): AuthorizerHandler {
  const now = deps.now ?? ((): number => Date.now());
  const keyRing = new ApiKeyRing(deps, now, deps.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS);

  const failClosed = (message: string, error: unknown): Error => {
    // Never log a key; the error holds only the reason the secret could not be read.
    deps.logger.error(message, { error });
    return new Error(UNAVAILABLE_MESSAGE);
  };

  /** Decides; throws `Unauthorized` (401) or the fail-closed error (500). */
  const decide = async (
    presented: string | undefined,
  ): Promise<{ match: KeyMatch; refreshed: boolean }> => {
    let current: string;
    try {
      current = await keyRing.current();
    } catch (error) {
      throw failClosed('cannot read the API key secret; denying', error);
    }
    if (presented === undefined || presented === '') return { match: undefined, refreshed: false };
    // The common case decides on the current key alone. Answering it sooner than a match
    // of the previous key tells a client holding a valid key which one it holds, nothing
    // about any key it does not hold.
    if (keysMatch(presented, current)) return { match: 'current', refreshed: false };
    let keys: ApiKeys = { current, ...(await keyRing.previous()) };
    let match = matchKey(presented, keys);
    let refreshed = false;
    if (match === undefined) {
      const refresh = keyRing.refresh();
      if (refresh) {
        refreshed = refresh.started;
        try {
          keys = await refresh.keys;
          if (refresh.started) {
            deps.logger.info('refetched the API keys: a key matched neither cached key');
          }
          match = matchKey(presented, keys);
        } catch (error) {
          // The refetch could only have turned a refusal into a match; without it the
          // cached keys decide, as they would have without the refetch.
          if (refresh.started) {
            deps.logger.warn('cannot refetch the API keys; deciding with the cached ones', {
              error,
            });
          }
        }
      }
    }
    if (match === undefined && keys.previousError !== undefined) {
      // The key might be the previous one, which cannot be read: do not answer 401.
      throw failClosed('cannot read the previous API key; denying', keys.previousError);
    }
    return { match, refreshed };
  };

  return wrapInvocation({ metrics: deps.metrics, tracing: deps.tracing }, async (event, trace) => {
    let outcome: Outcome = 'failed';
    let match: KeyMatch;
    let refreshed = false;
    try {
      ({ match, refreshed } = await decide(headerValue(event.headers, API_KEY_HEADER)));
      outcome = match === undefined ? 'denied' : 'allowed';
    } finally {
      trace.annotate('outcome', outcome);
      if (match !== undefined) trace.annotate('keyVersion', match);
      deps.metrics.publish({}, [
        { name: AUTHORIZER_METRICS.allowed, unit: 'Count', value: outcome === 'allowed' ? 1 : 0 },
        { name: AUTHORIZER_METRICS.denied, unit: 'Count', value: outcome === 'denied' ? 1 : 0 },
        { name: AUTHORIZER_METRICS.failed, unit: 'Count', value: outcome === 'failed' ? 1 : 0 },
        {
          name: AUTHORIZER_METRICS.previousKeyUsed,
          unit: 'Count',
          value: match === 'previous' ? 1 : 0,
        },
        { name: AUTHORIZER_METRICS.keysRefreshed, unit: 'Count', value: refreshed ? 1 : 0 },
      ]);
      // Lines asked for during this invocation are out before Lambda may freeze it.
      await deps.logger.flush?.();
    }
    if (outcome === 'denied') throw new Error(UNAUTHORIZED_MESSAGE);
    return { isAuthorized: true, context: {} };
  });
}
