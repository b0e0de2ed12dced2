import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureDataTable } from './data-table';
import { createDynamoDbEmulator } from './dynamodb-emulator';
import { dynamoDbClientFor, dynamoDbDocumentClientFor } from './emulator-clients';
import type { ManagedService } from './managed-service';

const TABLE = 'tap-data-table-tx';

/** A key of the data table in tenant `acme`. */
const key = (id: string): Record<string, AttributeValue> => ({
  tenant: { S: 'acme' },
  id: { S: id },
});

/** An item of the data table in tenant `acme` with a numeric `count`. */
const item = (id: string, count: number): Record<string, AttributeValue> => ({
  ...key(id),
  count: { N: String(count) },
});

describe('DynamoDB transactions on the emulator', () => {
  let emulator: ManagedService;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    emulator = createDynamoDbEmulator();
    await emulator.start();
    await ensureDataTable(emulator.endpoint, TABLE);
    client = dynamoDbClientFor(emulator.endpoint, { maxAttempts: 1 });
    documents = dynamoDbDocumentClientFor(emulator.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    documents?.destroy();
    await emulator?.dispose();
  });

  const put = (values: Record<string, AttributeValue>): Promise<unknown> =>
    client.send(new PutItemCommand({ TableName: TABLE, Item: values }));
  const stored = async (id: string): Promise<Record<string, AttributeValue> | undefined> =>
    (
      await client.send(
        new GetItemCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true }),
      )
    ).Item;
  const transact = (actions: TransactWriteItem[]): Promise<unknown> =>
    client.send(new TransactWriteItemsCommand({ TransactItems: actions }));
  /** The error `promise` rejects with; fails the test when it resolves. */
  const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a rejection');
  };

  describe('TransactWriteItems', () => {
    it('applies Put, Update, Delete and ConditionCheck together', async () => {
      await put(item('ok-updated', 1));
      await put(item('ok-deleted', 1));
      await put(item('ok-checked', 7));

      await transact([
        {
          Put: {
            TableName: TABLE,
            Item: item('ok-put', 1),
            ConditionExpression: 'attribute_not_exists(id)',
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: key('ok-updated'),
            UpdateExpression: 'SET #count = #count + :one',
            ConditionExpression: '#count = :one',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        {
          Delete: {
            TableName: TABLE,
            Key: key('ok-deleted'),
            ConditionExpression: 'attribute_exists(id)',
          },
        },
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: key('ok-checked'),
            ConditionExpression: '#count = :seven',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':seven': { N: '7' } },
          },
        },
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: key('ok-absent'),
            ConditionExpression: 'attribute_not_exists(id)',
          },
        },
      ]);

      await expect(stored('ok-put')).resolves.toEqual(item('ok-put', 1));
      await expect(stored('ok-updated')).resolves.toEqual(item('ok-updated', 2));
      await expect(stored('ok-deleted')).resolves.toBeUndefined();
      await expect(stored('ok-checked')).resolves.toEqual(item('ok-checked', 7));
      await expect(stored('ok-absent')).resolves.toBeUndefined();
    });

    it('writes nothing when one condition fails, with one reason per action in order', async () => {
      await put(item('all-guarded', 3));
      await put(item('all-checked', 4));

      const error = await rejection(
        transact([
          { Put: { TableName: TABLE, Item: item('all-new', 1) } },
          {
            Update: {
              TableName: TABLE,
              Key: key('all-guarded'),
              UpdateExpression: 'SET #count = :zero',
              ConditionExpression: '#count = :zero',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':zero': { N: '0' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            ConditionCheck: {
              TableName: TABLE,
              Key: key('all-checked'),
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
        ]),
      );

      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
      );
      expect((error as TransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          Item: item('all-guarded', 3),
        },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
      await expect(stored('all-new')).resolves.toBeUndefined();
      await expect(stored('all-guarded')).resolves.toEqual(item('all-guarded', 3));
      await expect(stored('all-checked')).resolves.toEqual(item('all-checked', 4));
    });

    it('restores the items written before an action that fails on the stored data', async () => {
      await put(item('undo-replaced', 1));
      await put(item('undo-deleted', 1));
      await put({ ...key('undo-text'), count: { S: 'not a number' } });

      const error = await rejection(
        transact([
          { Put: { TableName: TABLE, Item: item('undo-replaced', 99) } },
          { Delete: { TableName: TABLE, Key: key('undo-deleted') } },
          { Put: { TableName: TABLE, Item: item('undo-created', 1) } },
          {
            Update: {
              TableName: TABLE,
              Key: key('undo-text'),
              UpdateExpression: 'ADD #count :one',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ]),
      );

      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        {
          Code: 'ValidationError',
          Message: 'An operand in the update expression has an incorrect data type',
        },
      ]);
      await expect(stored('undo-replaced')).resolves.toEqual(item('undo-replaced', 1));
      await expect(stored('undo-deleted')).resolves.toEqual(item('undo-deleted', 1));
      await expect(stored('undo-created')).resolves.toBeUndefined();
    });

    it('restores the items written before an invalid action and answers its ValidationException', async () => {
      await put(item('invalid-replaced', 1));

      const error = await rejection(
        transact([
          { Put: { TableName: TABLE, Item: item('invalid-replaced', 99) } },
          { Put: { TableName: TABLE, Item: item('invalid-created', 1) } },
          {
            Update: {
              TableName: TABLE,
              Key: key('invalid-other'),
              UpdateExpression: 'SET count = :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ]),
      );

      expect(error).toMatchObject({ name: 'ValidationException' });
      await expect(stored('invalid-replaced')).resolves.toEqual(item('invalid-replaced', 1));
      await expect(stored('invalid-created')).resolves.toBeUndefined();
      await expect(stored('invalid-other')).resolves.toBeUndefined();
    });

    it('lets exactly 10 of 30 parallel transactions raise a counter guarded by count < 10', async () => {
      await put(item('counter', 0));

      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, attempt) =>
          documents.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: TABLE,
                    Key: { tenant: 'acme', id: 'counter' },
                    UpdateExpression: 'SET #count = #count + :one',
                    ConditionExpression: '#count < :limit',
                    ExpressionAttributeNames: { '#count': 'count' },
                    ExpressionAttributeValues: { ':one': 1, ':limit': 10 },
                  },
                },
                { Put: { TableName: TABLE, Item: { tenant: 'acme', id: `counted-${attempt}` } } },
              ],
            }),
          ),
        ),
      );

      const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const rejected = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
      );
      expect(fulfilled).toHaveLength(10);
      expect(rejected).toHaveLength(20);
      for (const reason of rejected) expect(reason).toBeInstanceOf(TransactionCanceledException);
      const counter = await documents.send(
        new GetCommand({ TableName: TABLE, Key: { tenant: 'acme', id: 'counter' } }),
      );
      expect(counter.Item).toEqual({ tenant: 'acme', id: 'counter', count: 10 });
      const counted = await Promise.all(
        Array.from({ length: 30 }, (_, attempt) => stored(`counted-${attempt}`)),
      );
      expect(counted.filter((found) => found !== undefined)).toHaveLength(10);
    });

    it('loses no increment of parallel transactions to the rollback of failing ones', async () => {
      await put(item('shared', 0));
      await put(item('gate', 0));

      // Every other transaction fails its check after raising the counter: undoing that
      // must not put back an image older than the others' increments.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, attempt) =>
          transact([
            {
              Update: {
                TableName: TABLE,
                Key: key('shared'),
                UpdateExpression: 'ADD #count :one',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
            {
              ConditionCheck: {
                TableName: TABLE,
                Key: key('gate'),
                ConditionExpression: '#count = :open',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':open': { N: String(attempt % 2) } },
              },
            },
          ]),
        ),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(15);
      await expect(stored('shared')).resolves.toEqual(item('shared', 15));
    });

    it('rejects two actions on one item as DynamoDB does', async () => {
      await put(item('twice', 1));

      await expect(
        transact([
          { Put: { TableName: TABLE, Item: item('twice', 2) } },
          {
            ConditionCheck: {
              TableName: TABLE,
              Key: key('twice'),
              ConditionExpression: 'attribute_exists(id)',
            },
          },
        ]),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Transaction request cannot include multiple operations on one item',
      });
      await expect(stored('twice')).resolves.toEqual(item('twice', 1));
    });

    it('rejects an empty list and more than 100 actions', async () => {
      await expect(transact([])).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('Member must have length greater than or equal to 1'),
      });
      const many = Array.from({ length: 101 }, (_, index) => ({
        Put: { TableName: TABLE, Item: item(`many-${index}`, 1) },
      }));
      await expect(transact(many)).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('Member must have length less than or equal to 100'),
      });
      await expect(stored('many-0')).resolves.toBeUndefined();
    });

    it('rejects an entry naming two actions or none', async () => {
      const message = 'TransactItems can only contain one of Check, Put, Update or Delete';
      await expect(
        transact([
          {
            Put: { TableName: TABLE, Item: item('both', 1) },
            Delete: { TableName: TABLE, Key: key('both') },
          },
        ]),
      ).rejects.toMatchObject({ name: 'ValidationException', message });
      await expect(transact([{}])).rejects.toMatchObject({ name: 'ValidationException', message });
      await expect(stored('both')).resolves.toBeUndefined();
    });

    it('still runs after the emulator is stopped and started again', async () => {
      await emulator.stop();
      await emulator.start();
      const fresh = dynamoDbClientFor(emulator.endpoint, { maxAttempts: 1 });
      try {
        await fresh.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: TABLE, Item: item('after-restart', 1) } }],
          }),
        );
      } finally {
        fresh.destroy();
      }
      await expect(stored('after-restart')).resolves.toEqual(item('after-restart', 1));
    });

    it('answers ResourceNotFoundException for a table that does not exist', async () => {
      await expect(
        transact([{ Put: { TableName: 'tap-missing-table', Item: item('nowhere', 1) } }]),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });
  });

  describe('TransactGetItems', () => {
    it('reads the items in order, an empty response for a missing one', async () => {
      await put(item('read-one', 1));
      await put({ ...item('read-two', 2), note: { S: 'kept out' } });

      const { Responses } = await client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            {
              Get: {
                TableName: TABLE,
                Key: key('read-two'),
                ProjectionExpression: 'id, #count',
                ExpressionAttributeNames: { '#count': 'count' },
              },
            },
            { Get: { TableName: TABLE, Key: key('read-missing') } },
            { Get: { TableName: TABLE, Key: key('read-one') } },
          ],
        }),
      );

      expect(Responses).toEqual([
        { Item: { id: { S: 'read-two' }, count: { N: '2' } } },
        {},
        { Item: item('read-one', 1) },
      ]);
    });

    it('rejects two reads of one item', async () => {
      await expect(
        client.send(
          new TransactGetItemsCommand({
            TransactItems: [
              { Get: { TableName: TABLE, Key: key('read-one') } },
              { Get: { TableName: TABLE, Key: key('read-one') } },
            ],
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Transaction request cannot include multiple operations on one item',
      });
    });
  });
});
