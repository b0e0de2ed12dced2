/**
 * {@link FileStore} on an S3 bucket. Objects live at
 * `tenants/{tenant}/items/{itemId}/{fileId}/{name}`; the
 * original name and content type are read back from the object (HeadObject), so the
 * listing only ever shows uploads that actually happened.
 */
import type { S3Client, _Object } from '@aws-sdk/client-s3';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PRESIGNED_URL_TTL_SECONDS } from '@tap/contracts';
import { DependencyUnavailableError } from '../../core/errors';
import type {
  FileStore,
  PresignedDownload,
  PresignedUpload,
  StoredFile,
} from '../../core/file-store';
import {
  attachmentDisposition,
  decodeFileNameMetadata,
  encodeFileNameMetadata,
  FILE_NAME_METADATA_KEY,
  fileObjectKey,
  filePrefix,
  itemPrefix,
  parseFileObjectKey,
} from '../../core/object-keys';
import { translateDependencyFailures } from '../aws/dependency-failure';

/** HeadObject calls in flight at once while listing. */
const HEAD_CONCURRENCY = 8;

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/** Dependencies of {@link createS3FileStore}. */
export interface S3FileStoreOptions {
  readonly client: S3Client;
  readonly bucketName: string;
}

/** Runs `task` over `inputs` with at most `limit` in flight; keeps the input order. */
async function mapWithConcurrency<T, R>(
  inputs: readonly T[],
  limit: number,
  task: (input: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next;
      next += 1;
      results[index] = await task(inputs[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
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

  const listObjects = async (prefix: string): Promise<_Object[]> => {
    const objects: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucketName, Prefix: prefix, ContinuationToken: token }),
      );
      objects.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  };

  const describe = async (
    tenant: string,
    itemId: string,
    object: _Object,
  ): Promise<StoredFile | undefined> => {
    const key = object.Key;
    const parsed = key === undefined ? undefined : parseFileObjectKey(tenant, itemId, key);
    if (key === undefined || !parsed) return undefined;
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
      const fileName =
        decodeFileNameMetadata(head.Metadata?.[FILE_NAME_METADATA_KEY]) ?? parsed.storedName;
      return {
        fileId: parsed.fileId,
        fileName,
        size: object.Size ?? head.ContentLength ?? 0,
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
        uploadedAt: (head.LastModified ?? object.LastModified ?? new Date(0)).toISOString(),
        key,
      };
    } catch (error) {
      // Deleted between the listing and the head: it is simply not there any more.
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const deleteKeys = async (keys: readonly string[]): Promise<void> => {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
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
          Key: fileObjectKey(upload.tenant, upload.itemId, upload.fileId, upload.fileName),
          ContentType: upload.contentType,
          ContentLength: upload.contentLength,
          Metadata: { [FILE_NAME_METADATA_KEY]: encodedName },
        }),
        {
          expiresIn: PRESIGNED_URL_TTL_SECONDS,
          signingDate: now,
          // The presigner never signs content-type unless told to, and would hoist the
          // x-amz-meta header into the query string, where S3 does not bind it to the
          // upload. As signed headers, the client must send exactly these values.
          signableHeaders: new Set(['content-type', 'content-length']),
          unhoistableHeaders: new Set([`x-amz-meta-${FILE_NAME_METADATA_KEY}`]),
        },
      );
      return {
        url,
        headers: {
          'content-type': upload.contentType,
          'content-length': String(upload.contentLength),
          [`x-amz-meta-${FILE_NAME_METADATA_KEY}`]: encodedName,
        },
        expiresAt: expiry(now),
      };
    },

    async listFiles(tenant, itemId) {
      const objects = await listObjects(itemPrefix(tenant, itemId));
      const files = await mapWithConcurrency(objects, HEAD_CONCURRENCY, (object) =>
        describe(tenant, itemId, object),
      );
      return files.filter((file): file is StoredFile => file !== undefined);
    },

    async findFile(tenant, itemId, fileId) {
      const objects = await listObjects(filePrefix(tenant, itemId, fileId));
      for (const object of objects) {
        const file = await describe(tenant, itemId, object);
        if (file) return file;
      }
      return undefined;
    },

    async presignDownload(file, now): Promise<PresignedDownload> {
      const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucketName,
          Key: file.key,
          ResponseContentDisposition: attachmentDisposition(file.fileName),
        }),
        { expiresIn: PRESIGNED_URL_TTL_SECONDS, signingDate: now },
      );
      return { url, expiresAt: expiry(now) };
    },

    async deleteFile(tenant, itemId, fileId) {
      const objects = await listObjects(filePrefix(tenant, itemId, fileId));
      const keys = objects.flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      await deleteKeys(keys);
      return keys.length > 0;
    },

    async deleteAllFiles(tenant, itemId) {
      const objects = await listObjects(itemPrefix(tenant, itemId));
      const keys = objects.flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      await deleteKeys(keys);
      return keys.length;
    },
  };
}
