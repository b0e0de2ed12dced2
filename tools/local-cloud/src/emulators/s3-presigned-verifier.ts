/**
 * Signature Version 4 verification of presigned (query-string signed) S3 requests.
 *
 * s3rver accepts any SigV4 signature: it only looks the access key up and checks the
 * expiry. The API hands clients presigned PUT URLs whose signature binds the Content-Type,
 * Content-Length and file name header, and relies on S3 refusing an upload that differs.
 * Without a real check the local cloud would store what S3 refuses, so the signature is
 * recomputed here over the request as it arrived, with the SDK's own signer, and the
 * request refused the way S3 refuses it when the two differ.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The request the signer signs (the SDK's `HttpRequest` shape). */
type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** What the signer accepts as data to hash. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** A request as it reached the emulator, before anything rewrote it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target as sent: the path and query, still percent-encoded. */
  readonly url: string;
  /** The headers as Node parsed them (lower-case names). */
  readonly headers: IncomingHttpHeaders;
}

/** How S3 refuses a request: its error code, message and the detail elements it adds. */
export interface S3Refusal {
  readonly code:
    | 'AccessDenied'
    | 'AuthorizationQueryParametersError'
    | 'InvalidAccessKeyId'
    | 'InvalidURI'
    | 'SignatureDoesNotMatch';
  readonly message: string;
  readonly detail: Readonly<Record<string, string>>;
}

/** Options of {@link verifyPresignedRequest}. */
export interface PresignedVerifierOptions {
  /** The secret of an access key, or undefined for a key the emulator does not know. */
  readonly secretAccessKeyOf: (accessKeyId: string) => string | undefined;
  /** The server's clock; the current time unless a test fixes it. */
  readonly now?: () => Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 refuses presigned URLs valid for longer than a week. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

/**
 * Stands for the body when signing. A presigned URL signs `UNSIGNED-PAYLOAD` in place of the
 * body's hash, and the signer uses that for a body it cannot hash (neither bytes, a string
 * nor absent: a stream, say). The body itself is never read here: s3rver streams it to disk.
 */
const UNHASHED_BODY = Object.freeze({ unhashed: true });

/**
 * SHA-256 (or HMAC-SHA-256 when given a secret) for the signer, from node:crypto: the
 * interface the SDK's signer expects of its `sha256` constructor.
 */
class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * The SDK's signer, keeping the canonical request and string to sign it computed: S3 puts
 * both in a SignatureDoesNotMatch answer, and they are what one compares with the client's
 * to see which part differed. One instance per verification, so concurrent requests never
 * share the record.
 */
class RecordingSigner extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';

  protected override createCanonicalRequest(
    ...args: Parameters<SignatureV4['createCanonicalRequest']>
  ): string {
    this.canonicalRequest = super.createCanonicalRequest(...args);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    ...args: Parameters<SignatureV4['createStringToSign']>
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(...args);
    return this.stringToSign;
  }
}

/** The query as the signer takes it: names and values decoded, repeated names as lists. */
type Query = Record<string, string | string[]>;

/**
 * Decodes the query string the way S3 reads it (`+` is a space, as in a form). The signer
 * re-encodes every name and value itself, so a value the client encoded differently (or not
 * at all, where that is harmless) still yields the canonical form S3 computes.
 */
function parseQuery(search: string): Query {
  const query: Query = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const previous = query[name];
    if (previous === undefined) query[name] = value;
    else if (typeof previous === 'string') query[name] = [previous, value];
    else previous.push(value);
  }
  return query;
}

/** RFC 3986 encoding of a path segment: what S3 (and the SDK, when it builds a key path) use. */
const encodeSegment = (segment: string): string =>
  encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * The canonical URI of an S3 request: the decoded path, each segment encoded once. S3 signs
 * the object key this way (not double-encoded like other services, hence `uriEscapePath:
 * false` below), so a client that encoded a character the SDK would not have, or left one
 * alone that the SDK encodes, still names the same key and the same signature. Undefined
 * when the path is not valid percent-encoding (`%zz`, or bytes that are not UTF-8).
 */
function canonicalPath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  return decoded.split('/').map(encodeSegment).join('/');
}

/** `yyyyMMdd'T'HHmmss'Z'` as a date, or undefined when it is not one (`20240230T...`). */
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  // The round trip rejects dates Date would roll over (February 30th is March 1st).
  return Number.isNaN(date.getTime()) || amzDate(date) !== text ? undefined : date;
}

const amzDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** S3's rendering of a time in error details: ISO 8601 without milliseconds. */
const s3Time = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A header's value as a client sent it; repeated headers joined as Node joins them. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const malformed = (message: string): S3Refusal => ({
  code: 'AuthorizationQueryParametersError',
  message,
  detail: {},
});

/** Splits a request target into its path and query string (without the `?`). */
function splitTarget(url: string): { path: string; search: string } {
  const mark = url.indexOf('?');
  return mark < 0
    ? { path: url, search: '' }
    : { path: url.slice(0, mark), search: url.slice(mark + 1) };
}

/**
 * Whether a request is signed in its query string with SigV4 (a presigned URL), which is
 * what {@link verifyPresignedRequest} checks. Parameter names are case-sensitive, as in S3.
 */
export function isPresignedV4(url: string): boolean {
  return new URLSearchParams(splitTarget(url).search).has('X-Amz-Algorithm');
}

/**
 * Checks a presigned (query-string SigV4) request as S3 does: well-formed authentication
 * parameters, a known access key, not expired, every `x-amz-*` header signed, and (checked
 * last) the signature recomputed over the method, path, query (all but
 * `X-Amz-Signature`), the headers named in `X-Amz-SignedHeaders` with the values the client
 * sent, and `UNSIGNED-PAYLOAD` (a presigned URL never signs the body; the signed
 * Content-Length is what binds its size).
 *
 * @returns undefined when S3 would accept the request's authentication, otherwise how S3
 *   refuses it.
 */
export async function verifyPresignedRequest(
  request: ReceivedRequest,
  options: PresignedVerifierOptions,
): Promise<S3Refusal | undefined> {
  const { path: rawPath, search } = splitTarget(request.url);
  const query = parseQuery(search);
  // An authentication parameter given twice is refused like a missing one, rather than
  // guessing which of the two the client meant.
  const single = (name: string): string | undefined => {
    const value = query[name];
    return typeof value === 'string' ? value : undefined;
  };

  if (single('X-Amz-Algorithm') !== ALGORITHM) {
    return malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  const [credential, providedSignature, date, signedHeaderList, expiresText] = [
    single('X-Amz-Credential'),
    single('X-Amz-Signature'),
    single('X-Amz-Date'),
    single('X-Amz-SignedHeaders'),
    single('X-Amz-Expires'),
  ];
  if (
    credential === undefined ||
    providedSignature === undefined ||
    date === undefined ||
    signedHeaderList === undefined ||
    expiresText === undefined
  ) {
    return malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
        'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }

  const signingDate = parseAmzDate(date);
  if (!signingDate) {
    return malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  if (!/^-?\d+$/.test(expiresText)) return malformed('X-Amz-Expires should be a number');
  const expiresIn = Number(expiresText);
  if (expiresIn < 0) return malformed('X-Amz-Expires must be non-negative');
  if (expiresIn > MAX_EXPIRES_SECONDS) {
    return malformed(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires ' +
        `must be less than ${MAX_EXPIRES_SECONDS} seconds`,
    );
  }

  // <access key>/<yyyyMMdd>/<region>/s3/aws4_request; an access key holds no `/`.
  const scope = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminal] = scope;
  if (
    scope.length !== 5 ||
    !accessKeyId ||
    scopeDate === undefined ||
    !region ||
    service === undefined ||
    terminal === undefined
  ) {
    return malformed(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting ' +
        '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (scopeDate !== date.slice(0, 8)) {
    return malformed(
      `Invalid credential date "${scopeDate}". This date is not the same as X-Amz-Date: "${date.slice(0, 8)}".`,
    );
  }
  if (service !== 's3') {
    return malformed(
      `Error parsing the X-Amz-Credential parameter; incorrect service "${service}". This endpoint belongs to "s3".`,
    );
  }
  if (terminal !== 'aws4_request') {
    return malformed(
      `Error parsing the X-Amz-Credential parameter; incorrect terminal "${terminal}". This endpoint uses "aws4_request".`,
    );
  }

  const secretAccessKey = options.secretAccessKeyOf(accessKeyId);
  if (secretAccessKey === undefined) {
    return {
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      detail: { AWSAccessKeyId: accessKeyId },
    };
  }

  const now = options.now?.() ?? new Date();
  const expiresAt = new Date(signingDate.getTime() + expiresIn * 1000);
  if (now > expiresAt) {
    return {
      code: 'AccessDenied',
      message: 'Request has expired',
      detail: {
        'X-Amz-Expires': expiresText,
        Expires: s3Time(expiresAt),
        ServerTime: s3Time(now),
      },
    };
  }

  const signedHeaders = signedHeaderList.split(';');
  // With query authentication S3 refuses x-amz-* headers outside the signature: they could
  // otherwise add metadata, ACLs or encryption settings the URL's issuer never approved.
  const unsigned = Object.keys(request.headers).filter(
    (name) => name.startsWith('x-amz-') && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) {
    return {
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed',
      detail: { HeadersNotSigned: unsigned.join(', ') },
    };
  }

  const path = canonicalPath(rawPath);
  if (path === undefined) {
    return { code: 'InvalidURI', message: "Couldn't parse the specified URI.", detail: {} };
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    // A signed header the client did not send is left out, which changes X-Amz-SignedHeaders
    // as the signer computes it, and so the signature: S3 refuses that request too.
    if (value !== undefined) headers[name] = value;
  }
  // Everything in the query is signed but the signature itself.
  const signedQuery = { ...query };
  delete signedQuery['X-Amz-Signature'];
  const signer = new RecordingSigner({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey },
    sha256: Sha256,
    // S3 signs the path as is: the key's segments encoded once (see canonicalPath).
    uriEscapePath: false,
    applyChecksum: false,
  });
  const toSign: SignableRequest = {
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: headerValue(request.headers, 'host') ?? '',
    path,
    query: signedQuery,
    headers,
    body: UNHASHED_BODY,
  };
  const names = new Set(signedHeaders);
  const presigned = await signer.presign(toSign, {
    signingDate,
    expiresIn,
    signingRegion: region,
    signingService: service,
    // Exactly the headers the client signed: none moved to the query (where the presigner
    // puts x-amz-* headers unless told otherwise), none dropped as "unsignable".
    unhoistableHeaders: names,
    signableHeaders: names,
  });
  const calculated = presigned.query?.['X-Amz-Signature'];
  if (typeof calculated === 'string' && sameText(calculated, providedSignature)) return undefined;
  return {
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. ' +
      'Check your key and signing method.',
    detail: {
      AWSAccessKeyId: accessKeyId,
      StringToSign: signer.stringToSign,
      SignatureProvided: providedSignature,
      CanonicalRequest: signer.canonicalRequest,
    },
  };
}

/** Constant-time comparison, so response timing does not reveal how much of a guess matched. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
