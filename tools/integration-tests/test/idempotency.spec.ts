import { randomUUID } from 'node:crypto';
import {
  API_KEY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  ProblemTypes,
  type Item,
} from '@tap/contracts';
import { expectContractResponse } from './support/contract';
import { freshTenant, startTarget, type Target } from './support/target';

/** One request exactly as given: no client retries, no key added behind the test's back. */
async function send(
  target: Target,
  init: {
    readonly method: 'POST' | 'PATCH';
    readonly path: string;
    readonly body: unknown;
    readonly key?: string;
    readonly apiKey?: string;
    readonly headers?: Record<string, string>;
  },
): Promise<{ readonly response: Response; readonly json: unknown }> {
  const response = await fetch(`${target.baseUrl}${init.path}`, {
    method: init.method,
    headers: {
      'content-type': 'application/json',
      [API_KEY_HEADER]: init.apiKey ?? target.apiKey,
      ...(init.key === undefined ? {} : { [IDEMPOTENCY_KEY_HEADER]: init.key }),
      ...init.headers,
    },
    body: JSON.stringify(init.body),
  });
  const text = await response.text();
  return { response, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function itemCount(target: Target, apiKey: string, name: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${target.baseUrl}/api/items?${query.toString()}`, {
      headers: { [API_KEY_HEADER]: apiKey },
    });
    const page = (await response.json()) as { items: Item[]; nextCursor?: string };
    count += page.items.filter((item) => item.name === name).length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

describe('idempotent writes', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target.stop();
  });

  it('answers a repeated POST with the first response, marked as a replay, and creates one item', async () => {
    const key = randomUUID();
    const name = `replayed ${key}`;
    const first = await send(target, { method: 'POST', path: '/api/items', body: { name }, key });
    expect(first.response.status).toBe(201);
    expect(first.response.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
    await expectContractResponse('createItem', first.response, first.json);

    const again = await send(target, { method: 'POST', path: '/api/items', body: { name }, key });
    expect(again.response.status).toBe(201);
    expect(again.response.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(again.response.headers.get('location')).toBe(first.response.headers.get('location'));
    await expectContractResponse('createItem', again.response, again.json);
    expect(await itemCount(target, target.apiKey, name)).toBe(1);
  });

  it('answers 422 when a key is used again for a different body, and changes nothing', async () => {
    const key = randomUUID();
    const name = `first body ${key}`;
    await send(target, { method: 'POST', path: '/api/items', body: { name }, key });
    const other = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name: `second body ${key}` },
      key,
    });
    expect(other.response.status).toBe(422);
    expect(other.json).toMatchObject({ type: ProblemTypes.idempotencyKeyReused, status: 422 });
    await expectContractResponse('createItem', other.response, other.json);
    expect(await itemCount(target, target.apiKey, `second body ${key}`)).toBe(0);
  });

  it('creates exactly one item for 50 parallel POSTs with one key; each gets its id or a 409', async () => {
    const key = randomUUID();
    const name = `raced ${key}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        send(target, { method: 'POST', path: '/api/items', body: { name }, key }),
      ),
    );
    const created = answers.filter((answer) => answer.response.status === 201);
    const inUse = answers.filter((answer) => answer.response.status === 409);
    expect(created.length + inUse.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const ids = new Set(created.map((answer) => (answer.json as Item).id));
    expect(ids.size).toBe(1);
    for (const answer of inUse) {
      expect(answer.json).toMatchObject({ type: ProblemTypes.idempotencyKeyInUse });
      expect(Number(answer.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(await itemCount(target, target.apiKey, name)).toBe(1);
    // Once the first is done, a repetition is a replay of it.
    const later = await send(target, { method: 'POST', path: '/api/items', body: { name }, key });
    expect(later.response.status).toBe(201);
    expect((later.json as Item).id).toBe([...ids][0]);
  });

  it('keeps keys per caller: the same key from another tenant is a request of its own', async () => {
    const other = await target.machineKey({ tenant: freshTenant('idem') });
    const key = randomUUID();
    const name = `per caller ${key}`;
    const mine = await send(target, { method: 'POST', path: '/api/items', body: { name }, key });
    const theirs = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name },
      key,
      apiKey: other.key,
    });
    expect(mine.response.status).toBe(201);
    expect(theirs.response.status).toBe(201);
    expect(theirs.response.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
    expect((theirs.json as Item).id).not.toBe((mine.json as Item).id);
    expect(await itemCount(target, other.key, name)).toBe(1);
  });

  it('does not remember a failure: the key works once the request is right', async () => {
    const key = randomUUID();
    const bad = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name: '' },
      key,
    });
    expect(bad.response.status).toBe(400);
    const good = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name: `after a failure ${key}` },
      key,
    });
    expect(good.response.status).toBe(201);
    expect(good.response.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
  });

  it('replays a PATCH without applying it twice', async () => {
    const created = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name: 'patched once' },
    });
    const item = created.json as Item;
    const key = randomUUID();
    const patch = {
      method: 'PATCH' as const,
      path: `/api/items/${item.id}`,
      body: { description: 'once' },
      key,
    };
    const first = await send(target, patch);
    const again = await send(target, patch);
    expect(first.response.status).toBe(200);
    expect(again.response.status).toBe(200);
    expect(again.response.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect((again.json as Item).version).toBe(2);
    const read = await fetch(`${target.baseUrl}/api/items/${item.id}`, {
      headers: { [API_KEY_HEADER]: target.apiKey },
    });
    expect(((await read.json()) as Item).version).toBe(2);
  });

  it('refuses a key outside the contract grammar with a 400', async () => {
    const bad = await send(target, {
      method: 'POST',
      path: '/api/items',
      body: { name: 'bad key' },
      key: 'has spaces in it',
    });
    expect(bad.response.status).toBe(400);
    expect(bad.json).toMatchObject({ type: ProblemTypes.validationFailed });
  });
});
