/**
 * A user pool stand-in for the authorizer tests: RS256 key pairs and tokens signed with
 * them by jose, as Cognito signs access tokens. (jose is an ES module only; the workspace's
 * Jest preset compiles it like our own code.)
 */
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Jwk } from 'aws-jwt-verify/jwk';

/** Claims or header fields of a token. */
export type Fields = Readonly<Record<string, unknown>>;

/** A key pair the issuer holds, by the name it was created under. */
export interface IssuedKey {
  /** The public key as its JWKS lists it (`kid`, `alg: RS256`, `use: sig`). */
  readonly jwk: Jwk;
  /** The public key as PEM (SPKI): what a confused verifier might take as an HMAC secret. */
  readonly pem: string;
}

/** Signs test tokens. */
export interface TokenIssuer {
  /** Creates an RS256 key pair named `name` whose tokens carry `kid`. */
  createKey(name: string, kid: string): Promise<IssuedKey>;
  /** A token signed RS256 by the named key; `header` adds to or overrides `alg` and `kid`. */
  sign(name: string, claims: Fields, header?: Fields): Promise<string>;
  /** A token signed HS256 with `secret` (its UTF-8 bytes) as the key. */
  signHmac(secret: string, claims: Fields, header?: Fields): Promise<string>;
  stop(): Promise<void>;
}

/** Creates an issuer holding no key yet. */
export function startTokenIssuer(): TokenIssuer {
  const keys = new Map<string, { readonly privateKey: CryptoKey; readonly kid: string }>();
  return {
    async createKey(name, kid) {
      const pair = await generateKeyPair('RS256', { extractable: true });
      keys.set(name, { privateKey: pair.privateKey, kid });
      const jwk = await exportJWK(pair.publicKey);
      return {
        jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } as Jwk,
        pem: await exportSPKI(pair.publicKey),
      };
    },
    async sign(name, claims, header = {}) {
      const key = keys.get(name);
      if (!key) throw new Error(`No key named ${name}`);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
        .sign(key.privateKey);
    },
    signHmac: (secret, claims, header = {}) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', ...header })
        .sign(new TextEncoder().encode(secret)),
    async stop() {
      keys.clear();
    },
  };
}
