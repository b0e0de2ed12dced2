import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { dynamoDbClientFor, s3ClientFor, secretsManagerClientFor } from '@tap/test-support';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PortInUseError,
  startLocalCloud,
  writeOutputsFile,
  type LocalCloud,
  type LocalCloudOptions,
} from '../src';
import { DEFAULT_LOCAL_TENANT, parseMachineKey } from '@tap/contracts';
import { fixtureBundle, send } from './support/http';

const fixtures: LocalCloudOptions['functionBundles'] = {
  health: fixtureBundle('echo'),
  api: fixtureBundle('echo'),
  authorizer: fixtureBundle('authorizer'),
};

/** SDK clients for a cloud's emulators, configured as a developer would point them there. */
function clientsFor(cloud: LocalCloud): {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  secrets: SecretsManagerClient;
  destroy(): void;
} {
  const dynamodb = dynamoDbClientFor(cloud.services.dynamodb.endpoint);
  const s3 = s3ClientFor(cloud.services.s3.endpoint);
  const secrets = secretsManagerClientFor(cloud.services.secretsManager.endpoint);
  return {
    dynamodb,
    s3,
    secrets,
    destroy: () => [dynamodb, s3, secrets].forEach((client) => client.destroy()),
  };
}

async function readSecret(cloud: LocalCloud, secretId: string): Promise<string | undefined> {
  const clients = clientsFor(cloud);
  try {
    return (await clients.secrets.send(new GetSecretValueCommand({ SecretId: secretId })))
      .SecretString;
  } finally {
    clients.destroy();
  }
}

describe('persistence across restarts', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tap-local-cloud-data-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps items, objects, secrets, the default machine key and the signing key when restarted with the same data folder', async () => {
    const options: LocalCloudOptions = { port: 0, dataDir, quiet: true, functionBundles: fixtures };
    const first = await startLocalCloud(options);
    const before = clientsFor(first);
    const cursorKeyBefore = await readSecret(first, first.names.cursorKeySecret);
    try {
      await before.dynamodb.send(
        new PutItemCommand({
          TableName: first.outputs.TableName,
          Item: { tenant: { S: 'acme' }, id: { S: 'kept-1' }, name: { S: 'survivor' } },
        }),
      );
      await before.s3.send(
        new PutObjectCommand({
          Bucket: first.outputs.BucketName,
          Key: 'a/b.txt',
          Body: 'kept bytes',
        }),
      );
    } finally {
      before.destroy();
      await first.stop();
    }

    const second = await startLocalCloud(options);
    const after = clientsFor(second);
    try {
      const item = await after.dynamodb.send(
        new GetItemCommand({
          TableName: second.outputs.TableName,
          Key: { tenant: { S: 'acme' }, id: { S: 'kept-1' } },
        }),
      );
      expect(item.Item).toEqual({
        tenant: { S: 'acme' },
        id: { S: 'kept-1' },
        name: { S: 'survivor' },
      });
      const object = await after.s3.send(
        new GetObjectCommand({ Bucket: second.outputs.BucketName, Key: 'a/b.txt' }),
      );
      expect(await object.Body?.transformToString()).toBe('kept bytes');
      expect(second.outputs.ApiKey).toBe(first.outputs.ApiKey);
      expect(second.issuer.jwks).toEqual(first.issuer.jwks);
      expect(await readSecret(second, second.names.cursorKeySecret)).toBe(cursorKeyBefore);
    } finally {
      after.destroy();
      await second.stop();
    }
  });

  it('generates what the stack would hold: a default machine key of tenant default, a 64-character signing key', async () => {
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: fixtures,
    });
    try {
      const cursorSecret = JSON.parse(
        (await readSecret(cloud, cloud.names.cursorKeySecret)) ?? '{}',
      );
      const keyId = parseMachineKey(cloud.outputs.ApiKey)?.keyId ?? '';
      const clients = clientsFor(cloud);
      try {
        const { Item } = await clients.dynamodb.send(
          new GetItemCommand({
            TableName: cloud.outputs.KeyTableName,
            Key: { keyId: { S: keyId } },
          }),
        );
        expect(Item?.['tenant']).toEqual({ S: DEFAULT_LOCAL_TENANT });
        expect(Item?.['status']).toEqual({ S: 'active' });
        // Only the hash is stored: the key itself appears nowhere in the record.
        expect(JSON.stringify(Item)).not.toContain(cloud.outputs.ApiKey.slice(21));
      } finally {
        clients.destroy();
      }
      expect(cursorSecret.signingKey).toMatch(/^[A-Za-z0-9]{64}$/);
    } finally {
      await cloud.stop();
    }
  });
});

describe('a running local cloud', () => {
  let cloud: LocalCloud;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tap-local-cloud-outputs-'));
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      environmentSuffix: 'pr42',
      corsAllowOrigins: ['https://app.example.com'],
      functionBundles: fixtures,
    });
  });

  afterAll(async () => {
    await cloud?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('names resources as the stack does for the environment, in account 000000000000', () => {
    expect(cloud.names).toMatchObject({
      table: 'tap-data-table-pr42',
      bucket: 'tap-files-pr42-000000000000-us-west-2',
      keyTable: 'tap-api-keys-pr42',
    });
    expect(cloud.outputs).toMatchObject({
      ApiUrl: cloud.baseUrl,
      TableName: 'tap-data-table-pr42',
      BucketName: 'tap-files-pr42-000000000000-us-west-2',
      KeyTableName: 'tap-api-keys-pr42',
      UserPoolId: 'us-west-2_TapLocal1',
      UserPoolClientId: 'taplocalspaclient000000000',
      IssuerUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/us-west-2_TapLocal1$/),
      KmsKeyArn: expect.stringMatching(/^arn:aws:kms:us-west-2:000000000000:key\//),
      EnvironmentSuffix: 'pr42',
    });
    expect(cloud.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('writes its outputs file with the stack output keys and the API key', async () => {
    const file = path.join(folder, 'nested', 'local.json');
    await writeOutputsFile(cloud, file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(cloud.outputs);
  });

  it('brings a stopped emulator back on the same port with the same data', async () => {
    const clients = clientsFor(cloud);
    try {
      await clients.dynamodb.send(
        new PutItemCommand({
          TableName: cloud.names.table,
          Item: { tenant: { S: 't' }, id: { S: 'x' } },
        }),
      );
      await clients.s3.send(
        new PutObjectCommand({ Bucket: cloud.names.bucket, Key: 'k', Body: 'v' }),
      );

      for (const service of Object.values(cloud.services)) {
        const endpoint = service.endpoint;
        await service.stop();
        expect(service.running).toBe(false);
        await expect(fetch(endpoint)).rejects.toThrow();
        await service.start();
        expect(service.running).toBe(true);
        expect(service.endpoint).toBe(endpoint);
      }

      const item = await clients.dynamodb.send(
        new GetItemCommand({
          TableName: cloud.names.table,
          Key: { tenant: { S: 't' }, id: { S: 'x' } },
        }),
      );
      expect(item.Item).toEqual({ tenant: { S: 't' }, id: { S: 'x' } });
      const object = await clients.s3.send(
        new GetObjectCommand({ Bucket: cloud.names.bucket, Key: 'k' }),
      );
      expect(await object.Body?.transformToString()).toBe('v');
    } finally {
      clients.destroy();
    }
  });

  it('lets browsers upload to the bucket from the allowed origins (bucket CORS)', async () => {
    const preflight = (origin: string): ReturnType<typeof send> =>
      send(cloud.services.s3.endpoint, `/${cloud.names.bucket}/uploads/file.bin`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-methods']).toContain('PUT');
    expect((await preflight('https://evil.example')).status).toBe(403);
  });
});

describe('a busy port', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('fails startup with one clear message naming the port and the fix', async () => {
    const attempt = startLocalCloud({
      port,
      inMemory: true,
      quiet: true,
      functionBundles: fixtures,
    });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(
      `port ${port} is already in use; pass --port <free port> (or PORT=<free port>)`,
    );
  });
});
