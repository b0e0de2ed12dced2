/**
 * Faults: each dependency of the local cloud stopped (or hung) while the API runs. The API
 * must answer fast, say what is wrong without leaking why, refuse rather than guess when
 * the API key cannot be checked, and recover on its own with nothing lost.
 */
import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createTapClient, uploadFile, type Item, type TapClient } from '@tap/client';
import { contractViolations } from './support/contract';
import { ResponseLog, recordingFetch } from './support/leak-scan';
import { RawHttp, type RawRequest, type RawResponse } from './support/raw-http';
import { itLocally, startTarget, type Target } from './support/target';

/** What a faulted request may take: well inside the 30 s function timeout. */
const ANSWER_WITHIN_MS = 10_000;

describe('faults', () => {
  const log = new ResponseLog();
  let target: Target;
  let http: RawHttp;
  let client: TapClient;

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl, { log, timeoutMs: 25_000 });
    client = createTapClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      fetch: recordingFetch(log),
    });
  });

  /** How the faulted requests were answered, for the run's log. */
  const observed: string[] = [];

  afterAll(async () => {
    if (observed.length > 0) console.info(`faults observed:\n${observed.join('\n')}`);
    http?.close();
    await target?.stop();
  });

  const keyed = (extra: Record<string, string> = {}): Record<string, string> => ({
    [API_KEY_HEADER]: target.apiKey,
    ...extra,
  });
  const json = { 'content-type': 'application/json' };

  const createItems = async (count: number): Promise<Item[]> =>
    Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const { data, response } = await client.POST('/api/items', {
          body: { name: `before the fault ${index}`, attributes: { index } },
        });
        expect(response.status).toBe(201);
        return data!;
      }),
    );

  /** Every item reads back exactly as it was acknowledged. */
  const expectAllReadable = async (items: readonly Item[]): Promise<void> => {
    for (const item of items) {
      const { data, response } = await client.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(response.status).toBe(200);
      expect(data).toEqual(item);
    }
  };

  const health = async (): Promise<RawResponse> => {
    const response = await http.send({ method: 'GET', path: '/health' });
    expect(
      contractViolations('getHealth', response.status, response.contentType, response.json),
    ).toEqual([]);
    return response;
  };

  /** Sends requests at once; each must be a conforming 503 dependency-unavailable, in time. */
  const expectUnavailable = async (
    requests: readonly (RawRequest & { readonly operationId: string })[],
  ): Promise<void> => {
    const responses = await Promise.all(requests.map((request) => http.send(request)));
    responses.forEach((response, index) => {
      const { operationId, method, path } = requests[index]!;
      observed.push(
        `  ${operationId}: ${response.status} in ${Math.round(response.durationMs)} ms`,
      );
      expect({ request: `${method} ${path}`, status: response.status }).toEqual({
        request: `${method} ${path}`,
        status: 503,
      });
      expect(response.json).toMatchObject({
        type: ProblemTypes.dependencyUnavailable,
        status: 503,
        retryable: true,
      });
      expect(
        contractViolations(operationId, response.status, response.contentType, response.json),
      ).toEqual([]);
      expect(response.durationMs).toBeLessThan(ANSWER_WITHIN_MS);
    });
  };

  describe('DynamoDB', () => {
    itLocally('down: 503 on /health and the item routes, then back with nothing lost', async () => {
      const dynamodb = target.cloud!.services.dynamodb;
      const items = await createItems(5);
      const [first, second] = items as [Item, Item];
      await dynamodb.stop();
      try {
        const report = await health();
        expect(report.status).toBe(503);
        expect(report.json).toMatchObject({
          status: 'unavailable',
          dependencies: { dynamodb: { status: 'down' }, s3: { status: 'up' } },
        });
        await expectUnavailable([
          { operationId: 'listItems', method: 'GET', path: '/api/items', headers: keyed() },
          {
            operationId: 'createItem',
            method: 'POST',
            path: '/api/items',
            headers: keyed(json),
            body: JSON.stringify({ name: 'during the fault' }),
          },
          {
            operationId: 'getItem',
            method: 'GET',
            path: `/api/items/${first.id}`,
            headers: keyed(),
          },
          {
            operationId: 'updateItem',
            method: 'PATCH',
            path: `/api/items/${first.id}`,
            headers: keyed(json),
            body: JSON.stringify({ name: 'changed during the fault' }),
          },
          {
            operationId: 'deleteItem',
            method: 'DELETE',
            path: `/api/items/${second.id}`,
            headers: keyed(),
          },
          {
            operationId: 'createFileUpload',
            method: 'POST',
            path: `/api/items/${first.id}/files`,
            headers: keyed(json),
            body: JSON.stringify({
              fileName: 'a.txt',
              contentType: 'text/plain',
              contentLength: 1,
            }),
          },
        ]);
      } finally {
        await dynamodb.start();
      }
      // No restart: the very next requests are served, and every item is as acknowledged
      // (neither the PATCH nor the DELETE refused with 503 changed anything).
      expect((await health()).status).toBe(200);
      await expectAllReadable(items);
      const { response } = await client.POST('/api/items', { body: { name: 'after the fault' } });
      expect(response.status).toBe(201);
    });

    itLocally(
      'hung (accepting connections, never answering): 503 within the SDK timeouts',
      async () => {
        const dynamodb = target.cloud!.services.dynamodb;
        const port = Number(new URL(dynamodb.endpoint).port);
        const items = await createItems(2);
        await dynamodb.stop();
        // A black hole on DynamoDB's own port: connections succeed, requests never end.
        const sockets = new Set<Socket>();
        const blackHole: Server = createServer((socket) => {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
          blackHole.once('error', reject);
          blackHole.listen(port, '127.0.0.1', resolve);
        });
        try {
          await expectUnavailable([
            {
              operationId: 'getItem',
              method: 'GET',
              path: `/api/items/${items[0]!.id}`,
              headers: keyed(),
            },
            { operationId: 'listItems', method: 'GET', path: '/api/items', headers: keyed() },
          ]);
          const report = await health();
          observed.push(
            `  getHealth (DynamoDB hung): ${report.status} in ${Math.round(report.durationMs)} ms`,
          );
          expect(report.status).toBe(503);
          expect(report.json).toMatchObject({ dependencies: { dynamodb: { status: 'down' } } });
          expect(report.durationMs).toBeLessThan(ANSWER_WITHIN_MS);
        } finally {
          for (const socket of sockets) socket.destroy();
          await new Promise<void>((resolve) => blackHole.close(() => resolve()));
          await dynamodb.start();
        }
        expect((await health()).status).toBe(200);
        await expectAllReadable(items);
      },
      40_000,
    );
  });

  describe('S3', () => {
    itLocally(
      'down: 503 on the routes that touch objects, the rest unaffected, then back',
      async () => {
        const s3 = target.cloud!.services.s3;
        const [item, doomed] = (await createItems(2)) as [Item, Item];
        const body = new TextEncoder().encode('kept through the fault');
        const { fileId } = await uploadFile(client, {
          itemId: item.id,
          fileName: 'kept.txt',
          contentType: 'text/plain',
          body,
        });
        const { fileId: doomedFileId } = await uploadFile(client, {
          itemId: doomed.id,
          fileName: 'doomed.txt',
          contentType: 'text/plain',
          body,
        });
        const { data: doomedGrant } = await client.GET('/api/items/{id}/files/{fileId}', {
          params: { path: { id: doomed.id, fileId: doomedFileId } },
        });
        // The uploads are confirmed (the bucket's events delivered) before S3 goes down.
        await target.cloud!.idle();
        await s3.stop();
        let deletedDuringFault: RawResponse;
        try {
          const report = await health();
          expect(report.status).toBe(503);
          expect(report.json).toMatchObject({
            dependencies: { dynamodb: { status: 'up' }, s3: { status: 'down' } },
          });
          // The file list and a download URL come from the file records and a local
          // signature: S3 is not asked.
          for (const path of [
            `/api/items/${item.id}/files`,
            `/api/items/${item.id}/files/${fileId}`,
          ]) {
            expect((await http.send({ method: 'GET', path, headers: keyed() })).status).toBe(200);
          }
          await expectUnavailable([
            {
              operationId: 'deleteFile',
              method: 'DELETE',
              path: `/api/items/${item.id}/files/${fileId}`,
              headers: keyed(),
            },
          ]);
          // Item CRUD does not need S3.
          const created = await client.POST('/api/items', { body: { name: 'while S3 is down' } });
          expect(created.response.status).toBe(201);
          const patched = await client.PATCH('/api/items/{id}', {
            params: { path: { id: item.id } },
            body: { description: 'patched while S3 is down' },
          });
          expect(patched.response.status).toBe(200);
          const listed = await client.GET('/api/items', {});
          expect(listed.response.status).toBe(200);
          // Presigning is local to the function: an upload URL is still issued.
          const grant = await client.POST('/api/items/{id}/files', {
            params: { path: { id: item.id } },
            body: { fileName: 'later.txt', contentType: 'text/plain', contentLength: 1 },
          });
          expect(grant.response.status).toBe(201);
          // Deleting an item removes its files too, which cannot happen now: retryable.
          deletedDuringFault = await http.send({
            method: 'DELETE',
            path: `/api/items/${doomed.id}`,
            headers: keyed(),
          });
        } finally {
          await s3.start();
        }
        expect(deletedDuringFault.status).toBe(503);
        expect(deletedDuringFault.json).toMatchObject({ retryable: true });

        expect((await health()).status).toBe(200);
        const { data: files } = await client.GET('/api/items/{id}/files', {
          params: { path: { id: item.id } },
        });
        // The upload from before the fault, and the grant issued during it (never uploaded).
        expect(files!.files).toEqual([
          expect.objectContaining({ fileId, size: body.length, status: 'confirmed' }),
          expect.objectContaining({ fileName: 'later.txt', status: 'pending' }),
        ]);
        const { data: grant } = await client.GET('/api/items/{id}/files/{fileId}', {
          params: { path: { id: item.id, fileId } },
        });
        const download = await fetch(grant!.downloadUrl);
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(body);

        // The retried delete finishes the job: the item is gone and so is its file.
        const retried = await http.send({
          method: 'DELETE',
          path: `/api/items/${doomed.id}`,
          headers: keyed(),
        });
        expect([204, 404]).toContain(retried.status);
        const gone = await http.send({
          method: 'GET',
          path: `/api/items/${doomed.id}`,
          headers: keyed(),
        });
        expect(gone.status).toBe(404);
        expect((await fetch(doomedGrant!.downloadUrl)).status).toBe(404);
      },
    );
  });

  describe('the key store', () => {
    const listWithKey = (key: string) =>
      http.send({ method: 'GET', path: '/api/items', headers: { [API_KEY_HEADER]: key } });

    itLocally(
      'down: the authorizer fails closed for every key it has not just read, and recovers',
      async () => {
        const cloud = target.cloud!;
        // Keys issued before the outage, never presented: the authorizer holds no record.
        const unseen = await Promise.all(
          [1, 2, 3].map(() => target.machineKey({ tenant: target.tenant })),
        );
        expect((await listWithKey(target.apiKey)).status).toBe(200);
        await cloud.services.dynamodb.stop();
        try {
          for (const { key } of unseen) {
            const response = await listWithKey(key);
            observed.push(
              `  authorizer without its key table: ${response.status} in ${Math.round(response.durationMs)} ms`,
            );
            // 500: the gateway's answer to an authorizer that cannot decide. Never a 200, and
            // not a 401 either: the key may well be valid.
            expect(response.status).toBe(500);
            expect(response.durationMs).toBeLessThan(ANSWER_WITHIN_MS);
          }
          // A made-up key is refused without a lookup (it is not a key's shape).
          expect((await listWithKey(randomBytes(30).toString('base64url'))).status).toBe(401);
        } finally {
          await cloud.services.dynamodb.start();
        }
        // Failures are not cached: the next request is decided afresh, and the keys work.
        for (const { key } of unseen) expect((await listWithKey(key)).status).toBe(200);
      },
    );
  });

  it('leaked no stack trace, AWS error name or ARN in any response', () => {
    expect(log.scanned).toBeGreaterThan(target.kind === 'local' ? 30 : 0);
    expect(log.findings).toEqual([]);
  });
});
