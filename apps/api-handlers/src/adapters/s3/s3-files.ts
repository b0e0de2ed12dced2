/**
 * Everything S3 of the API function in one module: the client and the S3 file store.
 *
 * The composition root loads this module with `import()` on the first request that needs a
 * file (see ./lazy-file-store.ts), so `@aws-sdk/client-s3` and its S3-only middleware land
 * in a chunk beside `index.mjs` and cold starts of item routes never parse or evaluate them.
 * Nothing that the rest of the function uses may be imported from here.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/s3-client';
import type { FileStore } from '../../core/file-store';
import { createS3FileStore } from './s3-file-store';

/** Options of {@link createS3Files}. */
export interface S3FilesOptions {
  readonly bucketName: string;
  /** Path-style addressing, for S3 emulators that cannot serve virtual-hosted buckets. */
  readonly forcePathStyle: boolean;
  /** Applied to the client once it is built (tracing). */
  readonly instrumentClient?: (client: S3Client) => void;
}

/** Builds the S3 client and the file store on it. */
export function createS3Files(options: S3FilesOptions): FileStore {
  const client = createS3Client({ forcePathStyle: options.forcePathStyle });
  options.instrumentClient?.(client);
  return createS3FileStore({ client, bucketName: options.bucketName });
}
