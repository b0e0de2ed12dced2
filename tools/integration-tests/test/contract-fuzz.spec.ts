/**
 * Contract fuzzing: thousands of requests generated from the OpenAPI document itself, valid
 * and deliberately broken, against a running API (see `fuzz/`). `TAP_FUZZ_RUNS` raises the
 * number of requests, `TAP_FUZZ_SEED` replays a run.
 */
import { createTapClient, uploadFile } from '@tap/client';
import {
  API_KEY_HEADER,
  DEFAULT_MAX_UPLOAD_BYTES,
  documentModel,
  ProblemTypes,
} from '@tap/contracts';
import { FuzzRunner, ItemLedger, runContractFuzz } from './fuzz/fuzz-runner';
import type { FuzzFixtures } from './fuzz/request-arbitraries';
import { ResponseLog, recordingFetch } from './support/leak-scan';
import { RawHttp } from './support/raw-http';
import { startTarget, type Target } from './support/target';

const TOTAL = Math.max(Number(process.env['TAP_FUZZ_RUNS'] ?? 0) || 5000, 1);
const SEED = Number(process.env['TAP_FUZZ_SEED'] ?? 0) || Date.now() % 1_000_000;
/** Requests in flight at once: enough to overlap, few enough for a 2-core machine. */
const CONCURRENCY = 8;
/** At about 100 requests a second on a slow machine, plus set-up and shrinking. */
const BUDGET_MS = Math.max(150_000, TOTAL * 25);

describe('contract fuzzing', () => {
  const log = new ResponseLog();
  const ledger = new ItemLedger();
  let target: Target;
  let http: RawHttp;
  let fixtures: FuzzFixtures;
  let runner: FuzzRunner;

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl, { log, maxSockets: CONCURRENCY * 2 });
    const client = createTapClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      fetch: recordingFetch(log),
    });
    const create = async (body: { name: string } & Record<string, unknown>): Promise<string> => {
      const { data, response } = await client.POST('/api/items', { body });
      if (response.status !== 201 || !data) throw new Error(`seeding failed: ${response.status}`);
      ledger.add(data.id);
      return data.id;
    };
    const upload = async (itemId: string, fileName: string) => {
      const { fileId } = await uploadFile(client, {
        itemId,
        fileName,
        contentType: 'text/plain',
        body: new TextEncoder().encode(`content of ${fileName}`),
      });
      return { itemId, fileId, fileName };
    };

    const seedItems = await Promise.all(
      ['seed-0', 'seed-1', 'seed-2', 'seed-3'].map((name) =>
        create({ name, tags: ['seed'], attributes: { n: 1 } }),
      ),
    );
    const seedFiles = await Promise.all([
      upload(seedItems[0] ?? '', 'plain.txt'),
      upload(seedItems[1] ?? '', 'Résumé ✓ ‮fdp.exe'),
    ]);
    const witnessId = await create({
      name: 'witness',
      description: 'Only refused requests touch this item: it must never change.',
      tags: ['w'],
      attributes: { k: 'v', n: 2 },
    });
    const witnessFile = await upload(witnessId, 'witness.txt');
    // Cursors the API issued, from pages of different sizes.
    const cursors: string[] = [];
    for (const limit of [1, 2, 3]) {
      const { data } = await client.GET('/api/items', { params: { query: { limit } } });
      if (data?.nextCursor) cursors.push(data.nextCursor);
    }
    if (cursors.length === 0) throw new Error('the API issued no cursor');
    const userToken = await target.userToken?.({ user: 'fuzz-user', tenant: target.tenant });
    fixtures = {
      apiKey: target.apiKey,
      ...(userToken === undefined ? {} : { userToken }),
      seedItems,
      seedFiles,
      witness: { itemId: witnessId, fileId: witnessFile.fileId },
      cursors,
      maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    };
    const { data: witness } = await client.GET('/api/items/{id}', {
      params: { path: { id: witnessId } },
    });
    runner = new FuzzRunner(http, fixtures, ledger, witness);
  });

  afterAll(async () => {
    http?.close();
    await target?.stop();
  });

  it(
    `answers ${TOTAL} generated requests within the contract (seed ${SEED})`,
    async () => {
      const operations = documentModel.operations;
      const started = performance.now();
      const failures = await runContractFuzz({
        operations,
        runner,
        fixtures,
        total: TOTAL,
        concurrency: CONCURRENCY,
        seed: SEED,
        timeLimitMs: BUDGET_MS - 10_000,
      });
      const seconds = (performance.now() - started) / 1000;
      const { stats } = runner;
      console.info(
        `contract fuzz: ${stats.generated} generated requests (${stats.sent} sent in all) ` +
          `in ${seconds.toFixed(1)} s, ${(stats.sent / seconds).toFixed(0)} requests/s, seed ${SEED}\n` +
          `by operation ${JSON.stringify(stats.byOperation)}\n` +
          `by expectation ${JSON.stringify(stats.byExpectation)}\n` +
          `by status ${JSON.stringify(stats.byStatus)}`,
      );
      expect(failures).toEqual([]);
      // Every operation was exercised, and as much as was asked.
      expect(Object.keys(stats.byOperation).sort()).toEqual(
        operations.map((operation) => operation.operationId).sort(),
      );
      expect(stats.generated).toBeGreaterThanOrEqual(TOTAL);
    },
    BUDGET_MS,
  );

  it('stored exactly the items that were acknowledged: nothing refused, nothing lost', async () => {
    const stored: string[] = [];
    let cursor: string | undefined;
    // Bounded: at most 1,000 pages of 100.
    for (let page = 0; page < 1000; page += 1) {
      const query = `?limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await http.send({
        method: 'GET',
        path: `/api/items${query}`,
        headers: { [API_KEY_HEADER]: target.apiKey },
      });
      expect(response.status).toBe(200);
      const body = response.json as { items: { id: string }[]; nextCursor?: string };
      stored.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(ledger.live);
  });

  it('left the witness item and its file untouched by every refused request', () => {
    expect(runner.witnessChange).toBeUndefined();
  });

  // The fuzzer's shrunk counterexamples, pinned as plain tests: each fails until its defect
  // is fixed, with a one-line reproduction instead of a property report.
  describe('counterexamples the fuzzer found', () => {
    const send = (method: string, path: string, body?: unknown) =>
      http.send({
        method,
        path,
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it('refuses an unknown query parameter named __proto__ (400) and executes nothing', async () => {
      const created = await send('POST', '/api/items', { name: 'not to be deleted' });
      expect(created.status).toBe(201);
      const { id } = created.json as { id: string };
      // Any other unknown name is refused; `__proto__` is dropped on the way (a plain object
      // assignment to `__proto__` sets the prototype) and the DELETE runs.
      const deleted = await send('DELETE', `/api/items/${id}?__proto__=x`);
      expect({ status: deleted.status, body: deleted.json }).toMatchObject({
        status: 400,
        body: { type: ProblemTypes.validationFailed },
      });
      expect((await send('GET', `/api/items/${id}`)).status).toBe(200);
    });

    it('stores an attribute named constructor, which the contract allows, instead of a 500', async () => {
      const body = { name: 'x', attributes: { constructor: 'x' } };
      const created = await send('POST', '/api/items', body);
      expect({ status: created.status, body: created.json }).toMatchObject({
        status: 201,
        body: { attributes: { constructor: 'x' } },
      });
    });
  });

  it('leaked no stack trace, AWS error name or ARN in any response', () => {
    // Every generated request's response was scanned, set-up and read-backs besides.
    expect(log.scanned).toBeGreaterThan(runner.stats.generated);
    expect(log.findings).toEqual([]);
  });
});
