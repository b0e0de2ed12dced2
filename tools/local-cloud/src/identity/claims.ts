import { createHash, randomUUID } from 'node:crypto';

/** Who a token is for and what it grants, before it is dated and signed. */
export interface TokenSubject {
  readonly username: string;
  readonly tenant: string | undefined;
  /** The `scope` claim's entries, in order (`openid`, `<resourceServer>/<scope>`). */
  readonly scope: readonly string[];
  /** Epoch seconds of the sign-in the tokens stem from. */
  readonly authTime: number;
  /** The authorization request's nonce, echoed in the ID token (OIDC Core §3.1.3.7). */
  readonly nonce?: string;
}

/** What is the same for every token one issuer signs. */
export interface IssuerIdentity {
  readonly issuerUrl: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

/** The claims of one access token and its ID token, as a user pool would sign them. */
export interface TokenClaims {
  readonly access: Readonly<Record<string, unknown>>;
  readonly id: Readonly<Record<string, unknown>>;
}

/**
 * A stable `sub` for a username: SHA-256 of the pool id and username, laid out as a UUID
 * (version nibble 5, RFC 4122 variant, like a name-based UUID). Cognito assigns a random
 * UUID once per user; deriving it keeps it the same across restarts and in-memory runs
 * without storing users.
 */
export function subjectFor(userPoolId: string, username: string): string {
  // NUL cannot occur in either part, so no two (pool, username) pairs share an input.
  const bytes = createHash('sha256').update(`${userPoolId}\u0000${username}`).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}

/** The Cognito group that carries a tenant. */
export function tenantGroup(tenant: string): string {
  return `tenant:${tenant}`;
}

/**
 * The claims of an access token and an ID token from one sign-in, in the order and with
 * the members a Cognito user pool gives them. Access tokens carry no `aud` (Cognito's
 * have `client_id` instead); both share `origin_jti` and `event_id`, as tokens from one
 * authentication do.
 *
 * @param issuedAt epoch seconds.
 */
export function tokenClaims(
  issuer: IssuerIdentity,
  subject: TokenSubject,
  issuedAt: number,
  lifetimeSeconds: number,
): TokenClaims {
  const sub = subjectFor(issuer.userPoolId, subject.username);
  const groups =
    subject.tenant === undefined ? {} : { 'cognito:groups': [tenantGroup(subject.tenant)] };
  const originJti = randomUUID();
  const eventId = randomUUID();
  const exp = issuedAt + lifetimeSeconds;
  return {
    access: {
      sub,
      ...groups,
      iss: issuer.issuerUrl,
      version: 2,
      client_id: issuer.clientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: subject.scope.join(' '),
      auth_time: subject.authTime,
      exp,
      iat: issuedAt,
      jti: randomUUID(),
      username: subject.username,
    },
    id: {
      sub,
      aud: issuer.clientId,
      'cognito:username': subject.username,
      token_use: 'id',
      iss: issuer.issuerUrl,
      auth_time: subject.authTime,
      exp,
      iat: issuedAt,
      jti: randomUUID(),
      origin_jti: originJti,
      event_id: eventId,
      ...groups,
      ...(subject.nonce === undefined ? {} : { nonce: subject.nonce }),
    },
  };
}
