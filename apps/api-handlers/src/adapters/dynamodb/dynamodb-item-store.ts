/**
 * {@link ItemStore} on a DynamoDB table keyed by `tenant` (partition) and `id` (sort),
 * `DATA_TABLE_SCHEMA`. Every key this store builds carries the caller's tenant, so no call
 * can reach another tenant's item; a list is a Query of one partition. Every write is
 * conditional; when a condition fails, a consistent read tells the caller which rule was
 * broken.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Item, UpdateItemRequest } from '@tap/contracts';
import type { CommitAlongside } from '../../core/commit-alongside';
import type { ItemKey } from '../../core/cursor';
import {
  AttributeLimitExceededError,
  DependencyUnavailableError,
  IdempotencyKeyInUseError,
  ItemNotFoundError,
  PreconditionFailedError,
  UpdateContentionError,
} from '../../core/errors';
import type { Precondition } from '../../core/if-match';
import type { ItemStore, StoredItemPage } from '../../core/item-store';
import { attributeChanges, mergedAttributeCount, planItemUpdate } from './item-update';
import { DATA_TABLE_SCHEMA, MAX_ATTRIBUTES } from '@tap/contracts';
import { translateDependencyFailures } from '../aws/dependency-failure';
import { ITEM_DELETING } from './item-record';

/** Dependencies of {@link createDynamoDbItemStore}. */
export interface DynamoDbItemStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Writes per update: the first, plus one retry pinned to the version a read checked. More
 * would let a hot item keep a request busy; the caller gets a retryable 503 instead.
 */
const MAX_UPDATE_ATTEMPTS = 2;

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Which actions of a cancelled transaction failed their condition, by index; `undefined`
 * when the error is not a cancelled transaction.
 */
function failedConditions(error: unknown): readonly boolean[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: readonly { Code?: string }[] })
    .CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed');
}

/** The error for an item id that is taken: ids are random UUIDs, so this is a bug. */
const idTaken = (id: string, cause: unknown): Error =>
  new Error(`An item with id ${id} already exists`, { cause });

const TENANT = DATA_TABLE_SCHEMA.partitionKey.name;
const ID = DATA_TABLE_SCHEMA.sortKey.name;

/** The table key of a tenant's item. */
const keyOf = (tenant: string, id: string): Record<string, string> => ({
  [TENANT]: tenant,
  [ID]: id,
});

/**
 * Maps a stored record to the contract's `Item`, dropping anything else the table holds
 * (the tenant among them: it is the caller's, and never part of an answer).
 */
function toItem(record: Record<string, unknown>): Item {
  const { id, name, description, tags, attributes, version, createdAt, updatedAt } = record;
  if (
    typeof id !== 'string' ||
    typeof name !== 'string' ||
    typeof version !== 'number' ||
    typeof createdAt !== 'string' ||
    typeof updatedAt !== 'string'
  ) {
    throw new Error('A stored item is missing required fields');
  }
  return {
    id,
    name,
    ...(typeof description === 'string' ? { description } : {}),
    tags: Array.isArray(tags) ? (tags as string[]) : [],
    attributes:
      typeof attributes === 'object' && attributes !== null
        ? (attributes as Item['attributes'])
        : {},
    version,
    createdAt,
    updatedAt,
  };
}

/**
 * The ItemStore on DynamoDB: transient DynamoDB failures reach the core as
 * `DependencyUnavailableError` (see `translateDependencyFailures`).
 */
export function createDynamoDbItemStore(options: DynamoDbItemStoreOptions): ItemStore {
  return translateDependencyFailures('DynamoDB', buildDynamoDbItemStore(options));
}

function buildDynamoDbItemStore(options: DynamoDbItemStoreOptions): ItemStore {
  const { client, tableName } = options;

  const read = async (
    tenant: string,
    id: string,
    consistent: boolean,
  ): Promise<Item | undefined> => {
    const output = await client.send(
      new GetCommand({ TableName: tableName, Key: keyOf(tenant, id), ConsistentRead: consistent }),
    );
    // An item being deleted is, to every caller, already gone.
    return output.Item && output.Item[ITEM_DELETING] === undefined
      ? toItem(output.Item)
      : undefined;
  };

  const expectedVersionOf = (precondition: Precondition): number | undefined =>
    precondition.kind === 'version' ? precondition.version : undefined;

  return {
    async create(tenant, item, alongside?: CommitAlongside) {
      const put = {
        TableName: tableName,
        Item: { ...item, ...keyOf(tenant, item.id) },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      };
      if (!alongside || alongside.entries.length === 0) {
        await client.send(new PutCommand(put));
        return;
      }
      try {
        await client.send(
          new TransactWriteCommand({ TransactItems: [{ Put: put }, ...alongside.entries] }),
        );
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.[0]) throw idTaken(item.id, error);
        if (failed?.some(Boolean)) throw new IdempotencyKeyInUseError({ cause: error });
        // Cancelled for another reason (a conflicting transaction on one of the items): it
        // may pass, and nothing was written.
        if (failed) throw new DependencyUnavailableError('DynamoDB', { cause: error });
        throw error;
      }
      alongside.committed();
    },

    get: (tenant, id) => read(tenant, id, false),

    async list(tenant, limit, startKey): Promise<StoredItemPage> {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#tenant = :tenant',
          // Items being deleted are left out; a page may then hold fewer than `limit`.
          FilterExpression: 'attribute_not_exists(#deleting)',
          ExpressionAttributeNames: { '#tenant': TENANT, '#deleting': ITEM_DELETING },
          ExpressionAttributeValues: { ':tenant': tenant },
          Limit: limit,
          ...(startKey ? { ExclusiveStartKey: keyOf(tenant, startKey.id) } : {}),
        }),
      );
      const lastId = output.LastEvaluatedKey?.[ID];
      return {
        items: (output.Items ?? []).map(toItem),
        ...(typeof lastId === 'string' ? { lastKey: { id: lastId } satisfies ItemKey } : {}),
      };
    },

    async update(tenant, id, patch: UpdateItemRequest, precondition, now) {
      const expectedVersion = expectedVersionOf(precondition);
      const changes = attributeChanges(patch);
      let pinnedVersion = expectedVersion;
      let guardAttributeCount = true;

      for (let attempt = 1; ; attempt += 1) {
        const plan = planItemUpdate(patch, {
          now,
          guardAttributeCount,
          ...(pinnedVersion === undefined ? {} : { expectedVersion: pinnedVersion }),
        });
        try {
          const output = await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keyOf(tenant, id),
              UpdateExpression: plan.updateExpression,
              ConditionExpression: `${plan.conditionExpression} AND attribute_not_exists(#deleting)`,
              ExpressionAttributeNames: { ...plan.names, '#deleting': ITEM_DELETING },
              ExpressionAttributeValues: plan.values,
              ReturnValues: 'ALL_NEW',
            }),
          );
          if (!output.Attributes) throw new Error('UpdateItem returned no attributes');
          return toItem(output.Attributes);
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }

        // Which condition failed? Read the item as it is now and tell the cases apart.
        const current = await read(tenant, id, true);
        if (!current) throw new ItemNotFoundError(id);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw new PreconditionFailedError(expectedVersion, current.version);
        }
        const count = mergedAttributeCount(Object.keys(current.attributes), changes);
        if (count > MAX_ATTRIBUTES) throw new AttributeLimitExceededError(MAX_ATTRIBUTES, count);
        if (attempt >= MAX_UPDATE_ATTEMPTS) throw new UpdateContentionError(id);
        // A false alarm: the keys set were overwrites, or the item changed in between. The
        // merge fits at the version just read, so pin that version instead of guarding size.
        pinnedVersion = current.version;
        guardAttributeCount = false;
      }
    },

    async beginDelete(tenant, id, precondition, now) {
      const expectedVersion = expectedVersionOf(precondition);
      // An item already being deleted passes whatever If-Match says: the delete was decided
      // and is only being finished. A new mark keeps the time of the first.
      const versionGuard =
        expectedVersion === undefined
          ? ''
          : ' AND (attribute_exists(#deleting) OR #version = :expectedVersion)';
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(tenant, id),
            UpdateExpression: 'SET #deleting = if_not_exists(#deleting, :now)',
            ConditionExpression: `attribute_exists(#id)${versionGuard}`,
            ExpressionAttributeNames: {
              '#id': ID,
              '#deleting': ITEM_DELETING,
              ...(expectedVersion === undefined ? {} : { '#version': 'version' }),
            },
            ExpressionAttributeValues: {
              ':now': now,
              ...(expectedVersion === undefined ? {} : { ':expectedVersion': expectedVersion }),
            },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const current = expectedVersion === undefined ? undefined : await read(tenant, id, true);
        if (!current || expectedVersion === undefined) throw new ItemNotFoundError(id);
        throw new PreconditionFailedError(expectedVersion, current.version);
      }
    },

    async finishDelete(tenant, id) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keyOf(tenant, id),
            // Only a row marked for deletion: never an item some request brought back.
            ConditionExpression: 'attribute_exists(#deleting)',
            ExpressionAttributeNames: { '#deleting': ITEM_DELETING },
          }),
        );
      } catch (error) {
        // Already gone: a concurrent DELETE finished first, and answered 204 for it.
        if (!isConditionFailure(error)) throw error;
        throw new ItemNotFoundError(id);
      }
    },
  };
}
