/**
 * A user pool stand-in for the authorizer tests: RS256 key pairs and tokens signed with
 * them by jose, as Cognito signs access tokens. jose runs in a worker thread
 * (`jose-worker.mjs`): it is an ES module only, which Jest's CommonJS registry cannot load on
 * the workspace's Node versions.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** Starts the issuer's worker. */
export function startTokenIssuer(): TokenIssuer {
  const worker = new Worker(join(__dirname, 'jose-worker.mjs'));
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  worker.on('message', ({ id, result, error }: Reply) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (error === undefined) waiting?.resolve(result);
    else waiting?.reject(new Error(error));
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });

  const ask = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });

  return {
    createKey: (name, kid) => ask<IssuedKey>({ op: 'createKey', name, kid }),
    sign: (name, claims, header = {}) => ask<string>({ op: 'sign', name, claims, header }),
    signHmac: (secret, claims, header = {}) =>
      ask<string>({ op: 'signHmac', secret, claims, header }),
    async stop() {
      await worker.terminate();
    },
  };
}
