/**
 * {@link TokenVerifier} on aws-jwt-verify: a user pool access token, checked as Cognito's
 * own verifier checks one (signature against the issuer's JWKS, `iss`, `exp`, `nbf`,
 * `token_use: access`, `client_id` among the app clients), with the issuer given as a URL
 * so the local cloud's issuer is verified by the very same code.
 *
 * The JWKS, when known at deployment, is loaded into the cache at cold start: the first
 * token verifies without a network fetch. A token signed with a key the cache lacks (the
 * issuer rotated its keys) makes aws-jwt-verify fetch the JWKS again, rate-limited by its
 * penalty box so a stream of unknown `kid`s cannot turn into a stream of fetches.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { tokenScopes, userTenant, type Principal } from '@tap/contracts';
import { InvalidCredentialError, type TokenVerifier } from '../../core/credentials';

/** A token without `exp`: it would never expire, so it is refused. */
class MissingExpiryError extends Error {
  constructor() {
    super('the token has no expiry (exp)');
    this.name = 'MissingExpiryError';
  }
}

/** Options of {@link createJwtTokenVerifier}. */
export interface JwtTokenVerifierOptions {
  /** The tokens' `iss`. */
  readonly issuer: string;
  /** Where the issuer publishes its keys. */
  readonly jwksUri: string;
  /** App clients whose access tokens are accepted (`client_id`). */
  readonly clientIds: readonly string[];
  /** The issuer's JWKS, when known before the first request. */
  readonly jwks?: Jwks;
  /**
   * Without a `jwks`: fetch it at once, not on the first token (the composition root's
   * choice: its init overlaps the fetch).
   */
  readonly prefetch?: boolean;
  /** Clock in ms, for the expiry of tokens verified before; defaults to `Date.now`. */
  readonly now?: () => number;
  /** How the JWKS is fetched when it must be; default: `fetch` with a 3 s timeout. */
  readonly fetcher?: Fetcher;
}

/** Most verified tokens remembered; the oldest go first beyond it. */
export const MAX_VERIFIED_TOKENS = 10_000;

/** Budget of one JWKS fetch, in ms: well inside the authorizer's 10 s. */
const JWKS_FETCH_TIMEOUT_MS = 3000;

/**
 * Fetches with the runtime's `fetch`, which speaks http too: aws-jwt-verify's own fetcher
 * only speaks https, and the local cloud's issuer is on loopback http. Loaded only when a
 * fetch happens (never with a JWKS given and no key rotated).
 */
export const fetchJwksWithFetch: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`JWKS fetch answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * The refusal reason of aws-jwt-verify's errors. They set no `name` of their own (every one
 * is `Error`), and a minified bundle renames their classes, so the reason is looked up here.
 */
const REFUSAL_REASONS: readonly (readonly [abstract new (...args: never[]) => Error, string])[] = [
  [JwtExpiredError, 'expired-token'],
  [JwtNotBeforeError, 'token-not-yet-valid'],
  [JwtInvalidIssuerError, 'wrong-issuer'],
  [CognitoJwtInvalidClientIdError, 'wrong-client'],
  [CognitoJwtInvalidTokenUseError, 'not-an-access-token'],
  [JwtInvalidSignatureAlgorithmError, 'wrong-algorithm'],
  [JwtInvalidSignatureError, 'bad-signature'],
  [KidNotFoundInJwksError, 'unknown-signing-key'],
  [WaitPeriodNotYetEndedJwkError, 'unknown-signing-key'],
  [JwtWithoutValidKidError, 'unknown-signing-key'],
  [JwtParseError, 'malformed-token'],
  [MissingExpiryError, 'no-expiry'],
];

const refusalReason = (error: unknown): string =>
  REFUSAL_REASONS.find(([type]) => error instanceof type)?.[1] ?? 'invalid-token';

/** Creates the verifier. */
export function createJwtTokenVerifier(options: JwtTokenVerifierOptions): TokenVerifier {
  const clientIds = [...options.clientIds];
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      // Cognito's access tokens carry no `aud`; the app client is `client_id`, checked below.
      audience: null,
      jwksUri: options.jwksUri,
      customJwtCheck: ({ payload }) => {
        validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: clientIds });
        // aws-jwt-verify checks `exp` only when present; a token without one would never
        // expire. Cognito always sets it: a token without is refused.
        if (typeof payload.exp !== 'number') throw new MissingExpiryError();
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: options.fetcher ?? fetchJwksWithFetch }) },
  );
  if (options.jwks) verifier.cacheJwks(options.jwks);
  else if (options.prefetch) {
    // Started now, during the function's init, so the first token's verification joins a
    // fetch already under way instead of starting one; a failure is retried by that
    // verification (and refuses the token if the JWKS still cannot be read).
    verifier.hydrate().catch(() => undefined);
  }

  const now = options.now ?? ((): number => Date.now());
  /**
   * Tokens verified before, with what they proved, until they expire. A client sends the
   * same token for up to an hour; its signature, issuer and claims cannot change, so the
   * result is reused and only the expiry is checked again. Bounded: the oldest go first.
   */
  const verified = new Map<
    string,
    { readonly principal: Principal; readonly expiresAtMs: number }
  >();
  const remember = (token: string, principal: Principal, expiresAtMs: number): void => {
    if (verified.size >= MAX_VERIFIED_TOKENS) {
      const oldest = verified.keys().next();
      if (!oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { principal, expiresAtMs });
  };

  const verify = async (token: string): Promise<Principal> => {
    let payload: Awaited<ReturnType<typeof verifier.verify>>;
    try {
      payload = await verifier.verify(token);
    } catch (error) {
      throw new InvalidCredentialError(
        `the token does not verify: ${error instanceof Error ? error.message : String(error)}`,
        refusalReason(error),
        { cause: error },
      );
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0) {
      throw new InvalidCredentialError('the token has no subject', 'no-subject');
    }
    const tenant = userTenant(sub, payload['cognito:groups']);
    if (tenant === undefined) {
      throw new InvalidCredentialError(
        "the user's groups name no single tenant they may have",
        'ambiguous-tenant',
      );
    }
    const principal: Principal = {
      kind: 'user',
      tenant,
      subject: sub,
      scopes: tokenScopes(payload['scope']),
    };
    // `exp` is present: customJwtCheck refuses a token without one.
    remember(token, principal, (payload.exp ?? 0) * 1000);
    return principal;
  };

  return {
    async verify(token) {
      const known = verified.get(token);
      if (known === undefined) return verify(token);
      if (now() < known.expiresAtMs) return known.principal;
      verified.delete(token);
      throw new InvalidCredentialError('the token expired', 'expired-token');
    },
  };
}
