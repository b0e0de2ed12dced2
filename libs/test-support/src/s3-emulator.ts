// See dynamodb-emulator.ts: the emulators' declarations must reach every program compiling
// this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./emulator-modules.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type S3rver from 's3rver';
import { ManagedService } from './managed-service';

/** A bucket the emulator creates (when missing) on every start. */
export interface EmulatedBucket {
  readonly name: string;
  /** The bucket's configuration documents, in S3's XML (a CORS configuration, ...). */
  readonly configs?: readonly string[];
}

/** Options of {@link createS3Emulator}. */
export interface S3EmulatorOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Folder holding the buckets (s3rver keeps objects on disk even for a throwaway run).
   * Default: a new temporary folder, removed on dispose.
   */
  readonly directory?: string;
  /** Remove a given {@link directory} on dispose too (throwaway mode). Default false. */
  readonly removeDirectoryOnDispose?: boolean;
  readonly buckets: readonly EmulatedBucket[];
  /**
   * Called with each new s3rver instance before it listens: where a caller adds its own
   * middleware (the local cloud checks presigned URLs there).
   */
  readonly configure?: (instance: S3rver) => void;
}

/**
 * S3 emulated by s3rver, on a port the OS picks at its first start and keeps across
 * restarts. Each start builds a new s3rver instance (a closed one has already shut its
 * logger down); the objects stay in the folder, so a restarted emulator still has them.
 * s3rver is loaded on the first start.
 */
export function createS3Emulator(options: S3EmulatorOptions): ManagedService {
  let directory = options.directory;
  const removeOnDispose = options.directory === undefined || options.removeDirectoryOnDispose;
  return new ManagedService('s3', options.host ?? '127.0.0.1', {
    async open(host, port) {
      directory ??= await mkdtemp(path.join(tmpdir(), 'tap-s3-'));
      const { default: S3rverServer } = await import('s3rver');
      const instance = new S3rverServer({
        address: host,
        port,
        silent: true,
        directory,
        configureBuckets: options.buckets.map((bucket) => ({
          name: bucket.name,
          ...(bucket.configs ? { configs: [...bucket.configs] } : {}),
        })),
      });
      options.configure?.(instance);
      await instance.run();
      return instance.httpServer as Server;
    },
    async dispose() {
      if (removeOnDispose && directory !== undefined) {
        await rm(directory, { recursive: true, force: true });
      }
    },
  });
}
