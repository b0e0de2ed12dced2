/**
 * Durability: the local cloud killed with SIGKILL (no flush, no shutdown hook) and started
 * again on the same data folder keeps every write it acknowledged, and the same API key.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTapClient, uploadFile, type Item, type TapClient } from '@tap/client';
import { ResponseLog, recordingFetch } from './support/leak-scan';
import { startLocalCloudProcess, type LocalCloudProcess } from './support/local-cloud-process';

const ITEMS = 40;

describe('the local cloud killed with SIGKILL', () => {
  const log = new ResponseLog();
  const processes: LocalCloudProcess[] = [];
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tap-durability-'));
  });

  afterAll(async () => {
    for (const running of processes) await running.kill('SIGKILL');
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const start = async (): Promise<LocalCloudProcess> => {
    const running = await startLocalCloudProcess({
      dataDir: path.join(folder, 'data'),
      outputsFile: path.join(folder, 'outputs.json'),
    });
    processes.push(running);
    return running;
  };

  const readApiKey = async (): Promise<string> =>
    (JSON.parse(await readFile(path.join(folder, 'outputs.json'), 'utf8')) as { ApiKey: string })
      .ApiKey;

  const clientFor = (running: LocalCloudProcess, apiKey: string): TapClient =>
    createTapClient({ baseUrl: running.baseUrl, apiKey, fetch: recordingFetch(log) });

  it('keeps every acknowledged create, update, delete and upload, and the API key', async () => {
    const first = await start();
    const apiKey = await readApiKey();
    const before = clientFor(first, apiKey);

    // Writes, each acknowledged before the kill.
    const created: Item[] = [];
    for (let batch = 0; batch < ITEMS; batch += 10) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          before.POST('/api/items', {
            body: {
              name: `durable ${batch + index}`,
              tags: ['sigkill'],
              attributes: { n: batch + index },
            },
          }),
        ),
      );
      for (const { data, response } of results) {
        expect(response.status).toBe(201);
        created.push(data!);
      }
    }
    const patched = new Map<string, Item>();
    for (const item of created.slice(0, 5)) {
      const { data, response } = await before.PATCH('/api/items/{id}', {
        params: { path: { id: item.id } },
        body: { description: 'patched before the kill' },
      });
      expect(response.status).toBe(200);
      patched.set(item.id, data!);
    }
    const deleted = created.slice(5, 10).map((item) => item.id);
    for (const id of deleted) {
      const { response } = await before.DELETE('/api/items/{id}', { params: { path: { id } } });
      expect(response.status).toBe(204);
    }
    const bytes = new TextEncoder().encode('written before the kill');
    const owner = created[10]!;
    const { fileId } = await uploadFile(before, {
      itemId: owner.id,
      fileName: 'durable.txt',
      contentType: 'text/plain',
      body: bytes,
    });
    // An upload is acknowledged once the bucket's event has confirmed it (S3 keeps the
    // events it owes; the local cloud delivers them at once, in memory).
    for (let waited = 0; ; waited += 100) {
      const { data } = await before.GET('/api/items/{id}/files', {
        params: { path: { id: owner.id } },
      });
      if (data?.files.some((file) => file.fileId === fileId && file.status === 'confirmed')) break;
      if (waited > 10_000) throw new Error('the upload was never confirmed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    await rm(path.join(folder, 'outputs.json'));

    const second = await start();
    const after = clientFor(second, await readApiKey());
    expect(await readApiKey()).toBe(apiKey);

    for (const item of created) {
      const { data, response } = await after.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      if (deleted.includes(item.id)) {
        expect(response.status).toBe(404);
      } else {
        expect(response.status).toBe(200);
        expect(data).toEqual(patched.get(item.id) ?? item);
      }
    }
    const { data: grant, response } = await after.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: owner.id, fileId } },
    });
    expect(response.status).toBe(200);
    const download = await fetch(grant!.downloadUrl);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    // And it carries on: a new write is served and survives too.
    const { response: again } = await after.POST('/api/items', { body: { name: 'after' } });
    expect(again.status).toBe(201);
    await second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);

  it('leaked no stack trace, AWS error name or ARN in any response', () => {
    expect(log.scanned).toBeGreaterThan(ITEMS);
    expect(log.findings).toEqual([]);
  });
});
