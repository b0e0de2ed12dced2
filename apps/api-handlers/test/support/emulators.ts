/**
 * Local DynamoDB (dynalite) and S3 (s3rver) for the handler tests, started inside the test
 * process on 127.0.0.1 with OS-assigned ports, and wired into the production client
 * factories through the SDK's standard endpoint variables, exactly as the local cloud does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** Running emulators with a table and a bucket ready to use. */
export interface Emulators {
  readonly tableName: string;
  readonly bucketName: string;
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  /** Stops both servers and removes the bucket's directory. */
  stop(): Promise<void>;
}

/**
 * Region and credentials the SDK needs to sign. dynalite accepts any; s3rver knows only
 * its built-in key pair (it checks the key id, not the signature).
 */
const SDK_ENVIRONMENT = {
  AWS_REGION: 'us-west-2',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
} as const;

/** Points the SDK at the emulators through its standard variables. */
export function useEmulatorEnvironment(emulators: Emulators): void {
  Object.assign(process.env, SDK_ENVIRONMENT, {
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
  });
}

const listen = (server: Server): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });

const close = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));

/** Starts dynalite with an `id`-keyed table and s3rver with one bucket. */
export async function startEmulators(): Promise<Emulators> {
  const tableName = 'tap-test-items';
  const bucketName = 'tap-test-files';

  const dynamoDb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoDbAddress = await listen(dynamoDb);
  const dynamoDbEndpoint = `http://127.0.0.1:${dynamoDbAddress.port}`;

  const directory = await mkdtemp(path.join(tmpdir(), 'tap-s3-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucketName }],
  });
  const s3Address = await s3.run();
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;

  const admin = new DynamoDBClient({
    region: SDK_ENVIRONMENT.AWS_REGION,
    endpoint: dynamoDbEndpoint,
    credentials: {
      accessKeyId: SDK_ENVIRONMENT.AWS_ACCESS_KEY_ID,
      secretAccessKey: SDK_ENVIRONMENT.AWS_SECRET_ACCESS_KEY,
    },
  });
  await admin.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  admin.destroy();

  return {
    tableName,
    bucketName,
    dynamoDbEndpoint,
    s3Endpoint,
    async stop() {
      await Promise.all([close(dynamoDb), s3.close()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
