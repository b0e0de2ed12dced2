/**
 * The principal authorizer: an HTTP API Lambda authorizer (payload 2.0, simple responses)
 * that accepts either credential a caller may hold, on the same routes (a route has one
 * authorizer, so one must accept both):
 *
 * - `Authorization: Bearer <access token>`: a user's JWT from the user pool, verified in
 *   memory against the issuer's keys (aws-jwt-verify); its groups name the tenant, its
 *   `scope` claim the scopes.
 * - `x-api-key: tap_<key id>_<secret>`: a machine client's own key, looked up by its id
 *   (one GetItem) and compared by hash in constant time; its record names tenant, client,
 *   scopes, expiry and status.
 *
 * It authenticates; the API authorizes (each route's scopes, the tenant's data). The
 * principal travels in the authorizer context, the only place the API reads identity from.
 *
 * Every refusal (no credential, both, a malformed or invalid one) throws `Unauthorized`,
 * which API Gateway answers as the same 401. If the key table cannot be read, the
 * authorizer fails closed with another error, which the gateway answers as a 500: an outage
 * never opens the API. The gateway caches no decision (`AUTHORIZER_CACHE_TTL_SECONDS` is
 * 0); key records are cached here for `MACHINE_KEY_CACHE_SECONDS`, so a revoked key is
 * refused within seconds by every container.
 */
import { timingSafeEqual } from 'node:crypto';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import {
  API_KEY_HEADER,
  MACHINE_KEY_CACHE_SECONDS,
  parseMachineKey,
  toAuthorizerContext,
  type AuthorizerContext,
  type MachineKeyRecord,
  type Principal,
} from '@tap/contracts';
import { hashKeySecret } from '@tap/contracts/machine-key-hash';
import {
  wrapInvocation,
  type InvocationMetrics,
  type LazyLogger,
  type Tracing,
} from '@tap/lambda-runtime';
import {
  InvalidCredentialError,
  type MachineKeyStore,
  type TokenVerifier,
} from '../../core/credentials';

/** The message API Gateway turns into its 401 answer; any other error becomes a 500. */
export const UNAUTHORIZED_MESSAGE = 'Unauthorized';

/** The message of the fail-closed error (a 500 at the gateway). */
export const UNAVAILABLE_MESSAGE = 'Authorizer unavailable';

/** Most key records held in memory; the oldest go first beyond it. */
export const MAX_CACHED_KEYS = 10_000;

/** Metric names the authorizer publishes (namespace `TAP`, dimension `service`). */
export const AUTHORIZER_METRICS = {
  allowed: 'AuthorizerAllowed',
  denied: 'AuthorizerDenied',
  failed: 'AuthorizerError',
  /** Key records read from the table (cache misses): the cost of machine traffic. */
  keyLookups: 'AuthorizerKeyLookups',
} as const;

/** The authorizer's answer: the principal, as the context the API reads. */
export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

/** The authorizer Lambda handler. */
export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
  context?: Context,
) => Promise<AuthorizerResult>;

/** Dependencies of {@link createPrincipalAuthorizer}. */
export interface AuthorizerDependencies {
  readonly tokens: TokenVerifier;
  readonly keys: MachineKeyStore;
  /**
   * Where the few lines go (refusals at INFO, failures). The function's is a
   * {@link LazyLogger}: an accepted credential writes no line, so its cold start skips the
   * Logger; the handler awaits `flush()`, when there is one, before it answers.
   */
  readonly logger: Pick<LazyLogger, 'error' | 'warn' | 'info'> & Partial<Pick<LazyLogger, 'flush'>>;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** How long a key record is reused, in seconds; default `MACHINE_KEY_CACHE_SECONDS`. */
  readonly keyCacheSeconds?: number;
  /** Clock in ms; defaults to `Date.now`. */
  readonly now?: () => number;
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

/** `Bearer <token>`, the scheme case-insensitive (RFC 9110), one space, a JWT-shaped token. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Compares a secret with a stored hash in constant time (both are 32-byte digests). */
function secretMatches(secret: string, secretHash: string): boolean {
  if (!SHA256_HEX.test(secretHash)) return false;
  return timingSafeEqual(Buffer.from(hashKeySecret(secret), 'hex'), Buffer.from(secretHash, 'hex'));
}

/** Key records by id, each for a few seconds; concurrent misses share one read. */
class KeyRecordCache {
  private readonly entries = new Map<
    string,
    { readonly record: MachineKeyRecord | undefined; readonly until: number }
  >();
  private readonly reads = new Map<string, Promise<MachineKeyRecord | undefined>>();

  constructor(
    private readonly store: MachineKeyStore,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly onLookup: () => void,
  ) {}

  async find(keyId: string): Promise<MachineKeyRecord | undefined> {
    const cached = this.entries.get(keyId);
    if (cached && cached.until > this.now()) return cached.record;
    let read = this.reads.get(keyId);
    if (!read) {
      this.onLookup();
      read = this.store.find(keyId).finally(() => this.reads.delete(keyId));
      this.reads.set(keyId, read);
    }
    // A failed read is not cached: the next request asks the table again.
    const record = await read;
    this.entries.delete(keyId);
    if (this.entries.size >= MAX_CACHED_KEYS) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    // Unknown ids are cached too, so a stream of made-up keys costs one read per id.
    this.entries.set(keyId, { record, until: this.now() + this.ttlMs });
    return record;
  }
}

/** How one invocation ended, for metrics and the trace. */
type Outcome = 'allowed' | 'denied' | 'failed';

/** Creates the authorizer handler. */
export function createPrincipalAuthorizer(deps: AuthorizerDependencies): AuthorizerHandler {
  const now = deps.now ?? ((): number => Date.now());
  let lookups = 0;
  const keyCache = new KeyRecordCache(
    deps.keys,
    (deps.keyCacheSeconds ?? MACHINE_KEY_CACHE_SECONDS) * 1000,
    now,
    () => {
      lookups += 1;
    },
  );

  const refuse = (message: string, reason: string): never => {
    throw new InvalidCredentialError(message, reason);
  };

  const machinePrincipal = async (presented: string): Promise<Principal> => {
    const parts = parseMachineKey(presented);
    if (!parts) return refuse('the API key is not a TAP machine key', 'malformed-key');
    let record: MachineKeyRecord | undefined;
    try {
      record = await keyCache.find(parts.keyId);
    } catch (error) {
      // Never log a key; the error holds only why the table could not be read.
      deps.logger.error('cannot read the key table; denying', { error });
      throw new Error(UNAVAILABLE_MESSAGE);
    }
    // The same refusal whether the id is unknown or the secret wrong: an id alone (it is
    // public, in every key's prefix) tells an attacker nothing.
    if (!record || !secretMatches(parts.secret, record.secretHash)) {
      return refuse('no machine key matches', 'unknown-key');
    }
    if (record.status !== 'active') return refuse(`key ${record.keyId} is revoked`, 'revoked-key');
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now()) {
      return refuse(`key ${record.keyId} expired at ${record.expiresAt}`, 'expired-key');
    }
    return {
      kind: 'machine',
      tenant: record.tenant,
      subject: record.client,
      scopes: record.scopes,
    };
  };

  /** The principal of a request; throws InvalidCredentialError or the fail-closed error. */
  const authenticate = async (event: APIGatewayRequestAuthorizerEventV2): Promise<Principal> => {
    const authorization = headerValue(event.headers, 'authorization');
    const apiKey = headerValue(event.headers, API_KEY_HEADER);
    // Two credentials could name two principals; picking one would let a client's header
    // choose which. Neither is used.
    if (authorization !== undefined && apiKey !== undefined) {
      return refuse('both a token and an API key were sent', 'two-credentials');
    }
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined)
        return refuse('the Authorization header is not a bearer JWT', 'malformed-token');
      return deps.tokens.verify(token);
    }
    if (apiKey !== undefined && apiKey !== '') return machinePrincipal(apiKey);
    return refuse('no credential', 'no-credential');
  };

  return wrapInvocation({ metrics: deps.metrics, tracing: deps.tracing }, async (event, trace) => {
    let outcome: Outcome = 'failed';
    let principal: Principal | undefined;
    lookups = 0;
    try {
      principal = await authenticate(event);
      outcome = 'allowed';
    } catch (error) {
      if (!(error instanceof InvalidCredentialError)) throw error;
      outcome = 'denied';
      trace.annotate('reason', error.reason);
      deps.logger.info('credential refused', { reason: error.reason, detail: error.message });
    } finally {
      trace.annotate('outcome', outcome);
      if (principal) trace.annotate('principalKind', principal.kind);
      deps.metrics.publish({}, [
        { name: AUTHORIZER_METRICS.allowed, unit: 'Count', value: outcome === 'allowed' ? 1 : 0 },
        { name: AUTHORIZER_METRICS.denied, unit: 'Count', value: outcome === 'denied' ? 1 : 0 },
        { name: AUTHORIZER_METRICS.failed, unit: 'Count', value: outcome === 'failed' ? 1 : 0 },
        { name: AUTHORIZER_METRICS.keyLookups, unit: 'Count', value: lookups },
      ]);
      // Lines asked for during this invocation are out before Lambda may freeze it.
      await deps.logger.flush?.();
    }
    if (!principal) throw new Error(UNAUTHORIZED_MESSAGE);
    return { isAuthorized: true, context: toAuthorizerContext(principal) };
  });
}
