/**
 * Pagination cursors: opaque to clients, tamper-evident for us.
 *
 * A cursor is base64url of `version (1 byte) | HMAC-SHA256 (32 bytes) | JSON payload`,
 * the MAC covering version and payload. Anything that does not verify (a flipped byte, a
 * truncated string, a cursor signed with another key or holding another shape) is an
 * {@link InvalidCursorError}, so a client can never make a list start at a key of its
 * choosing, and never gets a 500 for a bad cursor. The payload names the tenant the cursor
 * was issued to, so another tenant's cursor, however well signed, is refused the same way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CursorKeySecretValue } from '@tap/contracts';
import { InvalidCursorError } from './errors';
import type { JsonSecretReader } from './secret-reader';
import { readSecretField } from './secret-reader';

/** The item a tenant's list continues after. */
export interface ItemKey {
  readonly id: string;
}

/**
 * Encodes and verifies cursors with one signing key. A `scope` names the list within the
 * tenant (an item's files: `fileListScope`); a tenant's items have none. A cursor is good
 * only for the tenant and the scope it was issued for.
 */
export interface CursorCodec {
  /** A cursor for `tenant`'s list (`scope`'s, if given), continuing after `key`. */
  encode(key: ItemKey, tenant: string, scope?: string): string;
  /**
   * @throws InvalidCursorError when the cursor was not issued by this codec's key, or was
   * issued to another tenant or for another list.
   */
  decode(cursor: string, tenant: string, scope?: string): ItemKey;
}

/** The scope of an item's file list: its cursors continue nothing else. */
export const fileListScope = (itemId: string): string => `files:${itemId}`;

/** Field of the secret's JSON holding the key, checked against the deployment contract. */
const SIGNING_KEY_FIELD = 'signingKey' satisfies keyof CursorKeySecretValue;

/** 2: the payload names the tenant (version 1 cursors, issued before tenants, are refused). */
const VERSION = 2;
const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates a codec keyed by `signingKey` (the secret's `signingKey` string). */
export function createCursorCodec(signingKey: string): CursorCodec {
  if (signingKey.length === 0) throw new Error('The cursor signing key must not be empty');
  const mac = (version: Buffer, payload: Buffer): Buffer =>
    createHmac('sha256', signingKey).update(version).update(payload).digest();

  return {
    encode(key, tenant, scope) {
      const version = Buffer.from([VERSION]);
      const payload = Buffer.from(
        JSON.stringify({
          t: tenant,
          ...(scope === undefined ? {} : { s: scope }),
          k: { id: key.id },
        }),
        'utf8',
      );
      return Buffer.concat([version, mac(version, payload), payload]).toString('base64url');
    },

    decode(cursor, tenant, scope) {
      // Node's base64url decoder skips characters it does not know; insist on the exact
      // alphabet and on the canonical encoding so no two strings decode to the same bytes.
      if (!BASE64URL.test(cursor)) throw new InvalidCursorError();
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError();
      if (bytes.length <= 1 + MAC_BYTES || bytes[0] !== VERSION) throw new InvalidCursorError();
      const version = bytes.subarray(0, 1);
      const tag = bytes.subarray(1, 1 + MAC_BYTES);
      const payload = bytes.subarray(1 + MAC_BYTES);
      if (!timingSafeEqual(tag, mac(version, payload))) throw new InvalidCursorError();
      return parsePayload(payload, tenant, scope);
    },
  };
}

function parsePayload(payload: Buffer, tenant: string, scope: string | undefined): ItemKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const issuedTo =
    typeof parsed === 'object' && parsed !== null && 't' in parsed ? parsed.t : undefined;
  if (issuedTo !== tenant) throw new InvalidCursorError();
  const issuedFor =
    typeof parsed === 'object' && parsed !== null && 's' in parsed ? parsed.s : undefined;
  if (issuedFor !== scope) throw new InvalidCursorError();
  const key = typeof parsed === 'object' && parsed !== null && 'k' in parsed ? parsed.k : undefined;
  const id = typeof key === 'object' && key !== null && 'id' in key ? key.id : undefined;
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError();
  return { id };
}

/**
 * Gives the codec for the current signing key, read from the secret on first use (not at
 * cold start) and then as often as the reader's cache allows. The codec is rebuilt only
 * when the key changes.
 */
export function createCursorCodecSource(
  reader: JsonSecretReader,
  secretId: string,
): () => Promise<CursorCodec> {
  let current: { readonly key: string; readonly codec: CursorCodec } | undefined;
  return async () => {
    const key = await readSecretField(reader, secretId, SIGNING_KEY_FIELD);
    if (current?.key !== key) current = { key, codec: createCursorCodec(key) };
    return current.codec;
  };
}
