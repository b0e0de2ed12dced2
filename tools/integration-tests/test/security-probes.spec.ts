/**
 * Security probes: the API key, file names and keys, presigned uploads, other items' files
 * and pagination cursors, each attacked the way a client with bad intentions would.
 */
import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import { createHmac, randomBytes } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createTapClient, uploadFile, type Item, type TapClient } from '@tap/client';
import { secretsManagerClientFor } from '@tap/test-support';
import { contractViolations } from './support/contract';
import { ResponseLog, recordingFetch } from './support/leak-scan';
import { RawHttp, type RawResponse } from './support/raw-http';
import { itLocally, startTarget, type Target } from './support/target';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('security probes', () => {
  const log = new ResponseLog();
  let target: Target;
  let http: RawHttp;
  let client: TapClient;

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl, { log });
    client = createTapClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      fetch: recordingFetch(log),
    });
  });

  afterAll(async () => {
    http?.close();
    await target?.stop();
  });

  const createItem = async (name: string): Promise<Item> => {
    const { data, response } = await client.POST('/api/items', { body: { name } });
    expect(response.status).toBe(201);
    return data!;
  };

  const bytesOf = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

  const expectConforming = (operationId: string, response: RawResponse): void => {
    expect(
      contractViolations(operationId, response.status, response.contentType, response.json),
    ).toEqual([]);
  };

  describe('the API key', () => {
    const listWith = (headers: Record<string, string | readonly string[]>, query = '') =>
      http.send({ method: 'GET', path: `/api/items${query}`, headers });

    type Headers = Record<string, string | readonly string[]>;
    // Each row: what is sent as headers, and whether the key also travels in the query.
    it.each<[string, () => Headers, boolean]>([
      ['no key', () => ({}), false],
      ['an empty key', () => ({ [API_KEY_HEADER]: '' }), false],
      ['a wrong key', () => ({ [API_KEY_HEADER]: randomBytes(30).toString('base64url') }), false],
      [
        'the key with its last character changed',
        () => ({ [API_KEY_HEADER]: changeLast(target.apiKey) }),
        false,
      ],
      ['the key with a suffix', () => ({ [API_KEY_HEADER]: `${target.apiKey}x` }), false],
      [
        'the key twice (joined with a comma)',
        () => ({ [API_KEY_HEADER]: [target.apiKey, target.apiKey] }),
        false,
      ],
      ['a key of 8 KB', () => ({ [API_KEY_HEADER]: 'k'.repeat(8 * 1024) }), false],
      ['the key as a bearer token', () => ({ authorization: `Bearer ${target.apiKey}` }), false],
      ['the key in the query string only', () => ({}), true],
    ])('answers 401 to %s, with the body a missing key gets', async (_label, headers, inQuery) => {
      const query = inQuery ? `?${API_KEY_HEADER}=${encodeURIComponent(target.apiKey)}` : '';
      const response = await listWith(headers(), query);
      expect(response.status).toBe(401);
      expectConforming('listItems', response);
      // The same body for every refusal: nothing tells a near miss from a wild guess.
      expect(response.json).toEqual({ message: 'Unauthorized' });
    });

    it('refuses a key of 100 KB before any function runs', async () => {
      const response = await listWith({ [API_KEY_HEADER]: 'k'.repeat(100 * 1024) });
      // Over every gateway's header limit (API Gateway's 10 KB, Node's 16 KB), so the request
      // is refused before the authorizer could answer 401: the local cloud's HTTP server
      // answers 431 with no body. The contract declares no 431 (reported as a contract gap);
      // what must hold either way is that such a request is never served.
      expect([401, 431]).toContain(response.status);
      expect(response.text).not.toContain('items');
    });

    it('accepts the valid key whatever the case of the header name', async () => {
      const capitalized = API_KEY_HEADER.replace(
        /(^|-)([a-z])/g,
        (_, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`,
      );
      for (const name of [API_KEY_HEADER.toUpperCase(), capitalized, API_KEY_HEADER]) {
        const response = await listWith({ [name]: target.apiKey });
        expect(response.status).toBe(200);
        expectConforming('listItems', response);
      }
    });

    it('changes nothing for a write without a valid key', async () => {
      const item = await createItem('guarded by the key');
      const refused: Record<string, string>[] = [{}, { [API_KEY_HEADER]: `${target.apiKey}x` }];
      for (const headers of refused) {
        const deleted = await http.send({
          method: 'DELETE',
          path: `/api/items/${item.id}`,
          headers,
        });
        expect(deleted.status).toBe(401);
        const patched = await http.send({
          method: 'PATCH',
          path: `/api/items/${item.id}`,
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'hijacked' }),
        });
        expect(patched.status).toBe(401);
      }
      const { data } = await client.GET('/api/items/{id}', { params: { path: { id: item.id } } });
      expect(data).toEqual(item);
    });
  });

  describe('file names', () => {
    let item: Item;

    beforeAll(async () => {
      item = await createItem('files with hostile names');
    });

    it.each([
      ['a parent-directory climb', '../../etc/passwd'],
      ['slashes', 'a/b/c.txt'],
      ['only dots', '..'],
      ['a single dot', '.'],
      ['a NUL byte', 'nul\u0000byte.txt'],
      ['255 characters', 'x'.repeat(251) + '.txt'],
      ['Unicode, astral characters included', 'Ünïcødé 文件 🎉.txt'],
      ['a right-to-left override', '\u202egpj.exe'],
      ['Windows separators', '..\\..\\win.ini'],
      ['percent-encoded separators', '%2e%2e%2fetc%2fpasswd'],
      ['surrounding spaces', '  spaced out  '],
    ])(
      'keeps a name with %s out of other keys and downloads it under that name',
      async (_label, fileName) => {
        const body = bytesOf(`content of ${JSON.stringify(fileName)}`);
        const { fileId, upload } = await uploadFile(client, {
          itemId: item.id,
          fileName,
          contentType: 'text/plain',
          body,
          fetch: recordingFetch(new ResponseLog()),
        });

        // The object key is the item's prefix, the file id and one harmless segment.
        const key = decodeURIComponent(new URL(upload.uploadUrl).pathname);
        const inside = `items/${item.id}/${fileId}/`;
        expect([
          `/${target.outputs.BucketName}/tenants/${target.tenant}/`,
          `/tenants/${target.tenant}/`,
        ]).toContain(key.slice(0, key.indexOf(inside)));
        const segment = key.slice(key.indexOf(inside) + inside.length);
        expect(segment).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
        expect(['.', '..']).not.toContain(segment);

        const { data: listed } = await client.GET('/api/items/{id}/files', {
          params: { path: { id: item.id } },
        });
        expect(listed!.files).toContainEqual(
          expect.objectContaining({ fileId, fileName, size: body.length }),
        );

        const { data: grant, response } = await client.GET('/api/items/{id}/files/{fileId}', {
          params: { path: { id: item.id, fileId } },
        });
        expect(response.status).toBe(200);
        expect(grant!.fileName).toBe(fileName);
        const download = await fetch(grant!.downloadUrl);
        expect(download.status).toBe(200);
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(body);
        const disposition = download.headers.get('content-disposition') ?? '';
        const extended = /filename\*=UTF-8''(\S+)$/.exec(disposition)?.[1];
        expect(extended).toBeDefined();
        expect(decodeURIComponent(extended!)).toBe(fileName);
      },
    );

    it('refuses, with 400 and not 500, a name too long for S3 metadata once encoded', async () => {
      const response = await http.send({
        method: 'POST',
        path: `/api/items/${item.id}/files`,
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          fileName: '🎉'.repeat(255),
          contentType: 'text/plain',
          contentLength: 1,
        }),
      });
      expect(response.status).toBe(400);
      expectConforming('createFileUpload', response);
      expect(response.json).toMatchObject({ type: ProblemTypes.validationFailed });
    });
  });

  describe('presigned uploads', () => {
    let item: Item;

    beforeAll(async () => {
      item = await createItem('uploads');
    });

    const grantFor = async (contentLength: number) => {
      const { data, response } = await client.POST('/api/items/{id}/files', {
        params: { path: { id: item.id } },
        body: { fileName: 'signed.txt', contentType: 'text/plain', contentLength },
      });
      expect(response.status).toBe(201);
      return data!;
    };

    const put = (url: string, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>) =>
      fetch(url, {
        method: 'PUT',
        // fetch sets Content-Length from the body itself.
        headers: Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
        ),
        body,
      });

    it('signs the content type, length, name and the single use into the upload URL', async () => {
      const grant = await grantFor(10);
      const signed = new URL(grant.uploadUrl).searchParams.get('X-Amz-SignedHeaders') ?? '';
      expect(signed.split(';')).toEqual(
        expect.arrayContaining([
          'content-length',
          'content-type',
          'host',
          'if-none-match',
          'x-amz-meta-file-name',
        ]),
      );
      expect(grant.headers).toEqual({
        'content-type': 'text/plain',
        'content-length': '10',
        'if-none-match': '*',
        'x-amz-meta-file-name': 'signed.txt',
      });
      expect(Date.parse(grant.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    });

    it('has S3 refuse an upload of another content type or length than signed', async () => {
      const mismatchedType = await grantFor(10);
      const byType = await put(
        mismatchedType.uploadUrl,
        { ...mismatchedType.headers, 'content-type': 'application/octet-stream' },
        new Uint8Array(10),
      );
      const mismatchedLength = await grantFor(10);
      const byLength = await put(
        mismatchedLength.uploadUrl,
        mismatchedLength.headers,
        new Uint8Array(11),
      );
      // The control: the same kind of grant, sent as signed, is stored and listed.
      const matching = await grantFor(10);
      const asSigned = await put(matching.uploadUrl, matching.headers, new Uint8Array(10));

      // S3 checks the SigV4 signature, which covers both headers (the local cloud's S3 checks
      // presigned URLs the same way).
      expect(byType.status).toBe(403);
      expect(await byType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(byLength.status).toBe(403);
      expect(await byLength.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(asSigned.status).toBe(200);
      // Nothing was stored: the refused uploads stay granted but never confirmed, and the
      // API grants no download of them.
      const { data } = await client.GET('/api/items/{id}/files', {
        params: { path: { id: item.id } },
      });
      const status = new Map(data!.files.map((file) => [file.fileId, file.status]));
      expect(status.get(mismatchedType.fileId)).toBe('pending');
      expect(status.get(mismatchedLength.fileId)).toBe('pending');
      for (const refused of [mismatchedType, mismatchedLength]) {
        const { response, error } = await client.GET('/api/items/{id}/files/{fileId}', {
          params: { path: { id: item.id, fileId: refused.fileId } },
          retry: false,
        });
        expect(response.status).toBe(409);
        expect(error).toMatchObject({ type: ProblemTypes.fileNotUploaded });
      }
    });
  });

  describe("another item's files", () => {
    it('are never listed, granted or deleted through an item that does not own them', async () => {
      const owner = await createItem('owner');
      const other = await createItem('other');
      const { fileId } = await uploadFile(client, {
        itemId: owner.id,
        fileName: 'private.txt',
        contentType: 'text/plain',
        body: bytesOf('private'),
      });
      const path = `/api/items/${other.id}/files/${fileId}`;
      const headers = { [API_KEY_HEADER]: target.apiKey };

      const granted = await http.send({ method: 'GET', path, headers });
      expect(granted.status).toBe(404);
      expectConforming('getFileDownload', granted);
      expect(granted.json).toMatchObject({ type: ProblemTypes.fileNotFound });
      expect(granted.text).not.toContain('X-Amz-Signature');

      const deleted = await http.send({ method: 'DELETE', path, headers });
      expect(deleted.status).toBe(404);
      expectConforming('deleteFile', deleted);

      const listed = await http.send({
        method: 'GET',
        path: `/api/items/${other.id}/files`,
        headers,
      });
      expect(listed.json).toEqual({ files: [] });

      // Deleting the other item sweeps only its own prefix.
      const removed = await http.send({
        method: 'DELETE',
        path: `/api/items/${other.id}`,
        headers,
      });
      expect(removed.status).toBe(204);
      const { data, response } = await client.GET('/api/items/{id}/files/{fileId}', {
        params: { path: { id: owner.id, fileId } },
      });
      expect(response.status).toBe(200);
      expect((await fetch(data!.downloadUrl)).status).toBe(200);
    });

    it('are not reachable through an item that does not exist', async () => {
      const owner = await createItem('owner of a lonely file');
      const { fileId } = await uploadFile(client, {
        itemId: owner.id,
        fileName: 'lonely.txt',
        contentType: 'text/plain',
        body: bytesOf('x'),
      });
      const response = await http.send({
        method: 'GET',
        path: `/api/items/${MISSING_ID}/files/${fileId}`,
        headers: { [API_KEY_HEADER]: target.apiKey },
      });
      expect(response.status).toBe(404);
      expectConforming('getFileDownload', response);
    });
  });

  describe('cursors', () => {
    let issued: string;

    beforeAll(async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) await createItem(name);
      const { data } = await client.GET('/api/items', { params: { query: { limit: 1 } } });
      issued = data!.nextCursor!;
    });

    const listFrom = (cursor: string) =>
      http.send({
        method: 'GET',
        path: `/api/items?limit=2&cursor=${encodeURIComponent(cursor)}`,
        headers: { [API_KEY_HEADER]: target.apiKey },
      });

    const expectInvalidCursor = (response: RawResponse): void => {
      expect(response.status).toBe(400);
      expectConforming('listItems', response);
      expect(response.json).toMatchObject({ type: ProblemTypes.invalidCursor });
    };

    /** A cursor in the API's documented layout: version, HMAC-SHA256, JSON key. */
    const signCursor = (signingKey: string, payload: string, version = 2): string => {
      const head = Buffer.from([version]);
      const body = Buffer.from(payload, 'utf8');
      const mac = createHmac('sha256', signingKey).update(head).update(body).digest();
      return Buffer.concat([head, mac, body]).toString('base64url');
    };

    it('serves the next page for an issued cursor', async () => {
      const response = await listFrom(issued);
      expect(response.status).toBe(200);
      expectConforming('listItems', response);
    });

    it.each<[string, (cursor: string) => string]>([
      ['a flipped character', (cursor) => flipAt(cursor, Math.floor(cursor.length / 2))],
      ['a flipped first character', (cursor) => flipAt(cursor, 0)],
      ['a flipped last character', (cursor) => flipAt(cursor, cursor.length - 1)],
      ['three characters cut', (cursor) => cursor.slice(0, -3)],
      ['the MAC only', (cursor) => cursor.slice(0, 44)],
      ['a character appended', (cursor) => `${cursor}A`],
      ['standard base64 padding', (cursor) => `${cursor}=`],
      [
        'another table shape, unsigned',
        () => Buffer.from(JSON.stringify({ pk: 'ITEM#1', sk: 'META' })).toString('base64url'),
      ],
      [
        'the right shape without a MAC',
        () => Buffer.from(JSON.stringify({ k: { id: MISSING_ID } })).toString('base64url'),
      ],
      [
        'the layout signed with another key',
        () =>
          signCursor(randomBytes(32).toString('hex'), JSON.stringify({ k: { id: MISSING_ID } })),
      ],
      [
        'another table shape signed with another key',
        () => signCursor('guess', JSON.stringify({ k: { pk: 'ITEM#1', sk: 'META' } })),
      ],
    ])('answers 400 invalid-cursor to a cursor with %s', async (_label, tamper) => {
      const forged = tamper(issued);
      expect(forged).not.toBe(issued);
      expectInvalidCursor(await listFrom(forged));
    });

    itLocally(
      "refuses even a correctly signed cursor holding another key shape or another tenant's",
      async () => {
        const cloud = target.cloud!;
        const secrets = secretsManagerClientFor(cloud.services.secretsManager.endpoint);
        let signingKey: string;
        try {
          const { SecretString } = await secrets.send(
            new GetSecretValueCommand({ SecretId: cloud.names.cursorKeySecret }),
          );
          signingKey = (JSON.parse(SecretString ?? '{}') as { signingKey: string }).signingKey;
        } finally {
          secrets.destroy();
        }
        // The control: our signing is right, so the refusals below are about the shape.
        const { data } = await client.GET('/api/items', { params: { query: { limit: 100 } } });
        const first = data!.items[0]!;
        const genuine = await listFrom(
          signCursor(signingKey, JSON.stringify({ t: target.tenant, k: { id: first.id } })),
        );
        expect(genuine.status).toBe(200);

        // Signed with the real key, but issued to another tenant (or to none): refused, so
        // a cursor can never walk another tenant's partition.
        for (const tenant of ['globex', 'default', undefined]) {
          expectInvalidCursor(
            await listFrom(
              signCursor(signingKey, JSON.stringify({ t: tenant, k: { id: first.id } })),
            ),
          );
        }

        const t = target.tenant;
        for (const payload of [
          JSON.stringify({ t, k: { pk: 'ITEM#1', sk: 'META' } }),
          JSON.stringify({ t, k: { id: 'not-a-uuid' } }),
          JSON.stringify({ t, k: { id: 42 } }),
          JSON.stringify({ t, k: { id: { S: first.id } } }),
          JSON.stringify({ id: first.id }),
          JSON.stringify([first.id]),
          'null',
          'not json',
        ]) {
          expectInvalidCursor(await listFrom(signCursor(signingKey, payload)));
        }
        // Version 1, from before tenants, is refused even with the tenant in it.
        expectInvalidCursor(
          await listFrom(
            signCursor(signingKey, JSON.stringify({ t: target.tenant, k: { id: first.id } }), 1),
          ),
        );
      },
    );
  });

  it('leaked no stack trace, AWS error name or ARN in any response', () => {
    expect(log.scanned).toBeGreaterThan(50);
    expect(log.findings).toEqual([]);
  });
});

function changeLast(key: string): string {
  const last = key.at(-1) === 'a' ? 'b' : 'a';
  return `${key.slice(0, -1)}${last}`;
}

function flipAt(cursor: string, index: number): string {
  const replacement = cursor[index] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
}
