import { ProblemTypes } from '@tap/contracts';
import { uploadFile, type Item } from '@tap/client';
import { expectContractResponse } from './support/contract';
import { startTarget, type Target } from './support/target';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('files through presigned URLs', () => {
  let target: Target;
  let item: Item;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target.stop();
  });

  beforeEach(async () => {
    const { data } = await target.client.POST('/api/items', { body: { name: 'with files' } });
    item = data!;
  });

  const bytes = (size: number): Uint8Array<ArrayBuffer> =>
    Uint8Array.from({ length: size }, (_, index) => (index * 31 + 7) % 256);

  it('uploads through the presigned URL and downloads the same bytes back', async () => {
    const body = bytes(70_000);
    const { fileId, upload } = await uploadFile(target.client, {
      itemId: item.id,
      fileName: 'Résumé 2026.pdf',
      contentType: 'application/pdf',
      body,
    });
    expect(upload.method).toBe('PUT');
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);

    const listed = await target.client.GET('/api/items/{id}/files', {
      params: { path: { id: item.id } },
    });
    expect(listed.response.status).toBe(200);
    await expectContractResponse('listItemFiles', listed.response, listed.data);
    expect(listed.data!.files).toEqual([
      expect.objectContaining({ fileId, fileName: 'Résumé 2026.pdf', size: body.length }),
    ]);

    const { data, response } = await target.client.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: item.id, fileId } },
    });
    expect(response.status).toBe(200);
    await expectContractResponse('getFileDownload', response, data);
    const download = await fetch(data!.downloadUrl);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(body);
    expect(download.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf",
    );
  });

  it('keeps the object key inside the item prefix whatever the file name', async () => {
    const { upload } = await uploadFile(target.client, {
      itemId: item.id,
      fileName: '../../etc/passwd',
      contentType: 'text/plain',
      body: bytes(10),
    });
    const key = decodeURIComponent(new URL(upload.uploadUrl).pathname);
    expect(key).toMatch(new RegExp(`/items/${item.id}/${upload.fileId}/[^/]+$`));
    expect(key.split('/')).not.toContain('..');
  });

  it('answers 404 for files of an item that does not exist', async () => {
    const { error, response } = await target.client.POST('/api/items/{id}/files', {
      params: { path: { id: MISSING_ID } },
      body: { fileName: 'a.txt', contentType: 'text/plain', contentLength: 1 },
    });
    expect(response.status).toBe(404);
    await expectContractResponse('createFileUpload', response, error);
  });

  it('answers 409 file-not-uploaded for a granted file never uploaded, and lists it as pending', async () => {
    const { data: grant } = await target.client.POST('/api/items/{id}/files', {
      params: { path: { id: item.id } },
      body: { fileName: 'never.txt', contentType: 'text/plain', contentLength: 3 },
    });
    const { error, response } = await target.client.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: item.id, fileId: grant!.fileId } },
      retry: false,
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    await expectContractResponse('getFileDownload', response, error);
    expect(error).toMatchObject({ type: ProblemTypes.fileNotUploaded });
    const listed = await target.client.GET('/api/items/{id}/files', {
      params: { path: { id: item.id } },
    });
    expect(listed.data!.files).toEqual([
      expect.objectContaining({ fileId: grant!.fileId, status: 'pending' }),
    ]);
  });

  it('refuses a file over the upload limit', async () => {
    const { error, response } = await target.client.POST('/api/items/{id}/files', {
      params: { path: { id: item.id } },
      body: {
        fileName: 'huge.bin',
        contentType: 'application/octet-stream',
        contentLength: 11 * 1024 * 1024,
      },
    });
    expect(response.status).toBe(413);
    await expectContractResponse('createFileUpload', response, error);
    expect(error).toMatchObject({ type: ProblemTypes.fileTooLarge });
  });

  it('deletes one file: 204, then 404', async () => {
    const { fileId } = await uploadFile(target.client, {
      itemId: item.id,
      fileName: 'a.txt',
      contentType: 'text/plain',
      body: bytes(3),
    });
    const params = { params: { path: { id: item.id, fileId } } };
    const first = await target.client.DELETE('/api/items/{id}/files/{fileId}', params);
    expect(first.response.status).toBe(204);
    const second = await target.client.DELETE('/api/items/{id}/files/{fileId}', params);
    expect(second.response.status).toBe(404);
    await expectContractResponse('deleteFile', second.response, second.error);
  });

  it('removes the files when the item is deleted', async () => {
    const { fileId } = await uploadFile(target.client, {
      itemId: item.id,
      fileName: 'b.txt',
      contentType: 'text/plain',
      body: bytes(3),
    });
    const { data } = await target.client.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: item.id, fileId } },
    });
    const deleted = await target.client.DELETE('/api/items/{id}', {
      params: { path: { id: item.id } },
    });
    expect(deleted.response.status).toBe(204);
    // The object itself is gone, not only the item record.
    expect((await fetch(data!.downloadUrl)).status).toBe(404);
  });
});
