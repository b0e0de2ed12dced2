// The emulators ship no types. Projects compiling this source (the integration suite) must
// see the declarations too, and an untyped module can only be declared by a script file,
// which `import` cannot pull in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./emulator-modules.d.ts" />
import S3rver from 's3rver';
import type { Server } from 'node:http';
import { rm } from 'node:fs/promises';
import { ManagedService } from './managed-service';

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
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The bucket's CORS configuration (S3's XML): browsers upload to and download from
 * presigned URLs, so they need PUT/GET/HEAD with any header, and must be able to read
 * the ETag of what they uploaded.
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

/**
 * S3 emulated by s3rver, objects on disk in {@link S3EmulatorOptions.directory}. Each start
 * builds a new s3rver instance: a closed instance has already shut its logger down.
 */
export function createS3Emulator(options: S3EmulatorOptions): ManagedService {
  return new ManagedService('s3', options.host, {
    async open(host, port) {
      const instance = new S3rver({
        address: host,
        port,
        silent: true,
        directory: options.directory,
        configureBuckets: [
          {
            name: options.bucket,
            configs: [bucketCorsXml(options.corsAllowOrigins, options.corsMaxAgeSeconds)],
          },
        ],
      });
      await instance.run();
      return instance.httpServer as Server;
    },
    async dispose() {
      if (options.removeDirectoryOnDispose) {
        await rm(options.directory, { recursive: true, force: true });
      }
    },
  });
}
