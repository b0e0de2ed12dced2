import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KEY_TABLE_SCHEMA } from '@tap/contracts';
import { dataTableCreateInput, ensureDataTable, tableCreateInput } from './data-table';
import { dynamoDbClientFor, s3ClientFor } from './emulator-clients';
import { createS3Emulator } from './s3-emulator';
import { startEmulators, useEmulatorEnvironment, type Emulators } from './emulators';

describe('the data table', () => {
  it('is keyed by tenant and id and billed as the stack creates it', () => {
    expect(dataTableCreateInput('tap-data-table-x')).toEqual({
      TableName: 'tap-data-table-x',
      AttributeDefinitions: [
        { AttributeName: 'tenant', AttributeType: 'S' },
        { AttributeName: 'id', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'tenant', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
});

describe('the key table', () => {
  it('is keyed by key id alone', () => {
    expect(tableCreateInput('tap-api-keys-x', KEY_TABLE_SCHEMA)).toMatchObject({
      AttributeDefinitions: [{ AttributeName: 'keyId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'keyId', KeyType: 'HASH' }],
    });
  });
});

describe('the emulators', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startEmulators({ tableName: 'tap-data-table-e', bucketName: 'tap-files-e' });
  });

  afterAll(async () => {
    await emulators?.stop();
  });

  it('listen on 127.0.0.1 on ports of their own', () => {
    expect(emulators.dynamoDbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.dynamoDbEndpoint).not.toBe(emulators.s3Endpoint);
    expect(emulators.dynamodb.endpoint).toBe(emulators.dynamoDbEndpoint);
    expect(emulators.s3.endpoint).toBe(emulators.s3Endpoint);
  });

  it('hold an ACTIVE data table with the key schema of the stack, and the bucket', async () => {
    const dynamodb = dynamoDbClientFor(emulators.dynamoDbEndpoint);
    const s3 = s3ClientFor(emulators.s3Endpoint);
    try {
      const { Table } = await dynamodb.send(
        new DescribeTableCommand({ TableName: 'tap-data-table-e' }),
      );
      expect(Table).toMatchObject({
        TableStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'tenant', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'tenant', AttributeType: 'S' },
          { AttributeName: 'id', AttributeType: 'S' },
        ],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      });
      await expect(
        s3.send(new HeadBucketCommand({ Bucket: 'tap-files-e' })),
      ).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    } finally {
      dynamodb.destroy();
      s3.destroy();
    }
  });

  it('keep their port and their data across a stop and a start', async () => {
    const dynamodb = dynamoDbClientFor(emulators.dynamoDbEndpoint, { maxAttempts: 1 });
    const s3 = s3ClientFor(emulators.s3Endpoint, { maxAttempts: 1 });
    const key = { tenant: { S: 'acme' }, id: { S: 'kept' } };
    try {
      await dynamodb.send(new PutItemCommand({ TableName: emulators.tableName, Item: key }));
      await s3.send(
        new PutObjectCommand({ Bucket: emulators.bucketName, Key: 'kept.txt', Body: 'kept' }),
      );

      await Promise.all([emulators.dynamodb.stop(), emulators.s3.stop()]);
      // A new client, so the request opens a connection rather than reusing a closed one.
      const meanwhile = dynamoDbClientFor(emulators.dynamoDbEndpoint, { maxAttempts: 1 });
      try {
        expect([emulators.dynamodb.running, emulators.s3.running]).toEqual([false, false]);
        await expect(
          meanwhile.send(new GetItemCommand({ TableName: emulators.tableName, Key: key })),
        ).rejects.toThrow(/ECONNREFUSED/);
      } finally {
        meanwhile.destroy();
        await Promise.all([emulators.dynamodb.start(), emulators.s3.start()]);
      }

      expect(emulators.dynamodb.endpoint).toBe(emulators.dynamoDbEndpoint);
      expect(emulators.s3.endpoint).toBe(emulators.s3Endpoint);
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: emulators.tableName, Key: key }),
      );
      expect(Item).toEqual(key);
      const object = await s3.send(
        new GetObjectCommand({ Bucket: emulators.bucketName, Key: 'kept.txt' }),
      );
      await expect(object.Body?.transformToString()).resolves.toBe('kept');
    } finally {
      dynamodb.destroy();
      s3.destroy();
    }
  });

  it('leave an existing data table as it is', async () => {
    const dynamodb = dynamoDbClientFor(emulators.dynamoDbEndpoint);
    const key = { tenant: { S: 'acme' }, id: { S: 'survivor' } };
    try {
      await dynamodb.send(new PutItemCommand({ TableName: emulators.tableName, Item: key }));
      await ensureDataTable(emulators.dynamoDbEndpoint, emulators.tableName);
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: emulators.tableName, Key: key }),
      );
      expect(Item).toEqual(key);
    } finally {
      dynamodb.destroy();
    }
  });

  it('point the SDK at themselves through its standard variables', () => {
    const saved = { ...process.env };
    try {
      useEmulatorEnvironment(emulators);
      expect(process.env).toMatchObject({
        AWS_REGION: 'us-west-2',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoDbEndpoint,
        AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
      });
    } finally {
      process.env = saved;
    }
  });
});

describe('the S3 emulator', () => {
  it('removes the temporary folder it made for the buckets when disposed', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'tap-s3-parent-'));
    const directory = path.join(parent, 'buckets');
    const kept = createS3Emulator({ directory, buckets: [{ name: 'tap-files-kept' }] });
    await kept.start();
    await kept.dispose();
    expect(existsSync(directory)).toBe(true);

    const throwaway = createS3Emulator({
      directory,
      removeDirectoryOnDispose: true,
      buckets: [{ name: 'tap-files-kept' }],
    });
    await throwaway.start();
    await throwaway.dispose();
    expect(existsSync(directory)).toBe(false);
  });

  it('gives a started and disposed emulator no way back', async () => {
    const emulator = createS3Emulator({ buckets: [{ name: 'tap-files-once' }] });
    await emulator.start();
    await emulator.dispose();
    await expect(emulator.start()).rejects.toThrow('s3 has been shut down');
  });
});
