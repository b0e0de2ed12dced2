/**
 * `If-Match` and `ETag`: an item's entity tag is its version number in quotes.
 */
import { ValidationError } from './errors';

/** What an `If-Match` header asks for. */
export type Precondition =
  /** No header: the write is unconditional (beyond the item existing). */
  | { readonly kind: 'none' }
  /** `*`: the item must exist. */
  | { readonly kind: 'exists' }
  /** `"N"` or `W/"N"`: the item must be at version N. */
  | { readonly kind: 'version'; readonly version: number };

const ENTITY_TAG = /^(?:W\/)?"([1-9][0-9]{0,14})"$/;

/** The strong entity tag of a version, as sent in `ETag`. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Parses an `If-Match` header value.
 *
 * @throws ValidationError (`/headers/If-Match`) when it is neither `*` nor one entity tag
 * holding a version number.
 */
export function parseIfMatch(header: string | undefined): Precondition {
  if (header === undefined) return { kind: 'none' };
  const value = header.trim();
  if (value === '*') return { kind: 'exists' };
  const match = ENTITY_TAG.exec(value);
  if (!match?.[1]) {
    throw new ValidationError([
      {
        path: '/headers/If-Match',
        message: 'must be * or an entity tag from ETag, such as "3"',
      },
    ]);
  }
  return { kind: 'version', version: Number(match[1]) };
}
