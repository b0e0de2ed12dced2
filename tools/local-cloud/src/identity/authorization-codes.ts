import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a code may wait for its exchange, as Cognito's do. */
export const CODE_LIFETIME_MS = 5 * 60 * 1000;

/** What a signed-in user granted a client, remembered until the code is exchanged. */
export interface AuthorizationGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  /** The PKCE S256 challenge: base64url(SHA-256(code_verifier)). */
  readonly codeChallenge: string;
  readonly username: string;
  readonly tenant: string | undefined;
  readonly scope: readonly string[];
  readonly nonce: string | undefined;
  /** Epoch seconds of the sign-in. */
  readonly authTime: number;
}

/** What the token request presents along with the code. */
export interface CodeExchange {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/** The PKCE S256 transformation (RFC 7636 §4.2). */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Authorization codes of the code flow: random, single-use, valid for
 * {@link CODE_LIFETIME_MS}, bound to the client, redirect URI and PKCE challenge they
 * were issued with.
 */
export class AuthorizationCodes {
  private readonly grants = new Map<string, AuthorizationGrant & { readonly expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  /** A new code for a grant. */
  issue(grant: AuthorizationGrant): string {
    this.forgetExpired();
    const code = randomBytes(32).toString('base64url');
    this.grants.set(code, { ...grant, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  /**
   * The grant behind a code, or undefined when the code is unknown, used, expired, or
   * presented with another client, redirect URI or a verifier that does not match. Any
   * presentation uses the code up (RFC 6749 §4.1.2), so a wrong verifier cannot be
   * followed by guesses.
   */
  redeem(code: string, exchange: CodeExchange): AuthorizationGrant | undefined {
    const grant = this.grants.get(code);
    if (!grant) return undefined;
    this.grants.delete(code);
    if (this.now() >= grant.expiresAt) return undefined;
    const matches =
      sameText(grant.clientId, exchange.clientId) &&
      sameText(grant.redirectUri, exchange.redirectUri) &&
      sameText(grant.codeChallenge, s256Challenge(exchange.codeVerifier));
    return matches ? grant : undefined;
  }

  /** Forgets every code (the issuer stopped). */
  clear(): void {
    this.grants.clear();
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, grant] of this.grants) {
      if (now >= grant.expiresAt) this.grants.delete(code);
    }
  }
}
