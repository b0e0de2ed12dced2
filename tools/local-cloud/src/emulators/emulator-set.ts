import { CORS_POLICY, TAP_REGION } from '@tap/contracts';
import { createDynamoDbEmulator, type ManagedService } from '@tap/test-support';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_ACCOUNT } from '../local-account';
import { createS3Emulator } from './s3';
import type { ObjectCreatedNotice } from './s3-object-writes';
import { SecretStore } from './secret-store';
import { createSecretsManagerEmulator } from './secrets-manager';

/** The three emulators the functions use. */
export interface EmulatorSet {
  readonly services: {
    readonly dynamodb: ManagedService;
    readonly s3: ManagedService;
    readonly secretsManager: ManagedService;
  };
  /** The Secrets Manager emulator's data, for provisioning without a network round trip. */
  readonly secretStore: SecretStore;
  /** Stops every emulator for good, flushing its data. */
  dispose(): Promise<void>;
}

/** Options of {@link startEmulators}. */
export interface EmulatorSetOptions {
  readonly host: string;
  /** Data folder (`dynamodb/`, `s3/`, `secretsmanager.json`); in memory when undefined. */
  readonly dataDir: string | undefined;
  readonly bucket: string;
  readonly corsAllowOrigins: readonly string[];
  /** Told of every object the S3 emulator stores (bucket notifications). */
  readonly onObjectCreated?: (notice: ObjectCreatedNotice) => void;
}

/**
 * Starts DynamoDB, S3 and Secrets Manager on free ports. In memory, S3 still needs a folder
 * (s3rver keeps objects on disk): a temporary one, removed on dispose.
 */
export async function startEmulators(options: EmulatorSetOptions): Promise<EmulatorSet> {
  const { dataDir } = options;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const secretStore = await SecretStore.open({
    file: dataDir === undefined ? undefined : path.join(dataDir, 'secretsmanager.json'),
    region: TAP_REGION,
    account: LOCAL_ACCOUNT,
  });
  const services = {
    dynamodb: createDynamoDbEmulator({
      host: options.host,
      directory: dataDir === undefined ? undefined : path.join(dataDir, 'dynamodb'),
    }),
    s3: createS3Emulator({
      host: options.host,
      directory:
        dataDir === undefined
          ? await mkdtemp(path.join(tmpdir(), 'tap-local-cloud-s3-'))
          : path.join(dataDir, 's3'),
      removeDirectoryOnDispose: dataDir === undefined,
      bucket: options.bucket,
      corsAllowOrigins: options.corsAllowOrigins,
      corsMaxAgeSeconds: CORS_POLICY.maxAgeSeconds,
      ...(options.onObjectCreated ? { onObjectCreated: options.onObjectCreated } : {}),
    }),
    secretsManager: createSecretsManagerEmulator(options.host, secretStore),
  };
  const all = Object.values(services);
  const dispose = async (): Promise<void> => {
    await Promise.all(all.map((service) => service.dispose()));
  };
  try {
    await Promise.all(all.map((service) => service.start()));
  } catch (error) {
    await dispose();
    throw error;
  }
  return { services, secretStore, dispose };
}
