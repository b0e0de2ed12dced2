/**
 * Reading a JSON request body from an API Gateway event: decoding, media type, size and
 * syntax, each failure with its own problem type.
 */
import { MAX_REQUEST_BODY_BYTES } from '@tap/contracts';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../core/errors';

/** Largest decoded body accepted, in bytes: the contract's `x-tap-max-request-body-bytes`. */
export const MAX_BODY_BYTES = MAX_REQUEST_BODY_BYTES;

/** The body-related parts of a payload v2 event. */
export interface EventBody {
  readonly body?: string | undefined;
  readonly isBase64Encoded?: boolean | undefined;
  readonly contentType: string | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether a Content-Type is JSON: `application/json`, `application/merge-patch+json` or any
 * `type/subtype+json`, with at most a UTF-8 charset (RFC 8259 allows no other encoding).
 */
export function isJsonMediaType(contentType: string): boolean {
  const [essence = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  const match = /^([a-z0-9!#$&^_.+-]+)\/([a-z0-9!#$&^_.+-]+)$/i.exec(essence);
  if (!match?.[2]) return false;
  const subtype = match[2].toLowerCase();
  const type = match[1]?.toLowerCase();
  if (!(subtype.endsWith('+json') || (type === 'application' && subtype === 'json'))) return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    if (name.toLowerCase() !== 'charset') return true;
    return value.replace(/^"(.*)"$/, '$1').toLowerCase() === 'utf-8';
  });
}

/**
 * Reads the JSON body of a request.
 *
 * @returns the parsed value, or `undefined` when the request has no body.
 * @throws UnsupportedMediaTypeError, PayloadTooLargeError, MalformedJsonError.
 */
export function readJsonBody(event: EventBody): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  if (event.contentType === undefined || !isJsonMediaType(event.contentType)) {
    throw new UnsupportedMediaTypeError();
  }
  const bytes = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64')
    : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new MalformedJsonError();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedJsonError();
  }
}
