import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, ItemPage, Principal, Problem } from '@tap/contracts';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_TABLE_SCHEMA,
  IDEMPOTENT_REPLAYED_HEADER,
  ProblemTypes,
} from '@tap/contracts';
import { DependencyUnavailableError } from '../../core/errors';
import type { ItemStore } from '../../core/item-store';
import { TEST_PRINCIPAL, type TestRequest } from '../../../test/support/api-events';
import type { ApiHarness } from '../../../test/support/api-harness';
import { IDEMPOTENCY_TABLE, startApiHarness } from '../../../test/support/api-harness';

/** A store whose `create` can be held (the first request stays in progress) or failed. */
interface ControlledCreates {
  /** Holds every create of an item with this name until the returned release is called. */
  hold(name: string): () => void;
  /** Fails the next create of an item with this name with a transient error. */
  failOnce(name: string): void;
  /** Resolves once a held create has started. */
  started(name: string): Promise<void>;
}

function controlledCreates(): {
  controls: ControlledCreates;
  wrap: (items: ItemStore) => ItemStore;
} {
  const holds = new Map<string, Promise<void>>();
  const starts = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const failures = new Set<string>();
  const startOf = (name: string) => {
    let entry = starts.get(name);
    if (!entry) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      starts.set(name, entry);
    }
    return entry;
  };
  return {
    controls: {
      hold(name) {
        let release = (): void => undefined;
        holds.set(name, new Promise<void>((done) => (release = done)));
        return release;
      },
      failOnce: (name) => failures.add(name),
      started: (name) => startOf(name).promise,
    },
    wrap: (items) => ({
      ...items,
      async create(tenant, item, alongside) {
        startOf(item.name).resolve();
        await holds.get(item.name);
        if (failures.delete(item.name)) throw new DependencyUnavailableError('DynamoDB');
        return items.create(tenant, item, alongside);
      },
    }),
  };
}

let api: ApiHarness;
let controls: ControlledCreates;

beforeAll(async () => {
  const controlled = controlledCreates();
  controls = controlled.controls;
  api = await startApiHarness({ wrapItems: controlled.wrap });
});

afterAll(async () => {
  await api.stop();
});

/** A caller of a tenant of its own, so each test counts only its own items. */
const freshCaller = (overrides: Partial<Principal> = {}): Principal => ({
  ...TEST_PRINCIPAL,
  tenant: `t-${randomUUID()}`,
  ...overrides,
});

const post = (caller: Principal, json: unknown, key?: string, extra: Partial<TestRequest> = {}) =>
  api.call<Item & Problem>('POST /api/items', {
    json,
    principal: caller,
    ...(key === undefined ? {} : { headers: { [IDEMPOTENCY_KEY_HEADER]: key } }),
    ...extra,
  });

const listItems = async (caller: Principal): Promise<Item[]> => {
  const response = await api.call<ItemPage>('GET /api/items', { principal: caller });
  expect(response.status).toBe(200);
  return response.body.items;
};

describe('POST /api/items with an Idempotency-Key', () => {
  it('replays the first 201 for the same key and body, and creates one item', async () => {
    const caller = freshCaller();
    const key = randomUUID();

    const first = await post(caller, { name: 'Once', tags: ['a'] }, key);
    const again = await post(caller, { name: 'Once', tags: ['a'] }, key);

    expect(first.status).toBe(201);
    expect(first.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(again.rawBody).toBe(first.rawBody);
    expect(again.headers['location']).toBe(first.headers['location']);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect(again.headers['content-type']).toBe('application/json');
    expect(again.headers['x-request-id']).toEqual(expect.any(String));
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect((await listItems(caller)).map((item) => item.id)).toEqual([first.body.id]);
  });

  it('answers 422 idempotency-key-reused for the same key with another body, and writes nothing', async () => {
    const caller = freshCaller();
    const key = randomUUID();
    const first = await post(caller, { name: 'First' }, key);

    const other = await post(caller, { name: 'Second' }, key);

    expect(first.status).toBe(201);
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json');
    expect(other.body.type).toBe(ProblemTypes.idempotencyKeyReused);
    expect(await listItems(caller)).toHaveLength(1);
  });

  it('answers 409 idempotency-key-in-use with Retry-After while the first request runs, then replays it', async () => {
    const caller = freshCaller();
    const key = randomUUID();
    const release = controls.hold('Slow');
    const first = post(caller, { name: 'Slow' }, key);
    await controls.started('Slow');

    const during = await post(caller, { name: 'Slow' }, key);
    release();
    const done = await first;
    const after = await post(caller, { name: 'Slow' }, key);

    expect(during.status).toBe(409);
    expect(during.body.type).toBe(ProblemTypes.idempotencyKeyInUse);
    expect(during.headers['retry-after']).toBe('1');
    expect(done.status).toBe(201);
    expect(after.status).toBe(201);
    expect(after.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(after.body.id).toBe(done.body.id);
    expect(await listItems(caller)).toHaveLength(1);
  });

  it('creates exactly one item for 50 parallel requests with one key', async () => {
    const caller = freshCaller();
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(caller, { name: 'Parallel' }, key)),
    );

    const items = await listItems(caller);
    expect(items).toHaveLength(1);
    const [item] = items;
    for (const answer of answers) {
      if (answer.status === 201) expect(answer.body.id).toBe(item?.id);
      else
        expect([answer.status, answer.body.type]).toEqual([409, ProblemTypes.idempotencyKeyInUse]);
    }
    expect(answers.some((answer) => answer.status === 201)).toBe(true);
  });

  it('keeps keys per caller: the same key of two principals or two tenants makes two items', async () => {
    const key = randomUUID();
    const alice = freshCaller({ subject: 'alice' });
    const bob = { ...alice, subject: 'bob' };
    const elsewhere = { ...alice, tenant: `t-${randomUUID()}` };

    const answers = [
      await post(alice, { name: 'Shared key' }, key),
      await post(bob, { name: 'Shared key' }, key),
      await post(elsewhere, { name: 'Shared key' }, key),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(answers.map((answer) => answer.headers[IDEMPOTENT_REPLAYED_HEADER])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(3);
    expect(await listItems(alice)).toHaveLength(2);
    expect(await listItems(elsewhere)).toHaveLength(1);
  });

  it('keeps keys per route: the same key on a PATCH is another key', async () => {
    const caller = freshCaller();
    const key = randomUUID();
    const created = await post(caller, { name: 'Route' }, key);

    const patched = await api.call<Item>('PATCH /api/items/{id}', {
      path: { id: created.body.id },
      json: { name: 'Patched' },
      principal: caller,
      headers: { 'content-type': 'application/merge-patch+json', [IDEMPOTENCY_KEY_HEADER]: key },
    });

    expect(patched.status).toBe(200);
    expect(patched.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(patched.body.version).toBe(2);
  });

  it('does not remember a 503: the same request with the same key then succeeds', async () => {
    const caller = freshCaller();
    const key = randomUUID();
    controls.failOnce('Flaky');

    const failed = await post(caller, { name: 'Flaky' }, key);
    const retried = await post(caller, { name: 'Flaky' }, key);

    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect(retried.status).toBe(201);
    expect(retried.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(await listItems(caller)).toHaveLength(1);
  });

  it('does not remember a 400 of the route: the key then serves a corrected body', async () => {
    const caller = freshCaller();
    const key = randomUUID();

    // Valid for the schema, refused by the route (DynamoDB cannot store the number).
    const refused = await post(caller, { name: 'Tiny', attributes: { x: 1e-200 } }, key);
    const corrected = await post(caller, { name: 'Tiny', attributes: { x: 1 } }, key);

    expect(refused.status).toBe(400);
    expect(corrected.status).toBe(201);
    expect(await listItems(caller)).toHaveLength(1);
  });

  it('treats a request whose record has expired as a new one', async () => {
    const caller = freshCaller();
    const key = randomUUID();
    const first = await post(caller, { name: 'Expiring' }, key);
    // DynamoDB's TTL deletes expired records eventually; until then the write must ignore them.
    const records = await api.dynamoDb.send(new ScanCommand({ TableName: IDEMPOTENCY_TABLE }));
    const record = (records.Items ?? []).find((candidate) =>
      JSON.stringify(candidate).includes(first.body.id),
    );
    if (!record) throw new Error('no idempotency record of the first request');
    const id = IDEMPOTENCY_TABLE_SCHEMA.partitionKey.name;
    const expiration = IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute;
    await api.dynamoDb.send(
      new UpdateCommand({
        TableName: IDEMPOTENCY_TABLE,
        Key: { [id]: record[id] },
        UpdateExpression: 'SET #expiration = :past',
        ExpressionAttributeNames: { '#expiration': expiration },
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );

    const fresh = await post(caller, { name: 'Expiring' }, key);

    expect(fresh.status).toBe(201);
    expect(fresh.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(await listItems(caller)).toHaveLength(2);
  });

  it('touches no idempotency record without a key', async () => {
    const caller = freshCaller();
    api.dynamoDbCalls.length = 0;

    const response = await post(caller, { name: 'Plain' });

    expect(response.status).toBe(201);
    expect(api.dynamoDbCalls.filter((call) => call.table === IDEMPOTENCY_TABLE)).toEqual([]);
  });

  it('costs exactly one DynamoDB round trip more than a plain POST', async () => {
    const caller = freshCaller();
    await post(caller, { name: 'Warm-up' }, randomUUID());
    api.dynamoDbCalls.length = 0;
    await post(caller, { name: 'Plain' });
    const plain = api.dynamoDbCalls.splice(0).map((call) => call.command);
    await post(caller, { name: 'Keyed' }, randomUUID());
    const keyed = api.dynamoDbCalls.splice(0).map((call) => call.command);

    expect(plain).toEqual(['PutItemCommand']);
    expect(keyed).toEqual(['PutItemCommand', 'TransactWriteItemsCommand']);
    expect(keyed).toHaveLength(plain.length + 1);
  });
});

describe('PATCH /api/items/{id} with an Idempotency-Key', () => {
  const patch = (caller: Principal, id: string, json: unknown, key: string, ifMatch?: string) =>
    api.call<Item & Problem>('PATCH /api/items/{id}', {
      path: { id },
      json,
      principal: caller,
      headers: {
        'content-type': 'application/merge-patch+json',
        [IDEMPOTENCY_KEY_HEADER]: key,
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
    });

  it('replays the first answer and does not bump the version twice', async () => {
    const caller = freshCaller();
    const created = await post(caller, { name: 'Counter' });
    const key = randomUUID();

    const first = await patch(caller, created.body.id, { attributes: { n: 1 } }, key, '"1"');
    const again = await patch(caller, created.body.id, { attributes: { n: 1 } }, key, '"1"');
    const read = await api.call<Item>('GET /api/items/{id}', {
      path: { id: created.body.id },
      principal: caller,
    });

    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(again.status).toBe(200);
    expect(again.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(again.rawBody).toBe(first.rawBody);
    expect(read.body.version).toBe(2);
  });

  it('answers 422 when the same key comes with another If-Match', async () => {
    const caller = freshCaller();
    const created = await post(caller, { name: 'Guarded' });
    const key = randomUUID();

    const first = await patch(caller, created.body.id, { name: 'A' }, key, '"1"');
    const other = await patch(caller, created.body.id, { name: 'A' }, key, '"2"');

    expect(first.status).toBe(200);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe(ProblemTypes.idempotencyKeyReused);
  });

  it('does not remember a 412: the key may be used again once the precondition holds', async () => {
    const caller = freshCaller();
    const created = await post(caller, { name: 'Stale' });
    const key = randomUUID();

    const stale = await patch(caller, created.body.id, { name: 'B' }, key, '"7"');
    const retried = await patch(caller, created.body.id, { name: 'B' }, key, '"7"');

    expect(stale.status).toBe(412);
    expect(retried.status).toBe(412);
    expect(retried.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
  });
});
