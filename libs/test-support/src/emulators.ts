import { createDynamoDbEmulator } from './dynamodb-emulator';
import { EMULATOR_CREDENTIALS, EMULATOR_REGION } from './emulator-clients';
import { ensureDataTable } from './data-table';
import type { LocalService } from './managed-service';
import { createS3Emulator } from './s3-emulator';

/** Options of {@link startEmulators}. */
export interface EmulatorsOptions {
  /** Name of the data table to create; default `tap-data-table-test`. */
  readonly tableName?: string;
  /** Name of the bucket to create; default `tap-files-test`. */
  readonly bucketName?: string;
}

/** DynamoDB and S3 emulators with the data table and the bucket ready to use. */
export interface Emulators {
  readonly tableName: string;
  readonly bucketName: string;
  /** The DynamoDB emulator; a test may stop it and start it again on the same port. */
  readonly dynamodb: LocalService;
  /** The S3 emulator; a test may stop it and start it again on the same port. */
  readonly s3: LocalService;
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  /**
   * The SDK's standard variables pointing a function's clients at the emulators: region,
   * credentials and `AWS_ENDPOINT_URL_*`, as the local cloud gives its functions.
   */
  environment(): Record<string, string>;
  /** Stops both emulators for good and removes the bucket's folder. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite and s3rver in this process on 127.0.0.1 with ports the OS picks, creates
 * the data table (the stack's key schema) and the bucket.
 */
export async function startEmulators(options: EmulatorsOptions = {}): Promise<Emulators> {
  const tableName = options.tableName ?? 'tap-data-table-test';
  const bucketName = options.bucketName ?? 'tap-files-test';
  const dynamodb = createDynamoDbEmulator();
  const s3 = createS3Emulator({ buckets: [{ name: bucketName }] });
  const stop = async (): Promise<void> => {
    await Promise.all([dynamodb.dispose(), s3.dispose()]);
  };
  try {
    await Promise.all([dynamodb.start(), s3.start()]);
    await ensureDataTable(dynamodb.endpoint, tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    tableName,
    bucketName,
    dynamodb,
    s3,
    dynamoDbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    environment: () => ({
      AWS_REGION: EMULATOR_REGION,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
    }),
    stop,
  };
}

/** Points the SDK at the emulators through its standard variables, in `process.env`. */
export function useEmulatorEnvironment(emulators: Emulators): void {
  Object.assign(process.env, emulators.environment());
}
