/** Usernames the issuer accepts: Cognito's characters, without spaces, at most 128. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@+-]{1,128}$/;
/** Tenant ids: lower-case DNS-label-like, so `tenant:<id>` is a valid group name. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** The longest token lifetime a request may ask for: one day, as Cognito allows. */
export const MAX_TOKEN_SECONDS = 86_400;

/** What a caller asks {@link OidcIssuer.issueTokens} for. */
export interface TokenRequest {
  readonly username: string;
  /** Carried as the group `tenant:<tenant>`; no groups claim without it. */
  readonly tenant?: string;
  /** Scope names without the resource server prefix; default: all the issuer knows. */
  readonly scopes?: readonly string[];
  /** Token lifetime; default: the issuer's `accessTokenSeconds`. */
  readonly expiresInSeconds?: number;
}

/** A token request with a bad value; the message names the field and what it must be. */
export class InvalidTokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenRequestError';
  }
}

/** A validated {@link TokenRequest}, defaults applied. */
export interface ValidTokenRequest {
  readonly username: string;
  readonly tenant: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresInSeconds: number;
}

/** @throws InvalidTokenRequestError unless `value` is a username the issuer accepts. */
export function validateUsername(value: unknown): string {
  if (typeof value !== 'string' || !USERNAME_PATTERN.test(value)) {
    throw new InvalidTokenRequestError(
      `username must be 1 to 128 letters, digits or . _ @ + -, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** @throws InvalidTokenRequestError unless `value` is absent or a valid tenant id. */
export function validateTenant(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !TENANT_PATTERN.test(value)) {
    throw new InvalidTokenRequestError(
      'tenant must be 1 to 63 lower-case letters, digits or -, starting with a letter or ' +
        `digit, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** @throws InvalidTokenRequestError unless `value` is a whole number of seconds in range. */
export function validateLifetime(value: unknown, field = 'expiresInSeconds'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidTokenRequestError(
      `${field} must be a whole number of seconds from 1 to ${MAX_TOKEN_SECONDS}, got ${JSON.stringify(value)}`,
    );
  }
  if (value > MAX_TOKEN_SECONDS) {
    throw new InvalidTokenRequestError(
      `${field} must be at most ${MAX_TOKEN_SECONDS} (one day), got ${value}`,
    );
  }
  return value;
}

/**
 * The requested scopes, deduplicated, in the order the issuer lists them (so a token's
 * `scope` claim does not depend on how the request spelled it); all when none are asked for.
 *
 * @throws InvalidTokenRequestError naming the scopes the issuer does not know.
 */
export function validateScopes(value: unknown, allowed: readonly string[]): readonly string[] {
  if (value === undefined) return allowed;
  if (!Array.isArray(value) || !value.every((scope) => typeof scope === 'string')) {
    throw new InvalidTokenRequestError('scopes must be a list of scope names');
  }
  const unknown = value.filter((scope) => !allowed.includes(scope));
  if (unknown.length > 0) {
    throw new InvalidTokenRequestError(
      `unknown scope${unknown.length === 1 ? '' : 's'} ${unknown.map((scope) => JSON.stringify(scope)).join(', ')}; ` +
        `the issuer knows ${allowed.join(', ')}`,
    );
  }
  return allowed.filter((scope) => value.includes(scope));
}

/**
 * Checks every field of a token request, as it may come from JSON.
 *
 * @param defaultSeconds the lifetime when the request names none.
 * @throws InvalidTokenRequestError on the first bad or unknown field.
 */
export function validateTokenRequest(
  request: unknown,
  allowedScopes: readonly string[],
  defaultSeconds: number,
): ValidTokenRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidTokenRequestError(
      'a token request must be an object { username, tenant?, scopes?, expiresInSeconds? }',
    );
  }
  const fields = request as Readonly<Record<string, unknown>>;
  // A misspelt field (`scope`, `expiresIn`) would otherwise be ignored silently and the
  // caller would get a token other than the one asked for.
  const unknown = Object.keys(fields).filter((key) => !TOKEN_REQUEST_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidTokenRequestError(
      `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; ` +
        `a token request has ${TOKEN_REQUEST_FIELDS.join(', ')}`,
    );
  }
  return {
    username: validateUsername(fields['username']),
    tenant: validateTenant(fields['tenant']),
    scopes: validateScopes(fields['scopes'], allowedScopes),
    expiresInSeconds:
      fields['expiresInSeconds'] === undefined
        ? defaultSeconds
        : validateLifetime(fields['expiresInSeconds']),
  };
}

const TOKEN_REQUEST_FIELDS: readonly string[] = [
  'username',
  'tenant',
  'scopes',
  'expiresInSeconds',
];
