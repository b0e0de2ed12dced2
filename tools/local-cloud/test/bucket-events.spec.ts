/**
 * The bucket as the stack configures it, end to end: conditional writes, and the
 * `ObjectCreated` events S3 sends the subscribed function (`files`, here a fixture that
 * records what it receives), with Lambda's retries, and `idle()` to wait for them.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  API_KEY_HEADER,
  DEFAULT_FILE_QUOTAS,
  FILE_TABLE_SCHEMA,
  FUNCTION_ENV,
  IDEMPOTENCY_TABLE_SCHEMA,
  TAP_REGION,
} from '@tap/contracts';
import { dynamoDbClientFor, s3ClientFor } from '@tap/test-support';
import { createHash } from 'node:crypto';
import { startLocalCloud, type LocalCloud } from '../src';
import type { S3Event } from '../src/lambda/bucket-notifications';
import { fixtureBundle, send } from './support/http';

describe('the bucket of a running local cloud', () => {
  let cloud: LocalCloud;
  let s3: S3Client;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      throttles: false,
      fileQuotas: { maxFilesPerItem: 3 },
      functionBundles: {
        health: fixtureBundle('echo'),
        api: fixtureBundle('echo'),
        authorizer: fixtureBundle('authorizer'),
        files: fixtureBundle('bucket-recorder'),
      },
    });
    s3 = s3ClientFor(cloud.services.s3.endpoint);
  });

  afterAll(async () => {
    s3?.destroy();
    await cloud?.stop();
  });

  /** The events the recorder function received for `key`, one per attempt, in order. */
  async function receivedFor(key: string): Promise<S3Event[]> {
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: cloud.names.bucket,
        Prefix: `received/${Buffer.from(key).toString('base64url')}/`,
      }),
    );
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
    return Promise.all(
      keys.map(async (recorded) => {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: cloud.names.bucket, Key: recorded }),
        );
        return JSON.parse((await object.Body?.transformToString()) ?? '') as S3Event;
      }),
    );
  }

  it('invokes the files function with an S3 ObjectCreated:Put event once an object is stored under tenants/', async () => {
    const key = 'tenants/acme/items/i-1/files/a report (v2).pdf';
    await s3.send(new PutObjectCommand({ Bucket: cloud.names.bucket, Key: key, Body: 'hello' }));

    await cloud.idle();

    const events = await receivedFor(key);
    expect(events).toHaveLength(1);
    const [record] = events[0]?.Records ?? [];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: TAP_REGION,
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: {
          name: cloud.names.bucket,
          arn: `arn:aws:s3:::${cloud.names.bucket}`,
        },
        object: {
          key: 'tenants/acme/items/i-1/files/a+report+%28v2%29.pdf',
          size: 5,
          eTag: createHash('md5').update('hello').digest('hex'),
          sequencer: expect.stringMatching(/^[0-9A-F]+$/),
        },
      },
    });
  });

  it('invokes nothing for an object outside the prefix', async () => {
    const key = 'elsewhere/x.txt';
    await s3.send(new PutObjectCommand({ Bucket: cloud.names.bucket, Key: key, Body: 'x' }));

    await cloud.idle();

    expect(await receivedFor(key)).toEqual([]);
  });

  it('retries a failing function twice, then idle() resolves', async () => {
    const key = 'tenants/acme/items/i-2/files/fail.txt';
    const started = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: cloud.names.bucket, Key: key, Body: 'no' }));

    await cloud.idle();

    const events = await receivedFor(key);
    expect(events).toHaveLength(3);
    // The same event each time, after Lambda's delays (200 ms, then 400 ms).
    expect(new Set(events.map((event) => JSON.stringify(event))).size).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('answers a conditional PUT to an existing key with 412, and invokes nothing for it', async () => {
    const key = 'tenants/acme/items/i-3/files/once.txt';
    const put = (): Promise<number | undefined> =>
      s3
        .send(
          new PutObjectCommand({
            Bucket: cloud.names.bucket,
            Key: key,
            Body: 'once',
            IfNoneMatch: '*',
          }),
        )
        .then(
          () => 200,
          (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
        );

    expect(await put()).toBe(200);
    expect(await put()).toBe(412);
    await cloud.idle();

    expect(await receivedFor(key)).toHaveLength(1);
  });

  it('creates the file table and the idempotency table with the stack key schemas', async () => {
    const client = dynamoDbClientFor(cloud.services.dynamodb.endpoint);
    try {
      const keysOf = async (tableName: string) =>
        (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.KeySchema;
      expect(await keysOf(cloud.names.fileTable)).toEqual([
        { AttributeName: FILE_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: FILE_TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
      ]);
      expect(await keysOf(cloud.names.idempotencyTable)).toEqual([
        { AttributeName: IDEMPOTENCY_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      ]);
    } finally {
      client.destroy();
    }
  });

  it("gives the API the tables' names and the file caps it was started with", async () => {
    const response = await send(cloud.baseUrl, '/api/items', {
      headers: { [API_KEY_HEADER]: cloud.outputs.ApiKey },
    });
    const { env } = response.json<{ env: Record<string, string> }>();
    expect(env).toMatchObject({
      [FUNCTION_ENV.fileTableName]: cloud.names.fileTable,
      [FUNCTION_ENV.idempotencyTableName]: cloud.names.idempotencyTable,
      [FUNCTION_ENV.maxFilesPerItem]: '3',
      [FUNCTION_ENV.maxBytesPerItem]: String(DEFAULT_FILE_QUOTAS.maxBytesPerItem),
    });
  });
});

describe('a local cloud without the files bundle', () => {
  it('starts, and idle() resolves once the undeliverable event is dropped', async () => {
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: {
        health: fixtureBundle('echo'),
        api: fixtureBundle('echo'),
        authorizer: fixtureBundle('authorizer'),
        files: fixtureBundle('missing'),
      },
    });
    const s3 = s3ClientFor(cloud.services.s3.endpoint);
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: cloud.names.bucket, Key: 'tenants/t/x', Body: 'x' }),
      );
      await expect(cloud.idle()).resolves.toBeUndefined();
    } finally {
      s3.destroy();
      await cloud.stop();
    }
  });

  it('refuses file caps above the contract', async () => {
    await expect(
      startLocalCloud({
        port: 0,
        inMemory: true,
        quiet: true,
        fileQuotas: { maxBytesPerItem: DEFAULT_FILE_QUOTAS.maxBytesPerItem + 1 },
      }),
    ).rejects.toThrow('maxBytesPerItem must be a positive integer of at most');
  });
});
