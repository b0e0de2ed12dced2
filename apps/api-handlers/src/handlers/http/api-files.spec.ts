import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FileDownload, FileList, FileUpload, Item, Problem } from '@tap/contracts';
import { ProblemTypes } from '@tap/contracts';
import type { ApiHarness } from '../../../test/support/api-harness';
import { objectKeyOf, startApiHarness } from '../../../test/support/api-harness';
import { OTHER_TENANT_PRINCIPAL } from '../../../test/support/api-events';
import { DependencyUnavailableError } from '../../core/errors';
import type { FileStore } from '../../core/file-store';

const MAX_UPLOAD_BYTES = 4096;

/**
 * Fault injection: once the API's file store made this many more deletes, S3 "stops" and
 * the store fails as its adapter does for a dropped connection. (Stopping the emulator
 * itself does not do: in Jest's sandbox the SDK cannot recognise Node's socket errors, so
 * they would surface as 500s where Lambda gets 503s.)
 */
const faults = { deletesLeft: Number.POSITIVE_INFINITY };

const stoppingS3 = (files: FileStore): FileStore => ({
  ...files,
  async deleteObjects(keys) {
    if (faults.deletesLeft <= 0) throw new DependencyUnavailableError('S3');
    faults.deletesLeft -= 1;
    return files.deleteObjects(keys);
  },
  async deletePrefix(prefix) {
    if (faults.deletesLeft <= 0) throw new DependencyUnavailableError('S3');
    faults.deletesLeft -= 1;
    return files.deletePrefix(prefix);
  },
});

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({ maxUploadBytes: MAX_UPLOAD_BYTES, wrapFiles: stoppingS3 });
});

afterEach(() => {
  faults.deletesLeft = Number.POSITIVE_INFINITY;
});

afterAll(async () => {
  await api.stop();
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const createItem = async (): Promise<Item> =>
  (await api.call<Item>('POST /api/items', { json: { name: 'With files' } })).body;

const requestUpload = (itemId: string, json: Record<string, unknown>) =>
  api.call<FileUpload & Problem>('POST /api/items/{id}/files', { path: { id: itemId }, json });

const keyOf = (grant: FileUpload): string => objectKeyOf(grant, api.emulators.bucketName);

/** Grants an upload and PUTs the bytes to it with plain fetch and the returned headers. */
async function grantAndPut(
  itemId: string,
  fileName: string,
  bytes: Buffer,
  contentType = 'text/plain',
): Promise<FileUpload> {
  const response = await requestUpload(itemId, {
    fileName,
    contentType,
    contentLength: bytes.length,
  });
  expect(response.status).toBe(201);
  const put = await api.put(response.body, bytes);
  expect(put.status).toBe(200);
  return response.body;
}

/** A confirmed upload: granted, PUT, and reported to the files function. */
async function upload(
  itemId: string,
  fileName: string,
  bytes: Buffer,
  contentType = 'text/plain',
): Promise<FileUpload> {
  const grant = await grantAndPut(itemId, fileName, bytes, contentType);
  await api.deliverUploads(keyOf(grant));
  return grant;
}

const listFiles = (itemId: string, query?: Record<string, string>) =>
  api.call<FileList & Problem>('GET /api/items/{id}/files', {
    path: { id: itemId },
    ...(query ? { query } : {}),
  });

const keysUnder = async (prefix: string): Promise<string[]> => {
  const output = await api.s3.send(
    new ListObjectsV2Command({ Bucket: api.emulators.bucketName, Prefix: prefix }),
  );
  return (output.Contents ?? []).map((object) => object.Key ?? '');
};

/** The item's row as stored, counters included (the API never shows them). */
const itemRow = async (itemId: string): Promise<Record<string, unknown> | undefined> =>
  (
    await api.documentClient.send(
      new GetCommand({
        TableName: api.emulators.tableName,
        Key: { tenant: 'acme', id: itemId },
        ConsistentRead: true,
      }),
    )
  ).Item;

describe('POST /api/items/{id}/files', () => {
  it('issues a presigned PUT that binds key, type, length, name and create-only as signed headers', async () => {
    const item = await createItem();

    const response = await requestUpload(item.id, {
      fileName: 'Quarterly report.pdf',
      contentType: 'application/pdf',
      contentLength: 1234,
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      fileId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      uploadUrl: expect.any(String),
      method: 'PUT',
      headers: {
        'content-type': 'application/pdf',
        'content-length': '1234',
        'if-none-match': '*',
        'x-amz-meta-file-name': 'Quarterly%20report.pdf',
      },
      expiresAt: expect.any(String),
    });
    const url = new URL(response.body.uploadUrl);
    expect(url.pathname).toBe(
      `/${api.emulators.bucketName}/tenants/acme/items/${item.id}/${response.body.fileId}/Quarterly_report.pdf`,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;if-none-match;x-amz-meta-file-name',
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    // Nothing the client must match may travel as a (strippable) query parameter.
    expect([...url.searchParams.keys()].filter((key) => /meta|checksum|match/i.test(key))).toEqual(
      [],
    );
    const ttl = new Date(response.body.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
  });

  it('records the grant as a pending file, counted on the item', async () => {
    const item = await createItem();

    const grant = await requestUpload(item.id, {
      fileName: 'later.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    const list = await listFiles(item.id);

    expect(list.body).toEqual({
      files: [
        {
          fileId: grant.body.fileId,
          fileName: 'later.txt',
          size: 5,
          contentType: 'text/plain',
          status: 'pending',
          createdAt: expect.any(String),
        },
      ],
    });
    expect(await itemRow(item.id)).toMatchObject({ fileCount: 1, fileBytes: 5 });
    // The counters are the server's: the item the API shows is unchanged, version too.
    const read = await api.call<Item>('GET /api/items/{id}', { path: { id: item.id } });
    expect(read.body).toEqual(item);
  });

  it('keeps a hostile name out of the key and in the metadata as given', async () => {
    const item = await createItem();

    const response = await requestUpload(item.id, {
      fileName: '../../other/é\u0000.txt',
      contentType: 'text/plain',
      contentLength: 10,
    });

    const url = new URL(response.body.uploadUrl);
    expect(decodeURIComponent(url.pathname)).toBe(
      `/${api.emulators.bucketName}/tenants/acme/items/${item.id}/${response.body.fileId}/_.._other___.txt`,
    );
    expect(response.body.headers['x-amz-meta-file-name']).toBe('..%2F..%2Fother%2F%C3%A9%00.txt');
  });

  it('answers 413 file-too-large over the configured limit and accepts exactly the limit', async () => {
    const item = await createItem();

    const over = await requestUpload(item.id, {
      fileName: 'big.bin',
      contentType: 'application/octet-stream',
      contentLength: MAX_UPLOAD_BYTES + 1,
    });
    const exact = await requestUpload(item.id, {
      fileName: 'big.bin',
      contentType: 'application/octet-stream',
      contentLength: MAX_UPLOAD_BYTES,
    });

    expect(over.status).toBe(413);
    expect(over.body.type).toBe(ProblemTypes.fileTooLarge);
    expect(exact.status).toBe(201);
  });

  it('answers 404 item-not-found for an unknown item, and writes nothing', async () => {
    const response = await requestUpload(UNKNOWN_ID, {
      fileName: 'a.txt',
      contentType: 'text/plain',
      contentLength: 1,
    });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(ProblemTypes.itemNotFound);
    // The counters' update never creates an item row.
    expect(await itemRow(UNKNOWN_ID)).toBeUndefined();
  });

  it('answers 400 for a content type the contract does not accept and for unknown fields', async () => {
    const item = await createItem();

    const response = await requestUpload(item.id, {
      fileName: 'a.txt',
      contentType: 'text/plain; charset=utf-8',
      contentLength: 0,
      key: 'items/elsewhere',
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/contentType', message: expect.stringContaining('allowed values') },
        { path: '/body/contentLength', message: 'must be >= 1' },
        { path: '/body/key', message: 'is not allowed' },
      ]),
    );
  });

  it('answers 400 for names S3 metadata cannot carry', async () => {
    const item = await createItem();

    const loneSurrogate = await api.call<Problem>('POST /api/items/{id}/files', {
      path: { id: item.id },
      rawBody: '{"fileName":"a\\ud800.txt","contentType":"text/plain","contentLength":1}',
      headers: { 'content-type': 'application/json' },
    });
    const tooLongEncoded = await requestUpload(item.id, {
      fileName: '文'.repeat(255),
      contentType: 'text/plain',
      contentLength: 1,
    });

    expect(loneSurrogate.status).toBe(400);
    expect(loneSurrogate.body.errors?.[0]?.path).toBe('/body/fileName');
    expect(tooLongEncoded.status).toBe(400);
    expect(tooLongEncoded.body.errors?.[0]?.path).toBe('/body/fileName');
  });
});

describe('uploading, confirming and downloading', () => {
  it('confirms an upload and downloads it byte for byte under its original name', async () => {
    const item = await createItem();
    const bytes = Buffer.from('héllo, wörld\n\u0000\u00ff', 'utf8');
    const fileName = 'Résumé "final" (2).txt';

    const uploaded = await upload(item.id, fileName, bytes, 'text/plain');

    const list = await listFiles(item.id);
    expect(list.status).toBe(200);
    expect(list.body.files).toEqual([
      {
        fileId: uploaded.fileId,
        fileName,
        size: bytes.length,
        contentType: 'text/plain',
        status: 'confirmed',
        createdAt: expect.any(String),
        uploadedAt: expect.any(String),
      },
    ]);

    const download = await api.call<FileDownload>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: uploaded.fileId },
    });
    expect(download.status).toBe(200);
    expect(download.body).toEqual({
      fileId: uploaded.fileId,
      fileName,
      size: bytes.length,
      downloadUrl: expect.any(String),
      expiresAt: expect.any(String),
    });
    const fetched = await fetch(download.body.downloadUrl);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
    expect(fetched.headers.get('content-type')).toBe('text/plain');
    expect(fetched.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ _final_ (2).txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20%282%29.txt`,
    );
  });

  it('serves active content (HTML, SVG, XML) as an octet-stream attachment', async () => {
    const item = await createItem();
    const page = Buffer.from('<script>alert(1)</script>');
    const uploaded = await upload(item.id, 'page.html', page, 'text/html');

    const download = await api.call<FileDownload>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: uploaded.fileId },
    });
    const url = new URL(download.body.downloadUrl);
    const fetched = await fetch(download.body.downloadUrl);

    expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
    expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
    expect(fetched.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
  });

  it('treats a redelivered event as a no-op', async () => {
    const item = await createItem();
    const uploaded = await upload(item.id, 'once.txt', Buffer.from('once'));
    const first = (await listFiles(item.id)).body.files;

    await api.deliverUploads(keyOf(uploaded), keyOf(uploaded));

    expect((await listFiles(item.id)).body.files).toEqual(first);
  });

  it('binds the upload to If-None-Match: *, so S3 refuses a second PUT to the URL', async () => {
    const item = await createItem();
    const grant = await requestUpload(item.id, {
      fileName: 'once.txt',
      contentType: 'text/plain',
      contentLength: 4,
    });

    // A signed header: a PUT without it does not match the signature. The local S3 of the
    // tests does not evaluate If-None-Match itself; the integration suite sees the 412.
    const url = new URL(grant.body.uploadUrl);
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('if-none-match');
    expect(grant.body.headers['if-none-match']).toBe('*');
  });

  it('deletes an upload of another size or type, with its record, and releases its share', async () => {
    const item = await createItem();
    const sized = await requestUpload(item.id, {
      fileName: 'sized.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    const typed = await requestUpload(item.id, {
      fileName: 'typed.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    // Written past the signed URL, as only a principal with bucket access could.
    await api.s3.send(
      new PutObjectCommand({
        Bucket: api.emulators.bucketName,
        Key: keyOf(sized.body),
        Body: 'longer than granted',
        ContentType: 'text/plain',
      }),
    );
    await api.s3.send(
      new PutObjectCommand({
        Bucket: api.emulators.bucketName,
        Key: keyOf(typed.body),
        Body: '12345',
        ContentType: 'text/html',
      }),
    );
    expect(await itemRow(item.id)).toMatchObject({ fileCount: 2, fileBytes: 10 });

    await api.deliverUploads(keyOf(sized.body), keyOf(typed.body));

    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
    expect((await listFiles(item.id)).body.files).toEqual([]);
    expect(await itemRow(item.id)).toMatchObject({ fileCount: 0, fileBytes: 0 });
  });

  it('deletes an object that no grant names', async () => {
    const item = await createItem();
    const key = `tenants/acme/items/${item.id}/${UNKNOWN_ID}/planted.txt`;
    await api.s3.send(
      new PutObjectCommand({ Bucket: api.emulators.bucketName, Key: key, Body: 'x' }),
    );

    await api.deliverUploads(key);

    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
  });

  it('answers 409 file-not-uploaded for a granted file whose upload is not confirmed', async () => {
    const item = await createItem();
    const pending = await grantAndPut(item.id, 'pending.txt', Buffer.from('12345'));

    const response = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: pending.fileId },
    });

    expect(response.status).toBe(409);
    expect(response.body.type).toBe(ProblemTypes.fileNotUploaded);
  });

  it("answers 404 for another tenant's file, and for a file of another item", async () => {
    const item = await createItem();
    const other = await createItem();
    const uploaded = await upload(item.id, 'mine.txt', Buffer.from('mine'));

    const foreign = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: uploaded.fileId },
      principal: OTHER_TENANT_PRINCIPAL,
    });
    const elsewhere = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: other.id, fileId: uploaded.fileId },
    });

    expect(foreign.status).toBe(404);
    expect(foreign.body.type).toBe(ProblemTypes.itemNotFound);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.type).toBe(ProblemTypes.fileNotFound);
  });

  it('answers 400 for a file id that is not a UUID', async () => {
    const item = await createItem();

    const response = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: '..' },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: '/path/fileId', message: 'must match format "uuid"' },
    ]);
  });
});

describe('listing files', () => {
  it('pages through 25 files ten at a time, oldest grant first', async () => {
    const item = await createItem();
    const granted: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const grant = await requestUpload(item.id, {
        fileName: `f${index}.txt`,
        contentType: 'text/plain',
        contentLength: 1,
      });
      granted.push(grant.body.fileId);
    }

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listFiles(item.id, { limit: '10', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.files.map((file) => file.fileId));
      sizes.push(page.body.files.length);
      cursor = page.body.nextCursor;
    } while (cursor);

    expect(sizes.slice(0, 3)).toEqual([10, 10, 5]);
    expect(seen).toEqual(granted);
  });

  it("refuses another item's cursor, and an item list's, with 400 invalid-cursor", async () => {
    const item = await createItem();
    const other = await createItem();
    for (const target of [item, other]) {
      for (let index = 0; index < 2; index += 1) {
        await requestUpload(target.id, {
          fileName: 'x.txt',
          contentType: 'text/plain',
          contentLength: 1,
        });
      }
    }
    const cursor = (await listFiles(item.id, { limit: '1' })).body.nextCursor ?? '';
    const itemsCursor =
      (await api.call<{ nextCursor?: string }>('GET /api/items', { query: { limit: '1' } })).body
        .nextCursor ?? '';

    const foreign = await listFiles(other.id, { cursor });
    const fromItems = await listFiles(item.id, { cursor: itemsCursor });

    expect(cursor).not.toBe('');
    expect(foreign.status).toBe(400);
    expect(foreign.body.type).toBe(ProblemTypes.invalidCursor);
    expect(fromItems.status).toBe(400);
  });

  it('lists nothing for an item without files and 404 for an unknown item', async () => {
    const item = await createItem();

    const empty = await listFiles(item.id);
    const unknown = await listFiles(UNKNOWN_ID);

    expect(empty.body).toEqual({ files: [] });
    expect(unknown.status).toBe(404);
  });
});

describe('deleting files', () => {
  it('deletes one file and its record, releases its share, then answers 404 for it', async () => {
    const item = await createItem();
    const kept = await upload(item.id, 'keep.txt', Buffer.from('k'));
    const gone = await upload(item.id, 'gone.txt', Buffer.from('gg'));

    const first = await api.call('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: gone.fileId },
    });
    const second = await api.call<Problem>('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: gone.fileId },
    });

    expect(first.status).toBe(204);
    expect(second.status).toBe(404);
    expect(second.body.type).toBe(ProblemTypes.fileNotFound);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([keyOf(kept)]);
    expect((await listFiles(item.id)).body.files.map((file) => file.fileId)).toEqual([kept.fileId]);
    expect(await itemRow(item.id)).toMatchObject({ fileCount: 1, fileBytes: 1 });
  });

  it('deletes a late upload to the grant of a deleted file', async () => {
    const item = await createItem();
    const grant = await requestUpload(item.id, {
      fileName: 'late.txt',
      contentType: 'text/plain',
      contentLength: 4,
    });
    const deleted = await api.call('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: grant.body.fileId },
    });
    expect(deleted.status).toBe(204);

    // The URL is still signed and the key free: the PUT lands, and its event finds no record.
    const put = await api.put(grant.body, Buffer.from('late'));
    expect(put.status).toBe(200);
    await api.deliverUploads(keyOf(grant.body));

    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
    expect((await listFiles(item.id)).body.files).toEqual([]);
  });
});

describe('deleting an item', () => {
  it('removes all of its files and records, and nothing of another item', async () => {
    const item = await createItem();
    await upload(item.id, 'a.txt', Buffer.from('a'));
    await upload(item.id, 'b.txt', Buffer.from('b'));
    await grantAndPut(item.id, 'unconfirmed.txt', Buffer.from('c'));
    const neighbour = await createItem();
    await upload(neighbour.id, 'n.txt', Buffer.from('n'));
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(3);

    const response = await api.call('DELETE /api/items/{id}', { path: { id: item.id } });

    expect(response.status).toBe(204);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
    expect((await api.records.list('acme', item.id, 100, undefined)).files).toEqual([]);
    expect(await itemRow(item.id)).toBeUndefined();
    expect(await keysUnder(`tenants/acme/items/${neighbour.id}/`)).toHaveLength(1);
  });

  it('keeps the item and its files when a stale If-Match stops the delete', async () => {
    const item = await createItem();
    await upload(item.id, 'a.txt', Buffer.from('a'));
    await api.call('PATCH /api/items/{id}', { path: { id: item.id }, json: { name: 'v2' } });

    const response = await api.call('DELETE /api/items/{id}', {
      path: { id: item.id },
      headers: { 'if-match': '"1"' },
    });

    expect(response.status).toBe(412);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(1);
    expect((await api.call('GET /api/items/{id}', { path: { id: item.id } })).status).toBe(200);
  });

  it('hides an item whose delete failed half-way, and finishes it when repeated', async () => {
    const item = await createItem();
    const files: FileUpload[] = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      files.push(await upload(item.id, name, Buffer.from(name)));
    }
    // An object nobody granted, for the sweep to find.
    const stray = `tenants/acme/items/${item.id}/${UNKNOWN_ID}/stray.txt`;
    await api.s3.send(
      new PutObjectCommand({ Bucket: api.emulators.bucketName, Key: stray, Body: 's' }),
    );
    // S3 stops as the first page of files is deleted, after the item was marked.
    faults.deletesLeft = 0;

    const failed = await api.call<Problem>('DELETE /api/items/{id}', {
      path: { id: item.id },
      headers: { 'if-match': '"1"' },
    });

    expect(failed.status).toBe(503);
    expect(failed.body.retryable).toBe(true);
    for (const [routeKey, json] of [
      ['GET /api/items/{id}', undefined],
      ['PATCH /api/items/{id}', { name: 'back' }],
      ['GET /api/items/{id}/files', undefined],
      [
        'POST /api/items/{id}/files',
        { fileName: 'x.txt', contentType: 'text/plain', contentLength: 1 },
      ],
    ] as const) {
      const response = await api.call<Problem>(routeKey, {
        path: { id: item.id },
        ...(json ? { json } : {}),
      });
      expect([routeKey, response.status, response.body.type]).toEqual([
        routeKey,
        404,
        ProblemTypes.itemNotFound,
      ]);
    }
    const download = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: files[0]?.fileId ?? '' },
    });
    expect(download.status).toBe(404);
    const listed = await api.call<{ items: Item[] }>('GET /api/items', { query: { limit: '100' } });
    expect(listed.body.items.map((listedItem) => listedItem.id)).not.toContain(item.id);
    // Back up, S3 still has every object, and the records are all there.
    faults.deletesLeft = Number.POSITIVE_INFINITY;
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(4);
    expect((await api.records.list('acme', item.id, 100, undefined)).files).toHaveLength(3);

    // Repeated without If-Match (the client may no longer know the version): it finishes.
    const repeated = await api.call('DELETE /api/items/{id}', { path: { id: item.id } });

    expect(repeated.status).toBe(204);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
    expect((await api.records.list('acme', item.id, 100, undefined)).files).toEqual([]);
    expect(await itemRow(item.id)).toBeUndefined();
    const again = await api.call<Problem>('DELETE /api/items/{id}', { path: { id: item.id } });
    expect(again.status).toBe(404);
  });

  it('deletes an upload that lands after the item was deleted', async () => {
    const item = await createItem();
    const grant = await requestUpload(item.id, {
      fileName: 'late.txt',
      contentType: 'text/plain',
      contentLength: 4,
    });
    expect((await api.call('DELETE /api/items/{id}', { path: { id: item.id } })).status).toBe(204);

    expect((await api.put(grant.body, Buffer.from('late'))).status).toBe(200);
    await api.deliverUploads(keyOf(grant.body));

    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
  });
});
