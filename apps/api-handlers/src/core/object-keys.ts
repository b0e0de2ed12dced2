import { FILES_PREFIX, OCTET_STREAM_CONTENT_TYPES } from '@tap/contracts';

/**
 * Object keys and file-name encodings. Keys are built only here, only from the caller's
 * tenant (from the authorizer, never the request), the validated item id, a
 * server-generated file id and a sanitised name, so a client-chosen name can never reach
 * another tenant's or item's prefix (`../`), add a level (`/`) or smuggle control bytes.
 */

/** Longest sanitised name kept in a key. */
export const MAX_SANITIZED_NAME_LENGTH = 100;

/** Name used when sanitising leaves nothing. */
const FALLBACK_NAME = 'file';

/** User-metadata key holding the original file name (sent as `x-amz-meta-file-name`). */
export const FILE_NAME_METADATA_KEY = 'file-name';

/** Prefix of every object of a tenant: an IAM condition or a lifecycle rule can name it. */
export const tenantPrefix = (tenant: string): string => `${FILES_PREFIX}${tenant}/`;

/** Prefix of every object of an item. */
export const itemPrefix = (tenant: string, itemId: string): string =>
  `${tenantPrefix(tenant)}items/${itemId}/`;

/** Prefix of the object(s) of one file. */
export const filePrefix = (tenant: string, itemId: string, fileId: string): string =>
  `${itemPrefix(tenant, itemId)}${fileId}/`;

/**
 * Makes a file name safe as the last key segment: keeps `[A-Za-z0-9._-]`, turns every
 * other character (per code point) into `_`, strips leading dots (so never `.` or `..`
 * nor a hidden file), caps the length, and falls back to `file`.
 */
export function sanitizeFileName(fileName: string): string {
  const replaced = Array.from(fileName, (char) =>
    /^[A-Za-z0-9._-]$/.test(char) ? char : '_',
  ).join('');
  const sanitized = replaced.replace(/^\.+/, '').slice(0, MAX_SANITIZED_NAME_LENGTH);
  return sanitized.length > 0 ? sanitized : FALLBACK_NAME;
}

/** The key of an uploaded file: `tenants/{tenant}/items/{itemId}/{fileId}/{sanitizedName}`. */
export const fileObjectKey = (
  tenant: string,
  itemId: string,
  fileId: string,
  fileName: string,
): string => `${filePrefix(tenant, itemId, fileId)}${sanitizeFileName(fileName)}`;

/** What a file's object key names. */
export interface ParsedObjectKey {
  readonly tenant: string;
  readonly itemId: string;
  readonly fileId: string;
  readonly storedName: string;
}

/**
 * Splits a file's object key (`tenants/{tenant}/items/{itemId}/{fileId}/{name}`) into its
 * parts, or `undefined` when the key is not one this server builds.
 */
export function parseObjectKey(key: string): ParsedObjectKey | undefined {
  if (!key.startsWith(FILES_PREFIX)) return undefined;
  const [tenant, items, itemId, fileId, storedName, ...rest] = key
    .slice(FILES_PREFIX.length)
    .split('/');
  if (!tenant || items !== 'items' || !itemId || !fileId || !storedName || rest.length > 0) {
    return undefined;
  }
  return { tenant, itemId, fileId, storedName };
}

/** S3 metadata is ASCII: the original name travels percent-encoded (UTF-8). */
export const encodeFileNameMetadata = (fileName: string): string => encodeURIComponent(fileName);

/** Reverses {@link encodeFileNameMetadata}; `undefined` when the value is not valid encoding. */
export function decodeFileNameMetadata(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Largest user metadata S3 accepts on a PUT (keys plus values, UTF-8 bytes). */
export const MAX_USER_METADATA_BYTES = 2048;

/** Whether the name's metadata entry fits S3's user-metadata limit. */
export const fileNameFitsMetadata = (fileName: string): boolean =>
  FILE_NAME_METADATA_KEY.length + encodeFileNameMetadata(fileName).length <=
  MAX_USER_METADATA_BYTES;

/**
 * A `Content-Disposition` for downloading under the original name: an ASCII `filename`
 * for old clients, and the exact name as RFC 5987 `filename*`.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii =
    Array.from(fileName, (char) =>
      /^[\x20-\x7e]$/.test(char) && char !== '"' && char !== '\\' ? char : '_',
    )
      .join('')
      .trim() || FALLBACK_NAME;
  // encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow.
  const extended = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extended}`;
}

/**
 * Whether a name is well-formed UTF-16 (no lone surrogates). JSON can carry lone
 * surrogates as `\ud800` escapes, but they have no UTF-8 form, so neither percent-encoding
 * nor S3 could represent them.
 */
export const isWellFormedName = (fileName: string): boolean => !/\p{Surrogate}/u.test(fileName);

/** The type a download is served as. */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * Whether a file of this type is downloaded as `application/octet-stream`: the types a
 * browser could render as active content (`x-tap-octet-stream-content-types`), so that a
 * download URL opened in a browser never runs a tenant's script on the bucket's origin.
 */
export const servedAsOctetStream = (contentType: string): boolean =>
  (OCTET_STREAM_CONTENT_TYPES as readonly string[]).includes(contentType);
