import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FileUpload, Item, Problem } from '@tap/contracts';
import { fileRecordPartition, ProblemTypes } from '@tap/contracts';
import type { ApiHarness } from '../../../test/support/api-harness';
import { objectKeyOf, startApiHarness } from '../../../test/support/api-harness';

const MAX_FILES = 10;
const MAX_BYTES = 1000;

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({ maxFilesPerItem: MAX_FILES, maxBytesPerItem: MAX_BYTES });
});

afterAll(async () => {
  await api.stop();
});

const createItem = async (): Promise<Item> =>
  (await api.call<Item>('POST /api/items', { json: { name: 'Capped' } })).body;

const grant = (itemId: string, contentLength: number, fileName = 'f.txt') =>
  api.call<FileUpload & Problem>('POST /api/items/{id}/files', {
    path: { id: itemId },
    json: { fileName, contentType: 'text/plain', contentLength },
  });

/** The item's counters and every record of it, as stored. */
async function stored(itemId: string) {
  const row = (
    await api.documentClient.send(
      new GetCommand({
        TableName: api.emulators.tableName,
        Key: { tenant: 'acme', id: itemId },
        ConsistentRead: true,
      }),
    )
  ).Item;
  const records = (
    await api.documentClient.send(
      new QueryCommand({
        TableName: api.fileTableName,
        KeyConditionExpression: 'itemKey = :itemKey',
        ExpressionAttributeValues: { ':itemKey': fileRecordPartition('acme', itemId) },
        ConsistentRead: true,
      }),
    )
  ).Items;
  return { fileCount: row?.['fileCount'], fileBytes: row?.['fileBytes'], records: records ?? [] };
}

describe('the files cap', () => {
  it('grants exactly the cap of 30 concurrent requests and answers the rest 409', async () => {
    const item = await createItem();

    const answers = await Promise.all(Array.from({ length: 30 }, () => grant(item.id, 1)));

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_FILES);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30 - MAX_FILES);
    expect(
      answers.filter((answer) => answer.status === 409).map((answer) => answer.body.type),
    ).toEqual(Array(30 - MAX_FILES).fill(ProblemTypes.fileLimitExceeded));
    const after = await stored(item.id);
    expect(after.fileCount).toBe(MAX_FILES);
    expect(after.fileBytes).toBe(MAX_FILES);
    expect(after.records).toHaveLength(MAX_FILES);
  });

  it('grants again once a file is deleted', async () => {
    const item = await createItem();
    const granted: FileUpload[] = [];
    for (let index = 0; index < MAX_FILES; index += 1) granted.push((await grant(item.id, 1)).body);
    expect((await grant(item.id, 1)).status).toBe(409);

    const deleted = await api.call('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: granted[0]?.fileId ?? '' },
    });

    expect(deleted.status).toBe(204);
    expect((await grant(item.id, 1)).status).toBe(201);
  });

  it('releases the share of a rejected upload', async () => {
    const item = await createItem();
    const granted: FileUpload[] = [];
    for (let index = 0; index < MAX_FILES; index += 1) granted.push((await grant(item.id, 4)).body);
    const key = objectKeyOf(granted[0]!, api.emulators.bucketName);
    // Of the granted size but another type, written past the signed URL.
    await api.s3.send(
      new PutObjectCommand({
        Bucket: api.emulators.bucketName,
        Key: key,
        Body: '1234',
        ContentType: 'text/html',
      }),
    );
    expect((await grant(item.id, 1)).status).toBe(409);

    await api.deliverUploads(key);

    expect((await stored(item.id)).fileCount).toBe(MAX_FILES - 1);
    expect((await grant(item.id, 1)).status).toBe(201);
  });
});

describe('the bytes cap', () => {
  it('answers 413 item-storage-exceeded and writes nothing', async () => {
    const item = await createItem();
    expect((await grant(item.id, MAX_BYTES - 10)).status).toBe(201);
    const before = await stored(item.id);

    const over = await grant(item.id, 11);
    const whole = await grant((await createItem()).id, MAX_BYTES + 1);

    expect(over.status).toBe(413);
    expect(over.body.type).toBe(ProblemTypes.itemStorageExceeded);
    expect(whole.status).toBe(413);
    expect(whole.body.type).toBe(ProblemTypes.itemStorageExceeded);
    expect(await stored(item.id)).toEqual(before);
    expect(before).toMatchObject({ fileCount: 1, fileBytes: MAX_BYTES - 10 });
  });

  it('accepts a file that fills the allowance exactly', async () => {
    const item = await createItem();
    expect((await grant(item.id, MAX_BYTES - 10)).status).toBe(201);

    expect((await grant(item.id, 10)).status).toBe(201);
    expect((await stored(item.id)).fileBytes).toBe(MAX_BYTES);
  });
});
