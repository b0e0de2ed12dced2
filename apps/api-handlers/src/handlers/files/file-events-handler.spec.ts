/**
 * The files function on the emulators, built directly (the API harness provides the tables,
 * the bucket and the API that grants): what it does to each object, and how it fails.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { FileList, FileUpload, Item } from '@tap/contracts';
import { NO_TRACING } from '@tap/lambda-runtime';
import type { S3Event } from 'aws-lambda';
import { createDynamoDbItemStore } from '../../adapters/dynamodb/dynamodb-item-store';
import { createS3FileStore } from '../../adapters/s3/s3-file-store';
import { DependencyUnavailableError } from '../../core/errors';
import type { FileStore } from '../../core/file-store';
import type { ApiHarness } from '../../../test/support/api-harness';
import { objectKeyOf, startApiHarness } from '../../../test/support/api-harness';
import { recordingMetrics, type RecordingMetrics } from '../../../test/support/recording-metrics';
import { createFileEventsHandler, decodeEventKey } from './file-events-handler';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});

afterAll(async () => {
  await api.stop();
});

/** The handler on the harness's stores, with HeadObject failing for the keys in `failing`. */
function handlerFailingFor(failing: ReadonlySet<string>, metrics: RecordingMetrics) {
  const files = createS3FileStore({ client: api.s3, bucketName: api.emulators.bucketName });
  const flaky: FileStore = {
    ...files,
    async headObject(key) {
      if (failing.has(key)) throw new DependencyUnavailableError('S3');
      return files.headObject(key);
    },
  };
  return createFileEventsHandler({
    records: api.records,
    files: flaky,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    tracing: NO_TRACING,
  });
}

const eventFor = (...keys: string[]): S3Event =>
  ({
    Records: keys.map((key) => ({
      eventName: 'ObjectCreated:Put',
      s3: { object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } },
    })),
  }) as unknown as S3Event;

async function grantAndPut(itemId: string, body: string): Promise<string> {
  const grant = await api.call<FileUpload>('POST /api/items/{id}/files', {
    path: { id: itemId },
    json: { fileName: 'f.txt', contentType: 'text/plain', contentLength: body.length },
  });
  expect((await api.put(grant.body, Buffer.from(body))).status).toBe(200);
  return objectKeyOf(grant.body, api.emulators.bucketName);
}

const statuses = async (itemId: string) =>
  (await api.call<FileList>('GET /api/items/{id}/files', { path: { id: itemId } })).body.files.map(
    (file) => file.status,
  );

it('decodes keys as S3 notifications spell them', () => {
  expect(decodeEventKey('tenants/acme/a+b%2Bc%C3%A9.txt')).toBe('tenants/acme/a b+cé.txt');
});

it('checks every record of an event, then throws so that Lambda delivers it again', async () => {
  const item = (await api.call<Item>('POST /api/items', { json: { name: 'Flaky' } })).body;
  const healthy = await grantAndPut(item.id, 'one');
  const unlucky = await grantAndPut(item.id, 'two');
  const metrics = recordingMetrics();

  await expect(
    handlerFailingFor(new Set([unlucky]), metrics)(eventFor(unlucky, healthy)),
  ).rejects.toThrow('1 upload(s) could not be checked');
  expect((await statuses(item.id)).sort()).toEqual(['confirmed', 'pending']);
  expect(metrics.flattened()).toEqual([
    expect.objectContaining({ UploadsConfirmed: 1, UploadChecksFailed: 1 }),
  ]);

  // The redelivery: the confirmed one is left as it is, the other is confirmed now.
  await handlerFailingFor(new Set(), recordingMetrics())(eventFor(unlucky, healthy));
  expect(await statuses(item.id)).toEqual(['confirmed', 'confirmed']);
});

it('deletes an upload to an item being deleted, and leaves its record to the delete', async () => {
  const item = (await api.call<Item>('POST /api/items', { json: { name: 'Going' } })).body;
  const key = await grantAndPut(item.id, 'bytes');
  // What a DELETE does first; its S3 part has not happened yet.
  await createDynamoDbItemStore({
    client: api.documentClient,
    tableName: api.emulators.tableName,
  }).beginDelete('acme', item.id, { kind: 'none' }, new Date().toISOString());

  await api.deliverUploads(key);

  const listed = await api.s3.send(
    new ListObjectsV2Command({ Bucket: api.emulators.bucketName, Prefix: key }),
  );
  expect(listed.Contents ?? []).toEqual([]);
  expect((await api.records.list('acme', item.id, 10, undefined)).files).toHaveLength(1);
});
