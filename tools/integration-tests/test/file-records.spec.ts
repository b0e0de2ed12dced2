import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import {
  API_KEY_HEADER,
  ProblemTypes,
  type FileDownload,
  type FileUpload,
  type Item,
} from '@tap/contracts';
import { s3ClientFor } from '@tap/test-support';
import { expectContractResponse } from './support/contract';
import {
  bytes,
  eventually,
  fileStatus,
  listFiles,
  putToGrant,
  requestUpload,
  type JsonAnswer,
} from './support/files';
import { itLocally, startTarget, type Target } from './support/target';

async function call(
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      [API_KEY_HEADER]: apiKey,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { response, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Every object key the local bucket holds under a prefix. */
async function objectKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

describe('files as records', () => {
  let target: Target;
  let item: Item;
  let s3: S3Client | undefined;

  const api = (method: string, path: string, body?: unknown): Promise<JsonAnswer> =>
    call(target.baseUrl, target.apiKey, method, path, body);
  const itemPrefix = (itemId: string): string => `tenants/${target.tenant}/items/${itemId}/`;

  beforeAll(async () => {
    target = await startTarget();
    if (target.cloud) s3 = s3ClientFor(target.cloud.services.s3.endpoint);
  });

  afterAll(async () => {
    s3?.destroy();
    await target.stop();
  });

  beforeEach(async () => {
    item = (await api('POST', '/api/items', { name: 'with file records' })).json as Item;
  });

  it('records a grant as pending, and confirms it once the upload arrives', async () => {
    const body = bytes(1234);
    const granted = await requestUpload(target, item.id, {
      fileName: 'report.csv',
      contentType: 'text/csv',
      size: body.length,
    });
    expect(granted.response.status).toBe(201);
    const grant = granted.json as FileUpload;

    const pending = await listFiles(target, item.id);
    expect(pending.files).toEqual([
      {
        fileId: grant.fileId,
        fileName: 'report.csv',
        size: body.length,
        contentType: 'text/csv',
        status: 'pending',
        createdAt: expect.any(String),
      },
    ]);
    const early = await api('GET', `/api/items/${item.id}/files/${grant.fileId}`);
    expect(early.response.status).toBe(409);
    expect(early.json).toMatchObject({ type: ProblemTypes.fileNotUploaded });
    await expectContractResponse('getFileDownload', early.response, early.json);

    expect((await putToGrant(grant, body)).status).toBe(200);
    const confirmed = await fileStatus(target, item.id, grant.fileId, 'confirmed');
    expect(confirmed).toMatchObject({ status: 'confirmed', uploadedAt: expect.any(String) });

    const download = await api('GET', `/api/items/${item.id}/files/${grant.fileId}`);
    expect(download.response.status).toBe(200);
    const fetched = await fetch((download.json as FileDownload).downloadUrl);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(body);
  });

  it('accepts an upload URL once: a second PUT is refused and the first bytes stay', async () => {
    const first = bytes(64, 1);
    const grant = (
      await requestUpload(target, item.id, {
        fileName: 'once.bin',
        contentType: 'application/octet-stream',
        size: first.length,
      })
    ).json as FileUpload;
    expect(grant.headers).toMatchObject({ 'if-none-match': '*' });
    expect((await putToGrant(grant, first)).status).toBe(200);
    const replay = await putToGrant(grant, bytes(64, 2));
    expect(replay.status).toBe(412);
    await fileStatus(target, item.id, grant.fileId, 'confirmed');
    const download = await api('GET', `/api/items/${item.id}/files/${grant.fileId}`);
    const fetched = await fetch((download.json as FileDownload).downloadUrl);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(first);
  });

  it('never lets an upload change size or type: the URL is signed for the granted ones', async () => {
    const grant = (
      await requestUpload(target, item.id, {
        fileName: 'a.txt',
        contentType: 'text/plain',
        size: 10,
      })
    ).json as FileUpload;
    const wrongSize = await putToGrant(grant, bytes(11));
    expect(wrongSize.status).toBeGreaterThanOrEqual(400);
    const wrongType = await fetch(grant.uploadUrl, {
      method: 'PUT',
      headers: { ...grant.headers, 'content-type': 'text/html' },
      body: bytes(10),
    });
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect((await listFiles(target, item.id)).files).toEqual([
      expect.objectContaining({ fileId: grant.fileId, status: 'pending' }),
    ]);
  });

  it('serves content a browser could run as an octet-stream attachment', async () => {
    const page = new TextEncoder().encode('<script>alert(1)</script>');
    const grant = (
      await requestUpload(target, item.id, {
        fileName: 'page.html',
        contentType: 'text/html',
        size: page.length,
      })
    ).json as FileUpload;
    await putToGrant(grant, page);
    await fileStatus(target, item.id, grant.fileId, 'confirmed');
    const download = await api('GET', `/api/items/${item.id}/files/${grant.fileId}`);
    const fetched = await fetch((download.json as FileDownload).downloadUrl);
    await fetched.arrayBuffer();
    expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
    expect(fetched.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('pages the file list with a cursor, every file once', async () => {
    const granted: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const answer = await requestUpload(target, item.id, {
        fileName: `f${index}.txt`,
        contentType: 'text/plain',
        size: 1,
      });
      granted.push((answer.json as FileUpload).fileId);
    }
    const listed = await listFiles(target, item.id, { limit: 5 });
    expect(listed.pages).toBe(3);
    expect(listed.files.map((file) => file.fileId).sort()).toEqual([...granted].sort());
    const tampered = await api('GET', `/api/items/${item.id}/files?cursor=not-a-cursor`);
    expect(tampered.response.status).toBe(400);
    expect(tampered.json).toMatchObject({ type: ProblemTypes.invalidCursor });
  });

  it('kills the grant of a deleted file: a late upload does not bring it back', async () => {
    const body = bytes(20);
    const grant = (
      await requestUpload(target, item.id, {
        fileName: 'late.txt',
        contentType: 'text/plain',
        size: body.length,
      })
    ).json as FileUpload;
    const deleted = await api('DELETE', `/api/items/${item.id}/files/${grant.fileId}`);
    expect(deleted.response.status).toBe(204);
    await putToGrant(grant, body);
    const gone = await api('GET', `/api/items/${item.id}/files/${grant.fileId}`);
    expect(gone.response.status).toBe(404);
    expect((await listFiles(target, item.id)).files).toEqual([]);
    if (s3 && target.cloud) {
      const keys = await eventually(
        () => objectKeys(s3!, target.cloud!.names.bucket, itemPrefix(item.id)),
        (list) => list.length === 0,
      );
      expect(keys).toEqual([]);
    }
  });

  it('kills the grants of a deleted item: its download and a late upload are gone', async () => {
    const body = bytes(20);
    const uploaded = (
      await requestUpload(target, item.id, {
        fileName: 'kept.txt',
        contentType: 'text/plain',
        size: 20,
      })
    ).json as FileUpload;
    await putToGrant(uploaded, body);
    await fileStatus(target, item.id, uploaded.fileId, 'confirmed');
    const late = (
      await requestUpload(target, item.id, {
        fileName: 'late.txt',
        contentType: 'text/plain',
        size: 20,
      })
    ).json as FileUpload;
    expect((await api('DELETE', `/api/items/${item.id}`)).response.status).toBe(204);

    const download = await api('GET', `/api/items/${item.id}/files/${uploaded.fileId}`);
    expect(download.response.status).toBe(404);
    expect(download.json).toMatchObject({ type: ProblemTypes.itemNotFound });
    await putToGrant(late, body);
    if (s3 && target.cloud) {
      const keys = await eventually(
        () => objectKeys(s3!, target.cloud!.names.bucket, itemPrefix(item.id)),
        (list) => list.length === 0,
      );
      expect(keys).toEqual([]);
    }
  });

  itLocally(
    'finishes a delete that S3 broke off half-way: the item stays hidden, and a repeat leaves nothing',
    async () => {
      const cloud = target.cloud!;
      const fileIds: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const grant = (
          await requestUpload(target, item.id, {
            fileName: `part${index}.txt`,
            contentType: 'text/plain',
            size: 5,
          })
        ).json as FileUpload;
        await putToGrant(grant, bytes(5, index));
        fileIds.push(grant.fileId);
      }
      for (const fileId of fileIds) await fileStatus(target, item.id, fileId, 'confirmed');

      await cloud.services.s3.stop();
      let broken: JsonAnswer;
      try {
        broken = await api('DELETE', `/api/items/${item.id}`);
      } finally {
        await cloud.services.s3.start();
      }
      expect(broken.response.status).toBe(503);
      expect(broken.json).toMatchObject({ retryable: true });
      expect((await api('GET', `/api/items/${item.id}`)).response.status).toBe(404);
      expect(await objectKeys(s3!, cloud.names.bucket, itemPrefix(item.id))).toHaveLength(3);

      const repeated = await api('DELETE', `/api/items/${item.id}`);
      expect(repeated.response.status).toBe(204);
      expect(await objectKeys(s3!, cloud.names.bucket, itemPrefix(item.id))).toEqual([]);
      expect((await api('DELETE', `/api/items/${item.id}`)).response.status).toBe(404);
    },
    60_000,
  );
});

describe('caps on an item’s files', () => {
  let cloud: LocalCloud | undefined;

  afterAll(async () => {
    await cloud?.stop();
  });

  itLocally(
    'grants at most the files and bytes an item may hold, in one conditional write',
    async () => {
      cloud = await startLocalCloud({
        port: 0,
        inMemory: true,
        quiet: true,
        throttles: false,
        fileQuotas: { maxFilesPerItem: 5, maxBytesPerItem: 1000 },
      });
      const apiKey = cloud.outputs.ApiKey;
      const local = (method: string, path: string, body?: unknown): Promise<JsonAnswer> =>
        call(cloud!.baseUrl, apiKey, method, path, body);
      const item = (await local('POST', '/api/items', { name: 'capped' })).json as Item;
      const grant = (size: number): Promise<JsonAnswer> =>
        local('POST', `/api/items/${item.id}/files`, {
          fileName: 'x.bin',
          contentType: 'application/octet-stream',
          contentLength: size,
        });

      const raced = await Promise.all(Array.from({ length: 12 }, () => grant(10)));
      const statuses = raced.map((answer) => answer.response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(5);
      expect(statuses.filter((status) => status === 409)).toHaveLength(7);
      for (const refused of raced.filter((answer) => answer.response.status === 409)) {
        expect(refused.json).toMatchObject({ type: ProblemTypes.fileLimitExceeded });
      }
      const listed = await local('GET', `/api/items/${item.id}/files?limit=100`);
      expect((listed.json as { files: unknown[] }).files).toHaveLength(5);

      // Deleting a file frees its place; bytes are counted too.
      const first = (raced.find((answer) => answer.response.status === 201)!.json as FileUpload)
        .fileId;
      expect((await local('DELETE', `/api/items/${item.id}/files/${first}`)).response.status).toBe(
        204,
      );
      const tooBig = await grant(961);
      expect(tooBig.response.status).toBe(413);
      expect(tooBig.json).toMatchObject({ type: ProblemTypes.itemStorageExceeded });
      expect((await grant(960)).response.status).toBe(201);
      const after = await local('GET', `/api/items/${item.id}/files?limit=100`);
      expect((after.json as { files: unknown[] }).files).toHaveLength(5);
    },
    60_000,
  );
});
