/**
 * {@link FileStore} on an S3 bucket. Objects live at
 * `tenants/{tenant}/items/{itemId}/{fileId}/{name}`; what a file is (name, type, size,
 * status) is its record's, so nothing here lists or describes files: it signs transfers,
 * checks an upload (HeadObject) and deletes objects.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PRESIGNED_URL_TTL_SECONDS } from '@tap/contracts';
import { DependencyUnavailableError } from '../../core/errors';
import type { FileStore, PresignedDownload, PresignedUpload } from '../../core/file-store';
import {
  attachmentDisposition,
  encodeFileNameMetadata,
  FILE_NAME_METADATA_KEY,
  OCTET_STREAM,
  servedAsOctetStream,
} from '../../core/object-keys';
import { translateDependencyFailures } from '../aws/dependency-failure';

/**
 * DeleteObjects takes at most this many keys per call, and a listing page is no larger, so
 * a prefix is swept one page at a time (s3rver, the local S3, breaks past 1000 per listing).
 */
const PAGE_SIZE = 1000;

/** Dependencies of {@link createS3FileStore}. */
export interface S3FileStoreOptions {
  readonly client: S3Client;
  readonly bucketName: string;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

const expiry = (now: Date): string =>
  new Date(now.getTime() + PRESIGNED_URL_TTL_SECONDS * 1000).toISOString();

/**
 * The FileStore on S3: transient S3 failures reach the core as
 * `DependencyUnavailableError` (see `translateDependencyFailures`).
 */
export function createS3FileStore(options: S3FileStoreOptions): FileStore {
  return translateDependencyFailures('S3', buildS3FileStore(options));
}

function buildS3FileStore(options: S3FileStoreOptions): FileStore {
  const { client, bucketName } = options;

  const deleteKeys = async (keys: readonly string[]): Promise<void> => {
    for (let start = 0; start < keys.length; start += PAGE_SIZE) {
      const batch = keys.slice(start, start + PAGE_SIZE);
      const output = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucketName,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failures = output.Errors ?? [];
      if (failures.length > 0) {
        // Per-key failures of DeleteObjects are S3's own (InternalError, SlowDown, ...);
        // an AccessDenied is a deployment error and stays a 500.
        if (failures.some((failure) => failure.Code === 'AccessDenied')) {
          throw new Error(`S3 denied deleting ${failures.length} object(s)`);
        }
        throw new DependencyUnavailableError('S3');
      }
    }
  };

  return {
    async presignUpload(upload, now): Promise<PresignedUpload> {
      // Loaded on the first presign: routes that never presign (most of them) skip it.
      const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
      const encodedName = encodeFileNameMetadata(upload.fileName);
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucketName,
          Key: upload.key,
          ContentType: upload.contentType,
          ContentLength: upload.contentLength,
          Metadata: { [FILE_NAME_METADATA_KEY]: encodedName },
          // Only creates: S3 refuses (412) a second PUT to the key, so a URL works once.
          IfNoneMatch: '*',
        }),
        {
          expiresIn: PRESIGNED_URL_TTL_SECONDS,
          signingDate: now,
          // The presigner never signs content-type unless told to, and would hoist the
          // x-amz-meta header into the query string, where S3 does not bind it to the
          // upload. As signed headers, the client must send exactly these values.
          signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
          unhoistableHeaders: new Set([`x-amz-meta-${FILE_NAME_METADATA_KEY}`, 'if-none-match']),
        },
      );
      return {
        url,
        headers: {
          'content-type': upload.contentType,
          'content-length': String(upload.contentLength),
          'if-none-match': '*',
          [`x-amz-meta-${FILE_NAME_METADATA_KEY}`]: encodedName,
        },
        expiresAt: expiry(now),
      };
    },

    async presignDownload(download, now): Promise<PresignedDownload> {
      const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucketName,
          Key: download.key,
          ResponseContentDisposition: attachmentDisposition(download.fileName),
          ...(servedAsOctetStream(download.contentType)
            ? { ResponseContentType: OCTET_STREAM }
            : {}),
        }),
        { expiresIn: PRESIGNED_URL_TTL_SECONDS, signingDate: now },
      );
      return { url, expiresAt: expiry(now) };
    },

    async headObject(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
        return { size: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    deleteObjects: (keys) => deleteKeys(keys),

    async deletePrefix(prefix) {
      let deleted = 0;
      let startAfter: string | undefined;
      // One page listed, then deleted; the next listing starts after the page's last key.
      for (;;) {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucketName,
            Prefix: prefix,
            MaxKeys: PAGE_SIZE,
            ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
          }),
        );
        const keys = (page.Contents ?? []).flatMap((object) =>
          object.Key === undefined ? [] : [object.Key],
        );
        await deleteKeys(keys);
        deleted += keys.length;
        startAfter = keys.at(-1);
        if (!page.IsTruncated || startAfter === undefined) return deleted;
      }
    },
  };
}
