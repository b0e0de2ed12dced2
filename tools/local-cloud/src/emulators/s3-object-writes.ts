import type { IncomingHttpHeaders } from 'node:http';
import type S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error';

/** How an object came to be, as S3 names it in an `ObjectCreated:*` event. */
export type ObjectCreatedKind = 'Put' | 'Copy' | 'CompleteMultipartUpload';

/** An object S3 has just stored: what its `ObjectCreated` notification tells. */
export interface ObjectCreatedNotice {
  readonly kind: ObjectCreatedKind;
  readonly bucket: string;
  /** The key as stored (decoded). */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** The ETag without its quotes, as S3 events carry it. */
  readonly eTag: string;
  /** The requester's address. */
  readonly sourceIp: string;
  /** When the object was stored. */
  readonly time: Date;
}

/** The parts of s3rver's object store this step reads. */
interface ObjectStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getMetadata(
    bucket: string,
    key: string,
  ): Promise<{ readonly 'content-length': number | string; readonly etag: string }>;
}

/** The Koa context of a request, beyond what `S3rver.Context` declares. */
interface WriteContext extends S3rver.Context {
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
  readonly ip: string;
  readonly store: ObjectStore;
}

/** Options of {@link objectWriteStep}. */
export interface ObjectWriteStepOptions {
  /**
   * Answers a refused request (a failed precondition) with S3's XML error body: the
   * caller adds the bucket's CORS headers, so a page can read why its upload failed.
   */
  readonly refuse: (context: S3rver.Context, error: Error) => Promise<void>;
  /** Told of each object stored; called before the request is answered, must not throw. */
  readonly onObjectCreated?: (notice: ObjectCreatedNotice) => void;
}

/** Which write stores an object (path-style `/<bucket>/<key>`), or undefined for any other request. */
function writeKindOf(context: WriteContext): ObjectCreatedKind | undefined {
  const { query } = context;
  if (context.method === 'PUT') {
    // Parts, tags and ACLs are sub-resources: they do not store the object.
    if (['uploadId', 'partNumber', 'tagging', 'acl'].some((name) => name in query))
      return undefined;
    return 'x-amz-copy-source' in context.headers ? 'Copy' : 'Put';
  }
  if (context.method === 'POST' && 'uploadId' in query) return 'CompleteMultipartUpload';
  return undefined;
}

/** Bucket and key of a path-style object URL. */
function objectOf(requestPath: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/s.exec(requestPath);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Runs tasks one after another per key, tasks of different keys concurrently: what makes a
 * conditional write's check and its write one step, as S3's are.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` once every task queued before it for `key` has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * What S3 does around every write of an object that s3rver does not: a step placed before
 * s3rver's router.
 *
 * - Conditional writes: `If-None-Match: *` on a PUT (or CompleteMultipartUpload) stores the
 *   object only if the key has none, else 412 `PreconditionFailed`. Writes of one key are
 *   serialised, so of concurrent conditional PUTs exactly one succeeds. Another value is a
 *   501 `NotImplemented`, as S3 answers it.
 * - Notifications: once an object is stored (PUT, copy, multipart completion), the stored
 *   object's size and ETag are read under the same lock (a later write cannot slip in
 *   between) and {@link ObjectWriteStepOptions.onObjectCreated} is told.
 */
export function objectWriteStep(options: ObjectWriteStepOptions): S3rver.Middleware {
  const serializer = new KeyedSerializer();
  return async (untyped, next) => {
    const context = untyped as WriteContext;
    const kind = writeKindOf(context);
    const target = kind === undefined ? undefined : objectOf(context.path);
    if (kind === undefined || target === undefined) return next();
    const { bucket, key } = target;
    const condition = context.headers['if-none-match'];
    return serializer.run(`${bucket}/${key}`, async () => {
      if (condition !== undefined) {
        const refusal =
          condition.trim() !== '*'
            ? new S3Error(
                'NotImplemented',
                'A header you provided implies functionality that is not implemented',
                { Header: 'If-None-Match' },
              )
            : (await context.store.existsObject(bucket, key))
              ? new S3Error(
                  'PreconditionFailed',
                  'At least one of the pre-conditions you specified did not hold',
                  { Condition: 'If-None-Match' },
                )
              : undefined;
        if (refusal) {
          // The body is not stored: read and drop it, so the client can read the answer.
          context.req.resume();
          return options.refuse(context, refusal);
        }
      }
      await next();
      if (context.status >= 300 || !options.onObjectCreated) return;
      const metadata = await context.store.getMetadata(bucket, key);
      options.onObjectCreated({
        kind,
        bucket,
        key,
        size: Number(metadata['content-length']),
        eTag: metadata.etag.replace(/"/g, ''),
        sourceIp: context.ip.replace(/^::ffff:/, ''),
        time: new Date(),
      });
    });
  };
}
