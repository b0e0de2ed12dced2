/**
 * Concurrency: fifty requests at once on one item, or fifty creates at once. Conditional
 * writes must let exactly one winner through, unconditional ones must all land, and no
 * write may be lost or doubled.
 */
import { ProblemTypes } from '@tap/contracts';
import { createTapClient, type Item, type TapClient } from '@tap/client';
import { expectContractResponse } from './support/contract';
import { ResponseLog, recordingFetch } from './support/leak-scan';
import { startTarget, type Target } from './support/target';

const PARALLEL = 50;

describe('fifty requests at once', () => {
  const log = new ResponseLog();
  let target: Target;
  let client: TapClient;

  beforeAll(async () => {
    target = await startTarget();
    client = createTapClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      fetch: recordingFetch(log),
    });
  });

  afterAll(async () => {
    await target?.stop();
  });

  const create = async (name: string): Promise<Item> => {
    const { data, response } = await client.POST('/api/items', { body: { name } });
    expect(response.status).toBe(201);
    return data!;
  };

  const read = async (id: string): Promise<Item> => {
    const { data, response } = await client.GET('/api/items/{id}', { params: { path: { id } } });
    expect(response.status).toBe(200);
    return data!;
  };

  const times = <T>(make: (index: number) => Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: PARALLEL }, (_, index) => make(index)));

  it('lets exactly one PATCH win when all carry the current version in If-Match', async () => {
    const item = await create('contended with If-Match');
    const results = await times((index) =>
      client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id }, header: { 'If-Match': '"1"' } },
        body: { name: `writer ${index}`, attributes: { winner: index } },
      }),
    );
    const statuses = results.map((result) => result.response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(PARALLEL - 1);
    for (const result of results)
      await expectContractResponse('updateItem', result.response, result.data ?? result.error);

    const winner = results.find((result) => result.response.status === 200)!.data!;
    const stored = await read(item.id);
    // The stored item is the winner's, whole: its name and attribute, version 2.
    expect(stored).toEqual(winner);
    expect(stored.version).toBe(2);
    expect(stored.name).toBe(`writer ${String(stored.attributes['winner'])}`);
  });

  it('lets no PATCH through when all carry a stale If-Match, and changes nothing', async () => {
    const item = await create('contended with a stale If-Match');
    const moved = await client.PATCH('/api/items/{id}', {
      params: { path: { id: item.id } },
      body: { description: 'version 2' },
    });
    expect(moved.response.status).toBe(200);
    const results = await times((index) =>
      client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id }, header: { 'If-Match': '"1"' } },
        body: { name: `stale writer ${index}` },
      }),
    );
    expect(results.map((result) => result.response.status)).toEqual(Array(PARALLEL).fill(412));
    expect(await read(item.id)).toEqual(moved.data);
  });

  it('applies fifty PATCHes without If-Match on different keys: none lost, each its own version', async () => {
    // No attributes to start with: the fifty keys reach the 50-attribute cap exactly.
    const item = await create('fifty writers');
    const results = await times((index) =>
      client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id } },
        body: { attributes: { [`k${index}`]: index } },
      }),
    );
    expect(results.map((result) => result.response.status)).toEqual(Array(PARALLEL).fill(200));
    const versions = results.map((result) => result.data!.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: PARALLEL }, (_, index) => index + 2));

    const stored = await read(item.id);
    expect(stored.version).toBe(PARALLEL + 1);
    expect(stored.attributes).toEqual(
      Object.fromEntries(Array.from({ length: PARALLEL }, (_, index) => [`k${index}`, index])),
    );
  });

  it('refuses a fifty-first key once fifty writers have filled the item', async () => {
    const item = await create('one too many');
    await times((index) =>
      client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id } },
        body: { attributes: { [`k${index}`]: index } },
      }),
    );
    const { error, response } = await client.PATCH('/api/items/{id}', {
      params: { path: { id: item.id } },
      body: { attributes: { extra: true } },
    });
    expect(response.status).toBe(400);
    await expectContractResponse('updateItem', response, error);
    expect(error).toMatchObject({ type: ProblemTypes.attributeLimitExceeded });
    expect(Object.keys((await read(item.id)).attributes)).toHaveLength(PARALLEL);
  });

  it('creates fifty items at once with fifty distinct ids, all readable and listed', async () => {
    const created = await times((index) => create(`created at once ${index}`));
    const ids = created.map((item) => item.id);
    expect(new Set(ids).size).toBe(PARALLEL);
    const reads = await Promise.all(ids.map((id) => read(id)));
    expect(reads).toEqual(created);

    const listed = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const { data } = await client.GET('/api/items', {
        params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
      });
      for (const item of data!.items) listed.add(item.id);
      cursor = data!.nextCursor;
      if (!cursor) break;
    }
    for (const id of ids) expect(listed).toContain(id);
  });

  it('deletes once: of fifty DELETEs at once, one answers 204 and the rest 404', async () => {
    const item = await create('deleted by fifty');
    const results = await times(() =>
      client.DELETE('/api/items/{id}', { params: { path: { id: item.id } } }),
    );
    const statuses = results.map((result) => result.response.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.filter((status) => status === 404)).toHaveLength(PARALLEL - 1);
    const { response } = await client.GET('/api/items/{id}', { params: { path: { id: item.id } } });
    expect(response.status).toBe(404);
  });

  it('leaked no stack trace, AWS error name or ARN in any response', () => {
    expect(log.scanned).toBeGreaterThan(PARALLEL * 5);
    expect(log.findings).toEqual([]);
  });
});
