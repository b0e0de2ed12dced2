import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { FileDownload, FileList, FileUpload, Item, Problem } from '@tap/contracts';
import { ProblemTypes } from '@tap/contracts';
import type { ApiHarness } from '../../../test/support/api-harness';
import { startApiHarness } from '../../../test/support/api-harness';

const MAX_UPLOAD_BYTES = 4096;

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({ maxUploadBytes: MAX_UPLOAD_BYTES });
});

afterAll(async () => {
  await api.stop();
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const createItem = async (): Promise<Item> =>
  (await api.call<Item>('POST /api/items', { json: { name: 'With files' } })).body;

const requestUpload = (itemId: string, json: Record<string, unknown>) =>
  api.call<FileUpload & Problem>('POST /api/items/{id}/files', { path: { id: itemId }, json });

/** Requests an upload URL and PUTs the bytes to it with plain fetch and the returned headers. */
async function upload(itemId: string, fileName: string, bytes: Buffer, contentType = 'text/plain') {
  const response = await requestUpload(itemId, {
    fileName,
    contentType,
    contentLength: bytes.length,
  });
  expect(response.status).toBe(201);
  const put = await fetch(response.body.uploadUrl, {
    method: response.body.method,
    headers: response.body.headers,
    body: bytes,
  });
  expect(put.status).toBe(200);
  return response.body;
}

const keysUnder = async (prefix: string): Promise<string[]> => {
  const output = await api.s3.send(
    new ListObjectsV2Command({ Bucket: api.emulators.bucketName, Prefix: prefix }),
  );
  return (output.Contents ?? []).map((object) => object.Key ?? '');
};

describe('POST /api/items/{id}/files', () => {
  it('issues a presigned PUT that binds key, type, length and name as signed headers', async () => {
    const item = await createItem();

    const response = await requestUpload(item.id, {
      fileName: 'Quarterly report.pdf',
      contentType: 'application/pdf',
      contentLength: 1234,
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      fileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      uploadUrl: expect.any(String),
      method: 'PUT',
      headers: {
        'content-type': 'application/pdf',
        'content-length': '1234',
        'x-amz-meta-file-name': 'Quarterly%20report.pdf',
      },
      expiresAt: expect.any(String),
    });
    const url = new URL(response.body.uploadUrl);
    expect(url.pathname).toBe(
      `/${api.emulators.bucketName}/tenants/acme/items/${item.id}/${response.body.fileId}/Quarterly_report.pdf`,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-meta-file-name',
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    // Nothing the client must match may travel as a (strippable) query parameter.
    expect([...url.searchParams.keys()].filter((key) => /meta|checksum/i.test(key))).toEqual([]);
    const ttl = new Date(response.body.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
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

  it('answers 404 item-not-found for an unknown item', async () => {
    const response = await requestUpload(UNKNOWN_ID, {
      fileName: 'a.txt',
      contentType: 'text/plain',
      contentLength: 1,
    });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(ProblemTypes.itemNotFound);
  });

  it('answers 400 for a content type the contract rejects and for unknown fields', async () => {
    const item = await createItem();

    const response = await requestUpload(item.id, {
      fileName: 'a.txt',
      contentType: 'text plain',
      contentLength: 0,
      key: 'items/elsewhere',
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/contentType', message: expect.stringContaining('must match pattern') },
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

describe('uploading, listing and downloading', () => {
  it('lists an uploaded file and downloads it byte for byte under its original name', async () => {
    const item = await createItem();
    const bytes = Buffer.from('héllo, wörld\n\u0000\u00ff', 'utf8');
    const fileName = 'Résumé "final" (2).txt';

    const uploaded = await upload(item.id, fileName, bytes, 'text/plain; charset=utf-8');

    const list = await api.call<FileList>('GET /api/items/{id}/files', { path: { id: item.id } });
    expect(list.status).toBe(200);
    expect(list.body.files).toEqual([
      {
        fileId: uploaded.fileId,
        fileName,
        size: bytes.length,
        contentType: 'text/plain; charset=utf-8',
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
    expect(fetched.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ _final_ (2).txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20%282%29.txt`,
    );
  });

  it('lists only files that were actually uploaded', async () => {
    const item = await createItem();
    await upload(item.id, 'one.txt', Buffer.from('1'));
    await upload(item.id, 'two.txt', Buffer.from('22'));
    await requestUpload(item.id, {
      fileName: 'never.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });

    const list = await api.call<FileList>('GET /api/items/{id}/files', { path: { id: item.id } });

    expect(list.body.files.map((file) => [file.fileName, file.size]).sort()).toEqual([
      ['one.txt', 1],
      ['two.txt', 2],
    ]);
  });

  it('lists nothing for an item without files and 404 for an unknown item', async () => {
    const item = await createItem();

    const empty = await api.call<FileList>('GET /api/items/{id}/files', { path: { id: item.id } });
    const unknown = await api.call<Problem>('GET /api/items/{id}/files', {
      path: { id: UNKNOWN_ID },
    });

    expect(empty.body).toEqual({ files: [] });
    expect(unknown.status).toBe(404);
  });

  it('answers 404 file-not-found for a file that was never uploaded', async () => {
    const item = await createItem();
    const announced = await requestUpload(item.id, {
      fileName: 'never.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });

    const response = await api.call<Problem>('GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: announced.body.fileId },
    });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(ProblemTypes.fileNotFound);
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

describe('deleting files', () => {
  it('deletes one file, then answers 404 for it', async () => {
    const item = await createItem();
    const kept = await upload(item.id, 'keep.txt', Buffer.from('k'));
    const gone = await upload(item.id, 'gone.txt', Buffer.from('g'));

    const first = await api.call('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: gone.fileId },
    });
    const second = await api.call<Problem>('DELETE /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: gone.fileId },
    });

    expect(first.status).toBe(204);
    expect(second.status).toBe(404);
    expect(second.body.type).toBe(ProblemTypes.fileNotFound);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([
      `tenants/acme/items/${item.id}/${kept.fileId}/keep.txt`,
    ]);
  });

  it('deleting an item removes all of its files', async () => {
    const item = await createItem();
    await upload(item.id, 'a.txt', Buffer.from('a'));
    await upload(item.id, 'b.txt', Buffer.from('b'));
    const neighbour = await createItem();
    await upload(neighbour.id, 'n.txt', Buffer.from('n'));
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(2);

    const response = await api.call('DELETE /api/items/{id}', { path: { id: item.id } });

    expect(response.status).toBe(204);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([]);
    expect(await keysUnder(`tenants/acme/items/${neighbour.id}/`)).toHaveLength(1);
  });

  it('keeps the files when a stale If-Match stops the delete', async () => {
    const item = await createItem();
    await upload(item.id, 'a.txt', Buffer.from('a'));
    await api.call('PATCH /api/items/{id}', { path: { id: item.id }, json: { name: 'v2' } });

    const response = await api.call('DELETE /api/items/{id}', {
      path: { id: item.id },
      headers: { 'if-match': '"1"' },
    });

    expect(response.status).toBe(412);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(1);
  });
});
