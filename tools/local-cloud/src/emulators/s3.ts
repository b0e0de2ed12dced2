// s3rver's declarations come with @tap/test-support, which holds the workspace's one copy.
import { createS3Emulator as createS3rverService, type ManagedService } from '@tap/test-support';
import type S3rver from 's3rver';
import corsMiddleware from 's3rver/lib/middleware/cors';
import S3Error from 's3rver/lib/models/error';
import { LOCAL_CREDENTIALS } from '../lambda/function-environment';
import { objectWriteStep, type ObjectCreatedNotice } from './s3-object-writes';
import { isPresignedV4, verifyPresignedRequest } from './s3-presigned-verifier';

/** Options of the S3 emulator. */
export interface S3EmulatorOptions {
  readonly host: string;
  /** Folder holding the buckets. */
  readonly directory: string;
  /** Remove {@link directory} on dispose (throwaway mode). */
  readonly removeDirectoryOnDispose: boolean;
  /** Bucket created (if missing) on every start, with its CORS rules. */
  readonly bucket: string;
  /** Origins browsers may PUT/GET from with presigned URLs. */
  readonly corsAllowOrigins: readonly string[];
  readonly corsMaxAgeSeconds: number;
  /** Told of every object stored (PUT, copy, multipart completion), for bucket notifications. */
  readonly onObjectCreated?: (notice: ObjectCreatedNotice) => void;
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The bucket's CORS configuration (S3's XML): browsers upload to and download from
 * presigned URLs, so they need PUT/GET/HEAD with any header (`If-None-Match`, which makes
 * an upload conditional, and the signed `Content-Type` among them), and must be able to
 * read the ETag of what they uploaded.
 */
export function bucketCorsXml(allowOrigins: readonly string[], maxAgeSeconds: number): string {
  const origins = allowOrigins
    .map((origin) => `<AllowedOrigin>${escapeXml(origin)}</AllowedOrigin>`)
    .join('');
  return (
    '<CORSConfiguration><CORSRule>' +
    origins +
    '<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>' +
    `<MaxAgeSeconds>${maxAgeSeconds}</MaxAgeSeconds>` +
    '</CORSRule></CORSConfiguration>'
  );
}

/** The secret of the one access key s3rver knows (the functions sign with it). */
const secretAccessKeyOf = (accessKeyId: string): string | undefined =>
  accessKeyId === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined;

/**
 * Answers `error` (S3's XML error body) with the bucket's CORS headers, as S3 adds the
 * matching rule's headers to a refusal too, so a page can read why its upload failed.
 * s3rver's own CORS step adds them (its error handler keeps them); it reads the bucket from
 * the route parameters, which the router has not set yet when a step before it refuses.
 */
async function refuseWithCors(context: S3rver.Context, error: Error): Promise<void> {
  const bucket = context.path.split('/')[1];
  if (!bucket) throw error;
  context.params = { bucket };
  await corsMiddleware()(context, () => Promise.reject(error));
}

/** Where steps go in s3rver's stack: just before its router. */
function routerIndexOf(instance: S3rver): number {
  const routerAt = instance.middleware.findIndex((middleware) => 'router' in middleware);
  if (routerAt < 0) {
    // Without the router found, presigned URLs would silently go unchecked again.
    throw new Error("s3rver has no router middleware to put the local cloud's steps before");
  }
  return routerAt;
}

/**
 * Makes s3rver check presigned URLs as S3 does (see `s3-presigned-verifier`), then honour
 * conditional writes and report stored objects (see `s3-object-writes`): steps placed just
 * before s3rver's router. There they see the request once the logger and the XML error
 * handling are in place, but before any route reads the body, so a refused upload stores
 * nothing. Preflights (OPTIONS) are not authenticated, by S3 either, and requests signed
 * with an Authorization header go on to s3rver unchecked. The signature is checked first:
 * S3 authenticates a request before it evaluates its conditions.
 */
function configureS3rver(
  instance: S3rver,
  onObjectCreated: ((notice: ObjectCreatedNotice) => void) | undefined,
): void {
  const verifyPresigned: S3rver.Middleware = async (context, next) => {
    if (context.method === 'OPTIONS' || !isPresignedV4(context.originalUrl)) return next();
    const refusal = await verifyPresignedRequest(
      // The request as sent: s3rver later copies x-amz-* query parameters into the headers.
      { method: context.method, url: context.originalUrl, headers: context.req.headers },
      { secretAccessKeyOf },
    );
    if (!refusal) return next();
    await refuseWithCors(context, new S3Error(refusal.code, refusal.message, refusal.detail));
  };
  const writes = objectWriteStep({
    refuse: refuseWithCors,
    ...(onObjectCreated ? { onObjectCreated } : {}),
  });
  instance.middleware.splice(routerIndexOf(instance), 0, verifyPresigned, writes);
}

/**
 * S3 emulated by s3rver (see `createS3Emulator` of @tap/test-support), objects on disk in
 * {@link S3EmulatorOptions.directory}, with the bucket's CORS rules, checking presigned URLs
 * and honouring `If-None-Match: *` as S3 does, and reporting every stored object.
 */
export function createS3Emulator(options: S3EmulatorOptions): ManagedService {
  return createS3rverService({
    host: options.host,
    directory: options.directory,
    removeDirectoryOnDispose: options.removeDirectoryOnDispose,
    buckets: [
      {
        name: options.bucket,
        configs: [bucketCorsXml(options.corsAllowOrigins, options.corsMaxAgeSeconds)],
      },
    ],
    configure: (instance) => configureS3rver(instance, options.onObjectCreated),
  });
}
