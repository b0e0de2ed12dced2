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
  acceptedContentTypes,
  defaultPageSize,
  entityTagPattern,
  idempotencyExpirySeconds,
  idempotencyKeyHeader,
  idempotentReplayedHeader,
  maxAttributes,
  maxBytesPerItem,
  maxFilesPerItem,
  ifMatchPattern,
  maxRequestBodyBytes,
  maxUploadBytes,
  octetStreamContentTypes,
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

/** Header a caller sends an idempotency key in (`Idempotency-Key`), in lower case. */
export const IDEMPOTENCY_KEY_HEADER = idempotencyKeyHeader;

/** Response header marking a replayed answer (`Idempotent-Replayed: true`), in lower case. */
export const IDEMPOTENT_REPLAYED_HEADER = idempotentReplayedHeader;

/** How long an idempotency key is remembered, in seconds (`x-tap-idempotency-expiry-seconds`). */
export const IDEMPOTENCY_EXPIRY_SECONDS = idempotencyExpirySeconds;

/** Most files an item may hold unless a stack lowers it (`x-tap-max-files-per-item`). */
export const DEFAULT_MAX_FILES_PER_ITEM = maxFilesPerItem;

/** Most bytes an item's files may hold unless a stack lowers it (`x-tap-max-bytes-per-item`). */
export const DEFAULT_MAX_BYTES_PER_ITEM = maxBytesPerItem;

/** The content types a file may be uploaded as (the `FileContentType` enum). */
export const ACCEPTED_CONTENT_TYPES = acceptedContentTypes;

/** Accepted types whose downloads are `application/octet-stream` attachments. */
export const OCTET_STREAM_CONTENT_TYPES = octetStreamContentTypes;
