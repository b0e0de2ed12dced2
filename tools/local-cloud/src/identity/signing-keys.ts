import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomAlphanumeric } from '../random';

/** The only algorithm the issuer signs with, as Cognito user pools do. */
export const SIGNING_ALGORITHM = 'RS256';
const MODULUS_BITS = 2048;
/** Members an RSA private JWK must have (RFC 7518 §6.3), besides `kty`. */
const PRIVATE_RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * A public signing key as the JWKS document publishes it (Cognito's member set). A type,
 * not an interface, so it is assignable to JSON types with index signatures (verifiers').
 */
export type PublicSigningJwk = {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  /** The key's JWK thumbprint (RFC 7638, SHA-256). */
  readonly kid: string;
  readonly alg: typeof SIGNING_ALGORITHM;
  readonly use: 'sig';
};

/**
 * A JSON Web Key Set (RFC 7517 §5) of signing keys. `keys` is a plain array because
 * aws-jwt-verify's `Jwks` (what `cacheJwks` takes) wants one.
 */
export type JsonWebKeySet = {
  readonly keys: PublicSigningJwk[];
};

/** The issuer's signing key: the private half signs, the public half is published. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicSigningJwk;
}

/** Where the key lives in a data folder. */
export function signingKeyFile(dataDir: string): string {
  return path.join(dataDir, 'oidc', 'signing-key.json');
}

/** The JWKS publishing the given keys. */
export function publicJwks(...keys: readonly SigningKey[]): JsonWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) };
}

/**
 * The data folder's signing key, created on first use; without a data folder (in-memory
 * mode), a fresh key for this start. A kept key keeps tokens issued before a restart valid,
 * as a user pool's keys outlive its clients' sessions.
 *
 * @throws Error naming the key file when it exists but holds no usable RS256 key.
 */
export async function loadSigningKey(dataDir?: string): Promise<SigningKey> {
  if (dataDir === undefined) return signingKeyFromJwk(await generatePrivateJwk());
  const file = signingKeyFile(dataDir);
  const stored = await readPrivateJwk(file);
  if (stored) return signingKeyFromJwk(stored, file);
  const created = await generatePrivateJwk();
  // Two local clouds starting on one data folder must end up with the same key: the
  // first to link its file wins, the other adopts that key.
  const won = await createExclusively(file, `${JSON.stringify(created, null, 2)}\n`);
  if (won) return signingKeyFromJwk(created, file);
  const winner = await readPrivateJwk(file);
  if (!winner) throw new Error(`The signing key file ${file} vanished while it was created`);
  return signingKeyFromJwk(winner, file);
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    modulusLength: MODULUS_BITS,
    extractable: true,
  });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await thumbprint(jwk), alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** RFC 7638 thumbprint of the public members, so a kid names the key, whoever computes it. */
function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'sha256');
}

async function readPrivateJwk(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw unusable(file, 'it is not JSON');
  }
}

const unusable = (file: string | undefined, reason: string): Error =>
  new Error(
    `The signing key file ${file ?? '(generated)'} holds no usable RS256 key: ${reason}. ` +
      'Delete it to get a new key (tokens issued with the old one stop verifying).',
  );

async function signingKeyFromJwk(jwk: JWK, file?: string): Promise<SigningKey> {
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA') {
    throw unusable(file, 'it is not an RSA JWK');
  }
  const missing = PRIVATE_RSA_MEMBERS.filter((member) => typeof jwk[member] !== 'string');
  if (missing.length > 0) throw unusable(file, `it lacks ${missing.join(', ')}`);
  if (Buffer.from(jwk.n ?? '', 'base64url').length * 8 < MODULUS_BITS) {
    throw unusable(file, `its modulus is shorter than ${MODULUS_BITS} bits`);
  }
  let privateKey: CryptoKey;
  try {
    const imported = await importJWK(
      { ...jwk, alg: SIGNING_ALGORITHM, ext: false },
      SIGNING_ALGORITHM,
    );
    if (imported instanceof Uint8Array) throw new Error('not an asymmetric key');
    privateKey = imported;
  } catch (error) {
    throw unusable(file, error instanceof Error ? error.message : String(error));
  }
  // The kid is recomputed rather than trusted: it must name the key actually published.
  const kid = await thumbprint(jwk);
  return {
    kid,
    privateKey,
    publicJwk: {
      kty: 'RSA',
      n: jwk.n as string,
      e: jwk.e as string,
      kid,
      alg: SIGNING_ALGORITHM,
      use: 'sig',
    },
  };
}

/**
 * Writes `file` (mode 0600: it is a private key) unless it exists. The content goes to a
 * temporary file first and is then hard-linked into place, which fails when the target
 * exists, so no reader ever sees a partial key and no writer replaces another's.
 *
 * @returns whether this call created the file.
 */
async function createExclusively(file: string, text: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomAlphanumeric(8)}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
