import type { Item, ItemPage, Problem } from '@tap/contracts';
import { MAX_REQUEST_BODY_BYTES, ProblemTypes } from '@tap/contracts';
import type { ApiHarness } from '../../../test/support/api-harness';
import { CURSOR_SECRET_ID, startApiHarness } from '../../../test/support/api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});

afterAll(async () => {
  await api.stop();
});

const createItem = async (body: Record<string, unknown> = { name: 'Widget' }): Promise<Item> => {
  const response = await api.call<Item>('POST /api/items', { json: body });
  expect(response.status).toBe(201);
  return response.body;
};

const patchItem = (id: string, json: unknown, headers: Record<string, string> = {}) =>
  api.call<Item & Problem>('PATCH /api/items/{id}', {
    path: { id },
    json,
    headers: { 'content-type': 'application/merge-patch+json', ...headers },
  });

const getItem = (id: string) => api.call<Item & Problem>('GET /api/items/{id}', { path: { id } });

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('POST /api/items', () => {
  it('creates an item with server-assigned id, version and timestamps, Location and ETag', async () => {
    const response = await api.call<Item>('POST /api/items', {
      json: { name: 'Widget', description: 'A part', tags: ['a', 'b'], attributes: { size: 3 } },
    });

    expect(response.status).toBe(201);
    const item = response.body;
    expect(item).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Widget',
      description: 'A part',
      tags: ['a', 'b'],
      attributes: { size: 3 },
      version: 1,
      createdAt: expect.any(String),
      updatedAt: item.createdAt,
    });
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
    expect(response.headers['location']).toBe(`/api/items/${item.id}`);
    expect(response.headers['etag']).toBe('"1"');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('defaults tags to [] and attributes to {} and omits an absent description', async () => {
    const item = await createItem({ name: 'Bare' });

    expect(item.tags).toEqual([]);
    expect(item.attributes).toEqual({});
    expect(item).not.toHaveProperty('description');
  });

  it('ignores a client-sent id by rejecting it as an unknown field', async () => {
    const response = await api.call<Problem>('POST /api/items', {
      json: { name: 'x', id: UNKNOWN_ID, version: 7 },
    });

    expect(response.status).toBe(400);
    expect(response.body.type).toBe(ProblemTypes.validationFailed);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/id', message: 'is not allowed' },
        { path: '/body/version', message: 'is not allowed' },
      ]),
    );
  });

  it('answers 400 validation-failed when the body is missing', async () => {
    const response = await api.call<Problem>('POST /api/items');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: '/body', message: 'is required' }]);
  });

  it('answers 400 malformed-json for a body that is not JSON', async () => {
    const response = await api.call<Problem>('POST /api/items', {
      rawBody: '{"name": "x",',
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body.type).toBe(ProblemTypes.malformedJson);
  });

  it('answers 400 malformed-json for a body that is not UTF-8', async () => {
    const response = await api.call<Problem>('POST /api/items', {
      rawBody: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]).toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body.type).toBe(ProblemTypes.malformedJson);
  });

  it('answers 415 for a body that is not JSON, and for one without a content type', async () => {
    const text = await api.call<Problem>('POST /api/items', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const untyped = await api.call<Problem>('POST /api/items', { rawBody: '{"name":"x"}' });

    for (const response of [text, untyped]) {
      expect(response.status).toBe(415);
      expect(response.body.type).toBe(ProblemTypes.unsupportedMediaType);
      expect(response.headers['content-type']).toBe('application/problem+json');
    }
  });

  it('accepts JSON media types with a UTF-8 charset', async () => {
    const response = await api.call<Item>('POST /api/items', {
      rawBody: JSON.stringify({ name: 'Charset' }),
      headers: { 'content-type': 'application/vnd.tap+json; charset=UTF-8' },
    });

    expect(response.status).toBe(201);
  });

  it('decodes base64-encoded bodies', async () => {
    const response = await api.call<Item>('POST /api/items', {
      rawBody: Buffer.from(JSON.stringify({ name: 'Zürich ✓' })).toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(201);
    expect(response.body.name).toBe('Zürich ✓');
  });

  it('answers 413 payload-too-large for a decoded body over the contract’s limit', async () => {
    const response = await api.call<Problem>('POST /api/items', {
      json: { name: 'x', description: 'y'.repeat(MAX_REQUEST_BODY_BYTES) },
    });

    expect(response.status).toBe(413);
    expect(response.body.type).toBe(ProblemTypes.payloadTooLarge);
  });

  it('rejects numbers DynamoDB cannot store and attribute names the SDK cannot read back', async () => {
    const response = await api.call<Problem>('POST /api/items', {
      rawBody: '{"name":"x","attributes":{"tiny":1e-101,"ok":0,"__proto__":1}}',
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: '/body/attributes/tiny', message: 'must be 0 or at least 1e-100 in magnitude' },
      { path: '/body/attributes/__proto__', message: 'is a reserved attribute name' },
    ]);
  });

  it('stores attribute values at the edges of what the contract allows', async () => {
    const attributes = { big: 1e15, small: -1e15, tiny: 1e-100, empty: '', flag: false };
    const item = await createItem({ name: 'Edges', attributes });

    expect((await getItem(item.id)).body.attributes).toEqual(attributes);
  });
});

describe('GET /api/items/{id}', () => {
  it('returns the item with its ETag', async () => {
    const item = await createItem({ name: 'Readable', tags: ['t'] });

    const response = await getItem(item.id);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(item);
    expect(response.headers['etag']).toBe('"1"');
  });

  it('answers 404 item-not-found for an unknown id', async () => {
    const response = await getItem(UNKNOWN_ID);

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      type: ProblemTypes.itemNotFound,
      title: 'Item not found',
      status: 404,
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers 400 validation-failed for an id that is not a UUID', async () => {
    const response = await getItem('not-a-uuid');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: '/path/id', message: 'must match format "uuid"' },
    ]);
  });

  it('never reads the cursor signing key', async () => {
    const reads = api.secrets.reads.length;
    const item = await createItem();

    await getItem(item.id);

    expect(api.secrets.reads.length).toBe(reads);
  });
});

describe('GET /api/items', () => {
  it('walks every page and sees each item exactly once', async () => {
    const created = new Set<string>();
    for (let index = 0; index < 23; index += 1) {
      created.add((await createItem({ name: `Page item ${index}` })).id);
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await api.call<ItemPage>('GET /api/items', {
        query: { limit: '7', ...(cursor ? { cursor } : {}) },
      });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...response.body.items.map((item) => item.id));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);

    expect(cursor).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of created) expect(seen).toContain(id);
    expect(pages).toBeGreaterThan(3);
  });

  it('uses the contract default of 20 when no limit is given', async () => {
    for (let index = 0; index < 21; index += 1) await createItem({ name: `Default ${index}` });

    const response = await api.call<ItemPage>('GET /api/items');

    expect(response.body.items).toHaveLength(20);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });

  it('reads the signing key from the configured secret when it needs a cursor', async () => {
    const response = await api.call<ItemPage>('GET /api/items', { query: { limit: '1' } });

    expect(response.body.nextCursor).toBeDefined();
    expect(api.secrets.reads.at(-1)).toBe(CURSOR_SECRET_ID);
  });

  it.each([
    ['0', 'must be >= 1'],
    ['101', 'must be <= 100'],
    ['abc', 'must be integer'],
    ['1.5', 'must be integer'],
    ['', 'must be integer'],
  ])('answers 400 validation-failed for limit=%j', async (limit, message) => {
    const response = await api.call<Problem>('GET /api/items', { query: { limit } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: '/query/limit', message }]);
  });

  it('accepts the limits 1 and 100', async () => {
    for (const limit of ['1', '100']) {
      expect((await api.call('GET /api/items', { query: { limit } })).status).toBe(200);
    }
  });

  it('rejects unknown query parameters', async () => {
    const response = await api.call<Problem>('GET /api/items', { query: { limt: '5' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: '/query/limt', message: 'is not allowed' }]);
  });

  describe('with a cursor that was not issued as is', () => {
    let cursor: string;

    beforeAll(async () => {
      await createItem();
      await createItem();
      const response = await api.call<ItemPage>('GET /api/items', { query: { limit: '1' } });
      cursor = response.body.nextCursor ?? '';
      expect(cursor).not.toBe('');
    });

    const flip = (value: string, index: number): string => {
      const bytes = Buffer.from(value, 'base64url');
      bytes[index] = (bytes[index] ?? 0) ^ 0x01;
      return bytes.toString('base64url');
    };

    it.each([
      ['a flipped MAC byte', () => flip(cursor, 5)],
      ['a flipped payload byte', () => flip(cursor, Buffer.from(cursor, 'base64url').length - 3)],
      ['a flipped version byte', () => flip(cursor, 0)],
      ['a truncated cursor', () => cursor.slice(0, -4)],
      ['a cursor cut to its MAC', () => cursor.slice(0, 44)],
      ['a character outside base64url', () => `${cursor.slice(0, -1)}*`],
      ['plain text', () => 'next-page'],
    ])('answers 400 invalid-cursor for %s', async (_, make) => {
      const response = await api.call<Problem>('GET /api/items', { query: { cursor: make() } });

      expect(response.status).toBe(400);
      expect(response.body.type).toBe(ProblemTypes.invalidCursor);
    });

    it('answers 400 invalid-cursor after the signing key changed', async () => {
      api.secrets.set(CURSOR_SECRET_ID, { signingKey: 'a-rotated-key-fedcba9876543210' });
      try {
        const response = await api.call<Problem>('GET /api/items', { query: { cursor } });

        expect(response.status).toBe(400);
        expect(response.body.type).toBe(ProblemTypes.invalidCursor);
      } finally {
        api.secrets.set(CURSOR_SECRET_ID, { signingKey: 'test-signing-key-0123456789abcdef' });
      }
    });

    it('continues from a valid cursor', async () => {
      const response = await api.call<ItemPage>('GET /api/items', { query: { cursor } });

      expect(response.status).toBe(200);
    });
  });
});

describe('PATCH /api/items/{id}', () => {
  it('applies a merge patch: sets, removes, replaces and merges', async () => {
    const item = await createItem({
      name: 'Before',
      description: 'old',
      tags: ['x'],
      attributes: { keep: 1, change: 'a', drop: true },
    });

    const response = await patchItem(item.id, {
      name: 'After',
      description: null,
      tags: ['y', 'z'],
      attributes: { change: 'b', drop: null, added: 2.5 },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: item.id,
      name: 'After',
      tags: ['y', 'z'],
      attributes: { keep: 1, change: 'b', added: 2.5 },
      version: 2,
      createdAt: item.createdAt,
      updatedAt: expect.any(String),
    });
    expect(response.headers['etag']).toBe('"2"');
    expect((await getItem(item.id)).body).toEqual(response.body);
  });

  it('clears tags with null and all attributes with attributes: null', async () => {
    const item = await createItem({ name: 'Full', tags: ['a'], attributes: { a: 1, b: 2 } });

    const cleared = await patchItem(item.id, { tags: null, attributes: null });
    const refilled = await patchItem(item.id, { attributes: { c: 3 } });

    expect(cleared.body).toMatchObject({ tags: [], attributes: {}, version: 2 });
    expect(refilled.body).toMatchObject({ attributes: { c: 3 }, version: 3 });
  });

  it('bumps the version for a patch that changes nothing else', async () => {
    const item = await createItem({ name: 'Still', attributes: { a: 1 } });

    const response = await patchItem(item.id, { attributes: {} });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Still', attributes: { a: 1 }, version: 2 });
  });

  it('accepts application/json as well as application/merge-patch+json', async () => {
    const item = await createItem();

    const response = await patchItem(
      item.id,
      { name: 'Json' },
      { 'content-type': 'application/json' },
    );

    expect(response.status).toBe(200);
  });

  it('keeps attribute names with dots, colons and reserved words as plain keys', async () => {
    const item = await createItem();

    const response = await patchItem(item.id, { attributes: { 'a.b': 1, 'ns:key': 2, size: 3 } });

    expect(response.body.attributes).toEqual({ 'a.b': 1, 'ns:key': 2, size: 3 });
  });

  it('answers 400 for an empty patch and for fields the patch may not touch', async () => {
    const item = await createItem();

    const empty = await patchItem(item.id, {});
    const immutable = await patchItem(item.id, { version: 9 });

    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([
      { path: '/body', message: 'must NOT have fewer than 1 properties' },
    ]);
    expect(immutable.body.errors).toEqual([{ path: '/body/version', message: 'is not allowed' }]);
  });

  it('answers 404 for an unknown item', async () => {
    const response = await patchItem(UNKNOWN_ID, { name: 'x' });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(ProblemTypes.itemNotFound);
  });

  it('applies twenty parallel patches of different attribute keys without losing one', async () => {
    const item = await createItem({ name: 'Hot', attributes: { base: 0 } });

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        patchItem(item.id, { attributes: { [`k${index}`]: index } }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const versions = responses.map((response) => response.body.version);
    expect(new Set(versions).size).toBe(20);
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 2),
    );
    const stored = (await getItem(item.id)).body;
    expect(stored.version).toBe(21);
    expect(Object.keys(stored.attributes)).toHaveLength(21);
    for (let index = 0; index < 20; index += 1) expect(stored.attributes[`k${index}`]).toBe(index);
  });

  describe('If-Match', () => {
    it('applies the patch when it names the current version', async () => {
      const item = await createItem();

      const strong = await patchItem(item.id, { name: 'v2' }, { 'if-match': '"1"' });
      const weak = await patchItem(item.id, { name: 'v3' }, { 'if-match': 'W/"2"' });
      const any = await patchItem(item.id, { name: 'v4' }, { 'if-match': '*' });

      expect([strong.status, weak.status, any.status]).toEqual([200, 200, 200]);
      expect(any.body.version).toBe(4);
    });

    it('returns 412 when If-Match is stale and changes nothing', async () => {
      const item = await createItem({ name: 'Original' });
      await patchItem(item.id, { name: 'Second' });

      const response = await patchItem(item.id, { name: 'Lost update' }, { 'if-match': '"1"' });

      expect(response.status).toBe(412);
      expect(response.body.type).toBe(ProblemTypes.preconditionFailed);
      const stored = (await getItem(item.id)).body;
      expect(stored).toMatchObject({ name: 'Second', version: 2 });
    });

    it('answers 404, not 412, when the item does not exist', async () => {
      const response = await patchItem(UNKNOWN_ID, { name: 'x' }, { 'if-match': '"1"' });

      expect(response.status).toBe(404);
    });

    it.each(['1', '"abc"', '"1", "2"', '"0"', 'W/1'])(
      'answers 400 validation-failed for the malformed If-Match %j',
      async (ifMatch) => {
        const item = await createItem();

        const response = await patchItem(item.id, { name: 'x' }, { 'if-match': ifMatch });

        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([
          { path: '/headers/If-Match', message: expect.any(String) },
        ]);
      },
    );
  });

  describe('the 50-attribute cap', () => {
    const fifty = Object.fromEntries(
      Array.from({ length: 50 }, (_, index) => [`a${index}`, index]),
    );

    it('answers 400 attribute-limit-exceeded when a new key would make 51, and changes nothing', async () => {
      const item = await createItem({ name: 'Full', attributes: fifty });

      const response = await patchItem(item.id, { attributes: { extra: 1 } });

      expect(response.status).toBe(400);
      expect(response.body.type).toBe(ProblemTypes.attributeLimitExceeded);
      expect((await getItem(item.id)).body.version).toBe(1);
    });

    it('accepts overwriting existing keys of a full item', async () => {
      const item = await createItem({ name: 'Full', attributes: fifty });

      const response = await patchItem(item.id, { attributes: { a0: 'changed', a1: 'too' } });

      expect(response.status).toBe(200);
      expect(response.body.attributes).toMatchObject({ a0: 'changed', a1: 'too' });
      expect(Object.keys(response.body.attributes)).toHaveLength(50);
    });

    it('accepts replacing one key with another in the same patch', async () => {
      const item = await createItem({ name: 'Full', attributes: fifty });

      const response = await patchItem(item.id, { attributes: { a0: null, fresh: true } });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body.attributes)).toHaveLength(50);
      expect(response.body.attributes).toMatchObject({ fresh: true });
      expect(response.body.attributes).not.toHaveProperty('a0');
    });

    it('returns 412 rather than a cap error when If-Match is stale on a full item', async () => {
      const item = await createItem({ name: 'Full', attributes: fifty });
      await patchItem(item.id, { name: 'moved on' });

      const response = await patchItem(
        item.id,
        { attributes: { extra: 1 } },
        { 'if-match': '"1"' },
      );

      expect(response.status).toBe(412);
    });
  });
});

describe('DELETE /api/items/{id}', () => {
  it('deletes the item, then answers 404 for it', async () => {
    const item = await createItem();

    const deleted = await api.call('DELETE /api/items/{id}', { path: { id: item.id } });
    const again = await api.call<Problem>('DELETE /api/items/{id}', { path: { id: item.id } });

    expect(deleted.status).toBe(204);
    expect(deleted.rawBody).toBeUndefined();
    expect(deleted.headers['x-request-id']).toEqual(expect.any(String));
    expect((await getItem(item.id)).status).toBe(404);
    expect(again.status).toBe(404);
    expect(again.body.type).toBe(ProblemTypes.itemNotFound);
  });

  it('returns 412 when If-Match is stale and keeps the item', async () => {
    const item = await createItem();
    await patchItem(item.id, { name: 'v2' });

    const stale = await api.call<Problem>('DELETE /api/items/{id}', {
      path: { id: item.id },
      headers: { 'if-match': '"1"' },
    });
    const current = await api.call('DELETE /api/items/{id}', {
      path: { id: item.id },
      headers: { 'if-match': '"2"' },
    });

    expect(stale.status).toBe(412);
    expect(current.status).toBe(204);
  });
});

describe('every answer', () => {
  it('carries the request id and a content type, also for unknown routes', async () => {
    const response = await api.call<Problem>('PUT /api/items/{id}', { path: { id: UNKNOWN_ID } });

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(ProblemTypes.routeNotFound);
    expect(response.body.requestId).toMatch(/^req-/);
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});
