/**
 * `If-Match` and `ETag`: an item's entity tag is its version number in quotes. The grammar
 * is the contract's: the `ETag` header's pattern and the `If-Match` parameter's.
 */
import { IF_MATCH_PATTERN } from '@tap/contracts';
import { ValidationError } from './errors';

/** What an `If-Match` header asks for. */
export type Precondition =
  /** No header: the write is unconditional (beyond the item existing). */
  | { readonly kind: 'none' }
  /** `*`: the item must exist. */
  | { readonly kind: 'exists' }
  /** `"N"` or `W/"N"`: the item must be at version N. */
  | { readonly kind: 'version'; readonly version: number };

/** `*` or one entity tag, strong or weak (`W/"3"`), as the contract writes it. */
const IF_MATCH = new RegExp(IF_MATCH_PATTERN, 'u');

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
  if (!IF_MATCH.test(value)) {
    throw new ValidationError([
      {
        path: '/headers/If-Match',
        message: 'must be * or an entity tag from ETag, such as "3"',
      },
    ]);
  }
  if (value === '*') return { kind: 'exists' };
  // An entity tag is its opaque part in quotes, after `W/` when weak (RFC 9110).
  return { kind: 'version', version: Number(value.slice(value.indexOf('"') + 1, -1)) };
}
