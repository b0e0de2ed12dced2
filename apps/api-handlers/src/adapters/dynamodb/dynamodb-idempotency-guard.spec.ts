import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@tap/contracts';
import {
  dynamoDbDocumentClientFor,
  ensureTable,
  startEmulators,
  type Emulators,
} from '@tap/test-support';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '../../core/errors';
import type { IdempotencyGuard, IdempotentRequest, StoredResponse } from '../../core/idempotency';
import { createDynamoDbIdempotencyGuard } from './dynamodb-idempotency-guard';
import { createDynamoDbItemStore } from './dynamodb-item-store';

const TABLE = 'tap-idempotency-guard-test';
const ID = IDEMPOTENCY_TABLE_SCHEMA.partitionKey.name;

let emulators: Emulators;
let client: DynamoDBDocumentClient;
let guard: IdempotencyGuard;
let calls: string[];

beforeAll(async () => {
  emulators = await startEmulators();
  await ensureTable(emulators.dynamoDbEndpoint, TABLE, IDEMPOTENCY_TABLE_SCHEMA);
  client = dynamoDbDocumentClientFor(emulators.dynamoDbEndpoint);
  calls = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'tapCountCalls' },
  );
  guard = createDynamoDbIdempotencyGuard({
    client,
    tableName: TABLE,
    expiresAfterSeconds: 60,
    inProgressTimeoutMs: 30_000,
  });
});

afterAll(async () => {
  client.destroy();
  await emulators.stop();
});

beforeEach(() => {
  calls.length = 0;
});

const request = (payload: unknown = { body: { name: 'x' } }): IdempotentRequest => ({
  caller: { tenant: 'acme', kind: 'machine', subject: 'guard-test' },
  operationId: 'createItem',
  key: randomUUID(),
  payload,
});

const ANSWER: StoredResponse = { statusCode: 201, headers: { etag: '"1"' }, body: '{"id":"a"}' };

/** Every record of the table. */
const records = async (): Promise<Record<string, unknown>[]> =>
  (await client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items ?? [];

/** The one record written since `before`. */
const newRecord = async (before: readonly Record<string, unknown>[]) => {
  const known = new Set(before.map((record) => record[ID]));
  const added = (await records()).filter((record) => !known.has(record[ID]));
  expect(added).toHaveLength(1);
  return added[0] as Record<string, unknown>;
};

describe('the DynamoDB idempotency guard', () => {
  it('saves the answer with an UpdateItem when the route commits nothing alongside, then replays it', async () => {
    const keyed = request();
    const serve = jest.fn(async () => ANSWER);

    const first = await guard.run(keyed, serve);
    const firstCalls = calls.splice(0);
    const again = await guard.run(keyed, serve);

    expect(first).toEqual({ response: ANSWER, replayed: false });
    expect(again).toEqual({ response: ANSWER, replayed: true });
    expect(serve).toHaveBeenCalledTimes(1);
    expect(firstCalls).toEqual(['PutItemCommand', 'UpdateItemCommand']);
  });

  it('skips its own save when the completion committed in the route transaction', async () => {
    const keyed = request();
    const items = createDynamoDbItemStore({ client, tableName: emulators.tableName });
    const item = {
      id: randomUUID(),
      name: 'alongside',
      tags: [],
      attributes: {},
      version: 1,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };

    const first = await guard.run(keyed, async (completion) => {
      await items.create('acme', item, completion.alongside(ANSWER));
      return ANSWER;
    });
    const firstCalls = calls.splice(0);
    const again = await guard.run(keyed, async () => ({ statusCode: 500 }));

    expect(first.replayed).toBe(false);
    expect(firstCalls).toEqual(['PutItemCommand', 'TransactWriteItemsCommand']);
    expect(again).toEqual({ response: ANSWER, replayed: true });
  });

  it('refuses the same key with another payload', async () => {
    const keyed = request({ body: { name: 'first' } });
    await guard.run(keyed, async () => ANSWER);

    await expect(
      guard.run({ ...keyed, payload: { body: { name: 'second' } } }, async () => ANSWER),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('forgets a request that failed: its record is deleted and the key serves again', async () => {
    const keyed = request();
    const before = await records();

    await expect(
      guard.run(keyed, async () => {
        throw new Error('route failed');
      }),
    ).rejects.toThrow('route failed');
    const after = await records();
    const retried = await guard.run(keyed, async () => ANSWER);

    expect(after).toEqual(before);
    expect(retried).toEqual({ response: ANSWER, replayed: false });
  });

  it('keeps a completed answer when the request fails after its transaction committed', async () => {
    const keyed = request();

    // The commit's answer was lost on the way back (a timeout): the route sees an error.
    await expect(
      guard.run(keyed, async (completion) => {
        const commit = completion.alongside(ANSWER);
        await client.send(new TransactWriteCommand({ TransactItems: [...commit.entries] }));
        throw new Error('timed out after the commit');
      }),
    ).rejects.toThrow('timed out after the commit');
    const again = await guard.run(keyed, async () => ({ statusCode: 500 }));

    expect(again).toEqual({ response: ANSWER, replayed: true });
  });

  it('answers in use, and leaves the record alone, when another request took the key over', async () => {
    const keyed = request();
    const before = await records();
    let takenOver: Record<string, unknown> | undefined;

    await expect(
      guard.run(keyed, async (completion) => {
        // Another container's request took over the key (ours outlived its in-progress expiry).
        const ours = await newRecord(before);
        takenOver = { ...ours, in_progress_expiration: Date.now() + 60_000 };
        await client.send(new PutCommand({ TableName: TABLE, Item: takenOver }));
        const items = createDynamoDbItemStore({ client, tableName: emulators.tableName });
        await items.create(
          'acme',
          {
            id: randomUUID(),
            name: 'late',
            tags: [],
            attributes: {},
            version: 1,
            createdAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
          },
          completion.alongside(ANSWER),
        );
        return ANSWER;
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyInUseError);

    const record = await client.send(
      new GetCommand({ TableName: TABLE, Key: { [ID]: takenOver?.[ID] }, ConsistentRead: true }),
    );
    expect(record.Item).toEqual(takenOver);
  });

  it('names records tap-api#<hash>, with the answer, the payload hash and the expiry', async () => {
    const before = await records();
    const now = Math.round(Date.now() / 1000);

    await guard.run(request(), async () => ANSWER);

    const record = await newRecord(before);
    expect(record).toEqual({
      [ID]: expect.stringMatching(/^tap-api#[A-Za-z0-9+/]{43}=$/),
      status: 'COMPLETED',
      data: ANSWER,
      validation: expect.any(String),
      [IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute]: expect.any(Number),
      in_progress_expiration: expect.any(Number),
    });
    const expiry = record[IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute] as number;
    expect(expiry - now).toBeGreaterThanOrEqual(59);
    expect(expiry - now).toBeLessThanOrEqual(61);
  });
});
