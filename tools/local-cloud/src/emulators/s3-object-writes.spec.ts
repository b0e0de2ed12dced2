import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3ClientFor, type ManagedService } from '@tap/test-support';
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { send, type TestResponse } from '../../test/support/http';
import { createS3Emulator } from './s3';
import { KeyedSerializer, type ObjectCreatedNotice } from './s3-object-writes';

const BUCKET = 'files';
const PAGE_ORIGIN = 'http://page.example';

/** The `<Code>` of an S3 XML error body. */
const errorCode = (response: TestResponse): string | undefined =>
  /<Code>([^<]*)<\/Code>/.exec(response.text)?.[1];

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

describe('object writes in the S3 emulator', () => {
  let service: ManagedService;
  let client: S3Client;
  const notices: ObjectCreatedNotice[] = [];
  let keyNumber = 0;
  const newKey = (name = 'file.txt'): string => `tenants/t/items/${++keyNumber}/${name}`;
  const objectPath = (key: string): string => `/${BUCKET}/${key}`;

  beforeAll(async () => {
    service = createS3Emulator({
      host: '127.0.0.1',
      directory: await mkdtemp(path.join(tmpdir(), 'tap-s3-writes-')),
      removeDirectoryOnDispose: true,
      bucket: BUCKET,
      corsAllowOrigins: [PAGE_ORIGIN],
      corsMaxAgeSeconds: 60,
      onObjectCreated: (notice) => notices.push(notice),
    });
    await service.start();
    client = s3ClientFor(service.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await service?.dispose();
  });

  beforeEach(() => {
    notices.length = 0;
  });

  const read = async (key: string): Promise<string | undefined> =>
    (
      await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
    ).Body?.transformToString();

  describe('If-None-Match: *', () => {
    it('stores the object when the key has none, and answers 412 PreconditionFailed the second time', async () => {
      const key = newKey();
      const put = (body: string): Promise<TestResponse> =>
        send(service.endpoint, objectPath(key), {
          method: 'PUT',
          headers: { 'if-none-match': '*', 'content-type': 'text/plain' },
          body,
        });

      expect((await put('first')).status).toBe(200);
      const second = await put('second');

      expect(second.status).toBe(412);
      expect(second.headers['content-type']).toMatch(/^application\/xml/);
      expect(errorCode(second)).toBe('PreconditionFailed');
      expect(second.text).toContain('<Condition>If-None-Match</Condition>');
      expect(await read(key)).toBe('first');
    });

    it('lets exactly one of 10 concurrent conditional PUTs to one key succeed', async () => {
      const key = newKey();
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          client
            .send(
              new PutObjectCommand({
                Bucket: BUCKET,
                Key: key,
                Body: `body ${index}`,
                IfNoneMatch: '*',
              }),
            )
            .then(
              () => 200,
              (error: { $metadata?: { httpStatusCode?: number } }) =>
                error.$metadata?.httpStatusCode,
            ),
        ),
      );

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(9);
      const winner = statuses.indexOf(200);
      expect(await read(key)).toBe(`body ${winner}`);
      expect(notices.filter((notice) => notice.key === key)).toHaveLength(1);
    });

    it('honours the condition on a presigned PUT that signed it', async () => {
      const key = newKey();
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          ContentType: 'text/plain',
          IfNoneMatch: '*',
        }),
        { expiresIn: 900, signableHeaders: new Set(['content-type', 'if-none-match']) },
      );
      expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toContain('if-none-match');
      const put = (): Promise<TestResponse> =>
        send(url, url.slice(new URL(url).origin.length), {
          method: 'PUT',
          headers: { 'content-type': 'text/plain', 'if-none-match': '*', origin: PAGE_ORIGIN },
          body: 'uploaded',
        });

      expect((await put()).status).toBe(200);
      const again = await put();
      expect(again.status).toBe(412);
      // A page can read why: the refusal carries the bucket's CORS headers.
      expect(again.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
    });

    it('still writes unconditionally without the header, and refuses other values as S3 does', async () => {
      const key = newKey();
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'one' }));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'two' }));
      expect(await read(key)).toBe('two');

      const etag = await send(service.endpoint, objectPath(key), {
        method: 'PUT',
        headers: { 'if-none-match': '"abc"' },
        body: 'three',
      });
      expect({ status: etag.status, code: errorCode(etag) }).toEqual({
        status: 501,
        code: 'NotImplemented',
      });
      expect(await read(key)).toBe('two');
    });

    it('lets browsers send If-None-Match from the allowed origins (bucket CORS)', async () => {
      const preflight = await send(service.endpoint, objectPath(newKey()), {
        method: 'OPTIONS',
        headers: {
          origin: PAGE_ORIGIN,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type,if-none-match',
        },
      });
      expect(preflight.status).toBe(200);
      expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain(
        'if-none-match',
      );
    });
  });

  describe('notices of stored objects', () => {
    it('reports a PUT with its key, size and unquoted ETag', async () => {
      const key = newKey('a file (1).txt');
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'hello' }));

      expect(notices).toEqual([
        {
          kind: 'Put',
          bucket: BUCKET,
          key,
          size: 5,
          eTag: md5('hello'),
          sourceIp: '127.0.0.1',
          time: expect.any(Date),
        },
      ]);
    });

    it('reports a copy and a completed multipart upload, but not a part or a refused write', async () => {
      const source = newKey();
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: source, Body: 'copied' }));
      const copy = newKey();
      await client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: copy, CopySource: `${BUCKET}/${source}` }),
      );
      const multipart = newKey();
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: multipart }),
      );
      const part = await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: multipart,
          UploadId,
          PartNumber: 1,
          Body: 'parts',
        }),
      );
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: multipart,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      await client
        .send(new PutObjectCommand({ Bucket: BUCKET, Key: source, Body: 'x', IfNoneMatch: '*' }))
        .catch(() => undefined);

      expect(notices.map(({ kind, key, size }) => ({ kind, key, size }))).toEqual([
        { kind: 'Put', key: source, size: 6 },
        { kind: 'Copy', key: copy, size: 6 },
        { kind: 'CompleteMultipartUpload', key: multipart, size: 5 },
      ]);
    });
  });
});

describe('KeyedSerializer', () => {
  it('runs the tasks of one key one after another, and of different keys together', async () => {
    const serializer = new KeyedSerializer();
    const events: string[] = [];
    const task = (name: string, ms: number) => async (): Promise<void> => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
    };

    await Promise.all([
      serializer.run('a', task('a1', 30)),
      serializer.run('a', task('a2', 1)),
      serializer.run('b', task('b1', 1)),
    ]);

    expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
  });

  it('goes on with the next task of a key when one fails', async () => {
    const serializer = new KeyedSerializer();
    await expect(serializer.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(serializer.run('a', async () => 'next')).resolves.toBe('next');
  });
});
