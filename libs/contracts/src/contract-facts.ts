/**
 * The limits, headers and patterns the code enforces outside the schemas' validation, each
 * read from the contract (`deriveContractFacts` in ./document-model.ts says where). They
 * come from the generated module, a handful of literals: a function that needs only the
 * API key header does not bundle the whole document to read it.
 *
 * Nothing in the workspace writes one of these by hand; `hand-written-facts.spec.ts` fails
 * when something does.
 */
import {
  defaultPageSize,
  entityTagPattern,
  maxAttributes,
  ifMatchPattern,
  maxRequestBodyBytes,
  maxUploadBytes,
} from './generated/contract-facts';

export { contractFacts } from './generated/contract-facts';

/** Largest decoded request body the API reads, in bytes (`x-tap-max-request-body-bytes`). */
export const MAX_REQUEST_BODY_BYTES = maxRequestBodyBytes;

/**
 * Largest file an upload may declare, in bytes: the `maximum` of `createFileUpload`'s
 * `contentLength`, S3's ceiling for one PUT. No stack may set a higher upload limit.
 */
export const MAX_UPLOAD_BYTES_LIMIT = maxUploadBytes;

/**
 * The `pattern` of the `ETag` response header: an item version as a strong entity tag.
 * Like every JSON Schema pattern, an ECMA-262 regular expression (ajv adds the `u` flag).
 */
export const ENTITY_TAG_PATTERN = entityTagPattern;

/** The `pattern` of the `If-Match` parameter: `*`, or one entity tag, strong or weak. */
export const IF_MATCH_PATTERN = ifMatchPattern;

/** Most attributes an item may hold: the `Attributes` schema's `maxProperties`. */
export const MAX_ATTRIBUTES = maxAttributes;

/** Page size of `GET /api/items` without `limit`: the `limit` parameter's `default`. */
export const DEFAULT_PAGE_SIZE = defaultPageSize;
