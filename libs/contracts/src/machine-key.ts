/**
 * Machine client keys: the format the key command issues and the authorizer parses, and
 * the record the key table holds. A key is `tap_<key id>_<secret>`: the public key id makes
 * the lookup one GetItem; the secret is 32 random bytes, stored only as its SHA-256 (see
 * `machine-key-hash.ts`). A fast hash is enough because the secret is random and long: no
 * dictionary or brute force reaches it, which is what a slow password hash guards against.
 */
import type { Scope } from './route-table';

/** Prefix of every machine key, so secret scanners and people recognise one. */
export const MACHINE_KEY_PREFIX = 'tap_';

/** Length of a key id: 16 characters of lower-case base32 (80 bits). */
export const KEY_ID_LENGTH = 16;

/** Length of a key's secret: 32 bytes in unpadded base64url. */
export const KEY_SECRET_LENGTH = 43;

const KEY_ID = /^[a-z2-7]{16}$/;
const MACHINE_KEY = /^tap_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;

/** A key split into its parts. */
export interface MachineKeyParts {
  readonly keyId: string;
  readonly secret: string;
}

/** Whether a string is a well-formed key id. */
export const isKeyId = (value: string): boolean => KEY_ID.test(value);

/** The key a client presents, from its parts. */
export const formatMachineKey = ({ keyId, secret }: MachineKeyParts): string =>
  `${MACHINE_KEY_PREFIX}${keyId}_${secret}`;

/** Splits a presented key; `undefined` when it is not one (no lookup is made then). */
export function parseMachineKey(value: string): MachineKeyParts | undefined {
  const match = MACHINE_KEY.exec(value);
  if (!match?.[1] || !match[2]) return undefined;
  return { keyId: match[1], secret: match[2] };
}

/** Whether a key may still be used. A revoked key stays in the table, for the audit trail. */
export type MachineKeyStatus = 'active' | 'revoked';

/** One machine key, as the key table stores it (the secret only as its hash). */
export interface MachineKeyRecord {
  readonly keyId: string;
  /** Hex SHA-256 of the secret. */
  readonly secretHash: string;
  readonly tenant: string;
  /** The client's name: the principal's subject, kept across rotations. */
  readonly client: string;
  readonly scopes: readonly Scope[];
  readonly status: MachineKeyStatus;
  /** ISO timestamps. */
  readonly createdAt: string;
  /** After this instant the key is refused; a rotation sets it to end the overlap. */
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  /** The key that replaced this one in a rotation. */
  readonly replacedBy?: string;
}

/**
 * How long the authorizer reuses a key record it read, in seconds. A revocation or expiry
 * reaches every container within this, plus DynamoDB's replication (well under a second):
 * inside the {@link REVOCATION_BOUND_SECONDS} the API promises.
 */
export const MACHINE_KEY_CACHE_SECONDS = 5;

/** The longest a revoked key keeps working, in seconds (what the revocation test checks). */
export const REVOCATION_BOUND_SECONDS = 10;

const isIsoInstant = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

/**
 * Reads a key table item back as a record; `undefined` when it is not a well-formed one
 * (such a key is refused, never half-trusted).
 */
export function parseMachineKeyRecord(
  item: Readonly<Record<string, unknown>>,
  knownScopes: readonly Scope[],
): MachineKeyRecord | undefined {
  const { keyId, secretHash, tenant, client, scopes, status, createdAt } = item;
  const { expiresAt, revokedAt, replacedBy } = item;
  if (typeof keyId !== 'string' || !isKeyId(keyId)) return undefined;
  if (typeof secretHash !== 'string' || typeof tenant !== 'string' || typeof client !== 'string') {
    return undefined;
  }
  if (status !== 'active' && status !== 'revoked') return undefined;
  if (!isIsoInstant(createdAt)) return undefined;
  // A set from the document client, or a list: either way, only known scopes.
  const listed = scopes instanceof Set ? [...scopes] : Array.isArray(scopes) ? scopes : undefined;
  if (!listed?.every((scope) => (knownScopes as readonly unknown[]).includes(scope))) {
    return undefined;
  }
  if (expiresAt !== undefined && !isIsoInstant(expiresAt)) return undefined;
  return {
    keyId,
    secretHash,
    tenant,
    client,
    scopes: knownScopes.filter((scope) => listed.includes(scope)),
    status,
    createdAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(isIsoInstant(revokedAt) ? { revokedAt } : {}),
    ...(typeof replacedBy === 'string' ? { replacedBy } : {}),
  };
}
