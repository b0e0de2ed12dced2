/**
 * The hash the key table stores of a machine key's secret. A module of its own, outside the
 * package's main entry, because it needs `node:crypto`: the typed client, which bundles the
 * contract for browsers, never loads it.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of a machine key's secret, as the key table holds it. */
export const hashKeySecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');
