/**
 * File ids: UUID version 7 (RFC 9562), whose first 48 bits are the Unix time in
 * milliseconds. An item's file records are sorted by `fileId`, so a list of them comes
 * oldest grant first, as the contract promises, with no index of its own.
 */
import { randomBytes } from 'node:crypto';

/** A new UUIDv7 for `now`: time-ordered to the millisecond, random within it. */
export function newFileId(now: Date = new Date()): string {
  const bytes = randomBytes(16);
  const millis = BigInt(now.getTime());
  for (let index = 0; index < 6; index += 1) {
    bytes[index] = Number((millis >> BigInt(8 * (5 - index))) & 0xffn);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
