import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import type { Item } from '@tap/client';
import { expectContractResponse } from './support/contract';
import { startTarget, type Target } from './support/target';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('items API through the typed client', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target.stop();
  });

  const create = async (name: string, extra: Partial<Item> = {}): Promise<Item> => {
    const { data, response } = await target.client.POST('/api/items', {
      body: { name, ...extra },
    });
    expect(response.status).toBe(201);
    return data!;
  };

  describe('authorization', () => {
    it('answers 401 without an API key', async () => {
      const { error, response } = await target.anonymous.GET('/api/items');
      expect(response.status).toBe(401);
      await expectContractResponse('listItems', response, error);
    });

    it('answers 401 with a wrong API key, with the same body as without one', async () => {
      const raw = await fetch(`${target.baseUrl}/api/items`, {
        headers: { [API_KEY_HEADER]: `${target.apiKey}x` },
      });
      const missing = await fetch(`${target.baseUrl}/api/items`);
      expect(raw.status).toBe(401);
      expect(await raw.text()).toBe(await missing.text());
    });
  });

  describe('create, read, update, delete', () => {
    it('creates an item with server-assigned fields, Location and ETag', async () => {
      const { data, response } = await target.client.POST('/api/items', {
        body: { name: 'first', description: 'd', tags: ['a', 'b'], attributes: { n: 1, ok: true } },
      });
      expect(response.status).toBe(201);
      await expectContractResponse('createItem', response, data);
      expect(data).toMatchObject({
        name: 'first',
        description: 'd',
        tags: ['a', 'b'],
        attributes: { n: 1, ok: true },
        version: 1,
      });
      expect(response.headers.get('location')).toBe(`/api/items/${data!.id}`);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(response.headers.get('x-request-id')).toBeTruthy();
    });

    it('reads an item back with its ETag', async () => {
      const item = await create('readable');
      const { data, response } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(response.status).toBe(200);
      await expectContractResponse('getItem', response, data);
      expect(data).toEqual(item);
      expect(response.headers.get('etag')).toBe('"1"');
    });

    it('answers 404 with a problem for an unknown item', async () => {
      const { error, response } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: MISSING_ID } },
      });
      expect(response.status).toBe(404);
      await expectContractResponse('getItem', response, error);
      expect(error).toMatchObject({ type: ProblemTypes.itemNotFound, status: 404 });
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const { error, response } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: 'not-a-uuid' } },
      });
      expect(response.status).toBe(400);
      await expectContractResponse('getItem', response, error);
      expect(error).toMatchObject({ type: ProblemTypes.validationFailed });
    });

    it('patches with merge-patch semantics and bumps the version', async () => {
      const item = await create('patchable', { description: 'old', attributes: { a: 1, b: 2 } });
      const { data, response } = await target.client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id } },
        body: { name: 'patched', description: null, attributes: { a: null, c: 'x' } },
      });
      expect(response.status).toBe(200);
      await expectContractResponse('updateItem', response, data);
      expect(data).toMatchObject({ name: 'patched', version: 2, attributes: { b: 2, c: 'x' } });
      expect(data).not.toHaveProperty('description');
      expect(data!.attributes).not.toHaveProperty('a');
      expect(response.headers.get('etag')).toBe('"2"');
    });

    it('answers 412 when If-Match is stale and changes nothing', async () => {
      const item = await create('locked');
      await target.client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id }, header: { 'If-Match': '"1"' } },
        body: { name: 'v2' },
      });
      const { error, response } = await target.client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id }, header: { 'If-Match': '"1"' } },
        body: { name: 'lost update' },
      });
      expect(response.status).toBe(412);
      await expectContractResponse('updateItem', response, error);
      expect(error).toMatchObject({ type: ProblemTypes.preconditionFailed });
      const { data } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(data).toMatchObject({ name: 'v2', version: 2 });
    });

    it('applies twenty parallel PATCHes with distinct versions and no lost field', async () => {
      const item = await create('contended');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          target.client.PATCH('/api/items/{id}', {
            params: { path: { id: item.id } },
            body: { attributes: { [`k${index}`]: index } },
          }),
        ),
      );
      expect(results.map((result) => result.response.status)).toEqual(Array(20).fill(200));
      const versions = results.map((result) => result.data!.version);
      expect(new Set(versions).size).toBe(20);
      const { data } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(data!.version).toBe(21);
      expect(data!.attributes).toEqual(
        Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`k${index}`, index])),
      );
    });

    it('deletes an item: 204, then 404', async () => {
      const item = await create('doomed');
      const { response } = await target.client.DELETE('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(response.status).toBe(204);
      await expectContractResponse('deleteItem', response);
      const again = await target.client.DELETE('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(again.response.status).toBe(404);
      await expectContractResponse('deleteItem', again.response, again.error);
    });

    it('refuses a delete with a stale If-Match', async () => {
      const item = await create('guarded');
      await target.client.PATCH('/api/items/{id}', {
        params: { path: { id: item.id } },
        body: { name: 'moved on' },
      });
      const { response } = await target.client.DELETE('/api/items/{id}', {
        params: { path: { id: item.id }, header: { 'If-Match': '"1"' } },
      });
      expect(response.status).toBe(412);
      const { response: still } = await target.client.GET('/api/items/{id}', {
        params: { path: { id: item.id } },
      });
      expect(still.status).toBe(200);
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing name', {}],
      ['an empty name', { name: '' }],
      ['a name of 201 characters', { name: 'x'.repeat(201) }],
      ['an unknown field', { name: 'ok', colour: 'red' }],
      ['duplicate tags', { name: 'ok', tags: ['a', 'a'] }],
      ['21 tags', { name: 'ok', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
      ['a nested attribute value', { name: 'ok', attributes: { a: { b: 1 } } }],
    ])('answers 400 listing the offending path for %s', async (_label, body) => {
      const response = await fetch(`${target.baseUrl}/api/items`, {
        method: 'POST',
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { type: string; errors: { path: string }[] };
      await expectContractResponse('createItem', response, problem);
      expect(problem.type).toBe(ProblemTypes.validationFailed);
      expect(problem.errors.length).toBeGreaterThan(0);
      expect(problem.errors.every((error) => error.path.startsWith('/body'))).toBe(true);
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await fetch(`${target.baseUrl}/api/items`, {
        method: 'POST',
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'application/json' },
        body: '{"name": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: ProblemTypes.malformedJson });
    });

    it('answers 415 for a body that is not JSON', async () => {
      const response = await fetch(`${target.baseUrl}/api/items`, {
        method: 'POST',
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'text/plain' },
        body: 'name=x',
      });
      expect(response.status).toBe(415);
      await expectContractResponse('createItem', response);
    });

    it('answers 413 for a body over the size limit', async () => {
      const response = await fetch(`${target.baseUrl}/api/items`, {
        method: 'POST',
        headers: { [API_KEY_HEADER]: target.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'big', description: 'x'.repeat(200_000) }),
      });
      expect(response.status).toBe(413);
      await expectContractResponse('createItem', response);
    });
  });

  describe('pagination', () => {
    it('walks every page and sees each item exactly once', async () => {
      const created = await Promise.all(
        Array.from({ length: 25 }, (_, index) => create(`page-item-${index}`)),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const { data, response } = await target.client.GET('/api/items', {
          params: { query: { limit: 7, ...(cursor ? { cursor } : {}) } },
        });
        expect(response.status).toBe(200);
        await expectContractResponse('listItems', response, data);
        expect(data!.items.length).toBeLessThanOrEqual(7);
        seen.push(...data!.items.map((item) => item.id));
        cursor = data!.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(pages).toBeGreaterThan(1);
      expect(new Set(seen).size).toBe(seen.length);
      for (const item of created) expect(seen).toContain(item.id);
    });

    it('answers 400 for a tampered cursor, never another page', async () => {
      await create('cursor-a');
      await create('cursor-b');
      const { data } = await target.client.GET('/api/items', { params: { query: { limit: 1 } } });
      const cursor = data!.nextCursor!;
      const flipped = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
      for (const tampered of [flipped, cursor.slice(0, -3), `${cursor}x`, 'bm90LWEtY3Vyc29y']) {
        const { error, response } = await target.client.GET('/api/items', {
          params: { query: { cursor: tampered } },
        });
        expect(response.status).toBe(400);
        await expectContractResponse('listItems', response, error);
        expect(error).toMatchObject({ type: ProblemTypes.invalidCursor });
      }
    });

    it('answers 400 for a limit out of range', async () => {
      for (const limit of [0, 101]) {
        const { response } = await target.client.GET('/api/items', {
          params: { query: { limit } },
        });
        expect(response.status).toBe(400);
      }
    });
  });
});
