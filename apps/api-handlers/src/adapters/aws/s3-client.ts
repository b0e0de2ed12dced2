/**
 * The S3 client of the API function, with the fail-fast settings of `@tap/lambda-runtime`. The
 * endpoint comes only from the SDK's standard variable (`AWS_ENDPOINT_URL_S3`); emulators
 * additionally need path-style addressing.
 *
 * Only the file routes use S3, so the composition root reaches this module through
 * `import()` (see ../files/s3-files.ts): the S3 client stays out of the bundle's entry file.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';

/** Options of {@link createS3Client}. */
export interface S3ClientOptions {
  /** Path-style addressing, for S3 emulators that cannot serve virtual-hosted buckets. */
  readonly forcePathStyle: boolean;
}

/** S3 client for object operations and presigning. */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: createHttpHandler(),
    forcePathStyle: options.forcePathStyle,
    // With the default (WHEN_SUPPORTED) the presigner puts the CRC32 of an empty body into
    // upload URLs, and S3 rejects every real upload to them. Only checksum where S3 requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
