/**
 * {@link FileRecordStore} on two DynamoDB tables: the records in the file table
 * (`FILE_TABLE_SCHEMA`: partition `itemKey` = `fileRecordPartition(tenant, itemId)`, sort key
 * `fileId`), the counters on the item's row in the data table. A grant and a removal each
 * change both in one `TransactWriteItems`, so the counters are always the sum of the records.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DATA_TABLE_SCHEMA,
  FILE_TABLE_SCHEMA,
  fileRecordPartition,
  type FileContentType,
  type FileStatus,
} from '@tap/contracts';
import {
  FileLimitExceededError,
  ItemNotFoundError,
  ItemStorageExceededError,
  TransactionContentionError,
} from '../../core/errors';
import type {
  FileGrant,
  FileKey,
  FileRecord,
  FileRecordPage,
  FileRecordStore,
  ItemFileState,
} from '../../core/file-record-store';
import { translateDependencyFailures } from '../aws/dependency-failure';
import { ITEM_DELETING, ITEM_FILE_BYTES, ITEM_FILE_COUNT } from './item-record';

/** Dependencies of {@link createDynamoDbFileRecordStore}. */
export interface DynamoDbFileRecordStoreOptions {
  readonly client: DynamoDBDocumentClient;
  /** The data table, whose item rows hold the file counters. */
  readonly tableName: string;
  /** The file record table. */
  readonly fileTableName: string;
}

/** Records deleted at once while an item is deleted. */
const FORGET_CONCURRENCY = 10;

const ITEM_KEY = FILE_TABLE_SCHEMA.partitionKey.name;
const FILE_ID = FILE_TABLE_SCHEMA.sortKey.name;
const TENANT = DATA_TABLE_SCHEMA.partitionKey.name;
const ID = DATA_TABLE_SCHEMA.sortKey.name;

const recordKey = (tenant: string, itemId: string, fileId: string): Record<string, string> => ({
  [ITEM_KEY]: fileRecordPartition(tenant, itemId),
  [FILE_ID]: fileId,
});

const itemRowKey = (tenant: string, itemId: string): Record<string, string> => ({
  [TENANT]: tenant,
  [ID]: itemId,
});

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** The cancellation reasons of a cancelled transaction, one per action; `undefined` for any other error. */
function cancellationCodes(error: unknown): readonly (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: readonly { Code?: string }[] })
    .CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code);
}

/** Maps a stored record to the domain's, dropping the table's own attributes. */
function toRecord(stored: Record<string, unknown>): FileRecord {
  const { itemId, fileId, fileName, contentType, size, status, createdAt, uploadedAt, objectKey } =
    stored;
  if (
    typeof itemId !== 'string' ||
    typeof fileId !== 'string' ||
    typeof fileName !== 'string' ||
    typeof contentType !== 'string' ||
    typeof size !== 'number' ||
    (status !== 'pending' && status !== 'confirmed') ||
    typeof createdAt !== 'string' ||
    typeof objectKey !== 'string'
  ) {
    throw new Error('A stored file record is missing required fields');
  }
  return {
    itemId,
    fileId,
    fileName,
    contentType: contentType as FileContentType,
    size,
    status: status satisfies FileStatus,
    createdAt,
    ...(typeof uploadedAt === 'string' ? { uploadedAt } : {}),
    objectKey,
  };
}

/**
 * The FileRecordStore on DynamoDB: transient DynamoDB failures reach the core as
 * `DependencyUnavailableError` (see `translateDependencyFailures`).
 */
export function createDynamoDbFileRecordStore(
  options: DynamoDbFileRecordStoreOptions,
): FileRecordStore {
  return translateDependencyFailures('DynamoDB', buildFileRecordStore(options));
}

function buildFileRecordStore(options: DynamoDbFileRecordStoreOptions): FileRecordStore {
  const { client, tableName, fileTableName } = options;

  const readItemRow = async (
    tenant: string,
    itemId: string,
  ): Promise<Record<string, unknown> | undefined> =>
    (
      await client.send(
        new GetCommand({
          TableName: tableName,
          Key: itemRowKey(tenant, itemId),
          ConsistentRead: true,
        }),
      )
    ).Item;

  const get = async (
    tenant: string,
    itemId: string,
    fileId: string,
  ): Promise<FileRecord | undefined> => {
    const output = await client.send(
      new GetCommand({
        TableName: fileTableName,
        Key: recordKey(tenant, itemId, fileId),
        ConsistentRead: true,
      }),
    );
    return output.Item ? toRecord(output.Item) : undefined;
  };

  const counterOf = (row: Record<string, unknown>, name: string): number => {
    const value = row[name];
    return typeof value === 'number' ? value : 0;
  };

  return {
    async createFileUpload({ tenant, record, quotas, alongside }: FileGrant) {
      const { itemId, fileId, size } = record;
      // A file larger than the whole allowance can never fit; no write needed to know.
      if (size > quotas.maxBytesPerItem) throw new ItemStorageExceededError(quotas.maxBytesPerItem);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                // The item's counters, guarded: the item is there and not being deleted, and
                // the new file fits both caps (counters start at zero on an item's first grant).
                Update: {
                  TableName: tableName,
                  Key: itemRowKey(tenant, itemId),
                  UpdateExpression:
                    'SET #count = if_not_exists(#count, :zero) + :one, #bytes = if_not_exists(#bytes, :zero) + :size',
                  ConditionExpression:
                    'attribute_exists(#id) AND attribute_not_exists(#deleting)' +
                    ' AND (attribute_not_exists(#count) OR #count < :maxFiles)' +
                    ' AND (attribute_not_exists(#bytes) OR #bytes <= :maxBytesBefore)',
                  ExpressionAttributeNames: {
                    '#id': ID,
                    '#deleting': ITEM_DELETING,
                    '#count': ITEM_FILE_COUNT,
                    '#bytes': ITEM_FILE_BYTES,
                  },
                  ExpressionAttributeValues: {
                    ':zero': 0,
                    ':one': 1,
                    ':size': size,
                    ':maxFiles': quotas.maxFilesPerItem,
                    ':maxBytesBefore': quotas.maxBytesPerItem - size,
                  },
                },
              },
              {
                Put: {
                  TableName: fileTableName,
                  Item: { ...record, ...recordKey(tenant, itemId, fileId) },
                  ConditionExpression: 'attribute_not_exists(#fileId)',
                  ExpressionAttributeNames: { '#fileId': FILE_ID },
                },
              },
              ...(alongside?.entries ?? []),
            ],
          }),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (codes.includes('TransactionConflict')) throw new TransactionContentionError(itemId);
        if (codes[0] !== 'ConditionalCheckFailed') throw error;
        // Which rule did the grant break? Read the item as it is now and tell them apart.
        const row = await readItemRow(tenant, itemId);
        if (!row || row[ITEM_DELETING] !== undefined) throw new ItemNotFoundError(itemId);
        if (counterOf(row, ITEM_FILE_COUNT) >= quotas.maxFilesPerItem) {
          throw new FileLimitExceededError(quotas.maxFilesPerItem);
        }
        if (counterOf(row, ITEM_FILE_BYTES) + size > quotas.maxBytesPerItem) {
          throw new ItemStorageExceededError(quotas.maxBytesPerItem);
        }
        // A file was removed between the write and the read: it would fit now. Nothing was
        // written; the client's retry succeeds.
        throw new TransactionContentionError(itemId);
      }
      alongside?.committed();
    },

    async list(tenant, itemId, limit, startKey): Promise<FileRecordPage> {
      const output = await client.send(
        new QueryCommand({
          TableName: fileTableName,
          KeyConditionExpression: '#itemKey = :itemKey',
          ExpressionAttributeNames: { '#itemKey': ITEM_KEY },
          ExpressionAttributeValues: { ':itemKey': fileRecordPartition(tenant, itemId) },
          Limit: limit,
          ...(startKey ? { ExclusiveStartKey: recordKey(tenant, itemId, startKey.fileId) } : {}),
        }),
      );
      const lastId = output.LastEvaluatedKey?.[FILE_ID];
      return {
        files: (output.Items ?? []).map(toRecord),
        ...(typeof lastId === 'string' ? { lastKey: { fileId: lastId } satisfies FileKey } : {}),
      };
    },

    get,

    async itemState(tenant, itemId): Promise<ItemFileState> {
      const row = await readItemRow(tenant, itemId);
      if (!row) return 'missing';
      return row[ITEM_DELETING] === undefined ? 'active' : 'deleting';
    },

    async confirm(tenant, itemId, fileId, uploadedAt) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: fileTableName,
            Key: recordKey(tenant, itemId, fileId),
            UpdateExpression: 'SET #status = :confirmed, #uploadedAt = :uploadedAt',
            ConditionExpression: 'attribute_exists(#fileId) AND #status = :pending',
            ExpressionAttributeNames: {
              '#fileId': FILE_ID,
              '#status': 'status',
              '#uploadedAt': 'uploadedAt',
            },
            ExpressionAttributeValues: {
              ':confirmed': 'confirmed' satisfies FileStatus,
              ':pending': 'pending' satisfies FileStatus,
              ':uploadedAt': uploadedAt,
            },
          }),
        );
        return 'confirmed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A redelivered event finds it confirmed already; a deleted file finds nothing.
        const current = await get(tenant, itemId, fileId);
        return current ? 'already-confirmed' : 'missing';
      }
    },

    async remove(tenant, itemId, fileId) {
      const record = await get(tenant, itemId, fileId);
      if (!record) return false;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: fileTableName,
                  Key: recordKey(tenant, itemId, fileId),
                  ConditionExpression: 'attribute_exists(#fileId)',
                  ExpressionAttributeNames: { '#fileId': FILE_ID },
                },
              },
              {
                // Released on the item's row only if it is there: an Update would create one.
                Update: {
                  TableName: tableName,
                  Key: itemRowKey(tenant, itemId),
                  UpdateExpression: 'SET #count = #count - :one, #bytes = #bytes - :size',
                  ConditionExpression:
                    'attribute_exists(#id) AND attribute_exists(#count) AND attribute_exists(#bytes)',
                  ExpressionAttributeNames: {
                    '#id': ID,
                    '#count': ITEM_FILE_COUNT,
                    '#bytes': ITEM_FILE_BYTES,
                  },
                  ExpressionAttributeValues: { ':one': 1, ':size': record.size },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (codes.includes('TransactionConflict')) throw new TransactionContentionError(itemId);
        // Removed by someone else meanwhile.
        if (codes[0] === 'ConditionalCheckFailed') return false;
        if (codes[1] !== 'ConditionalCheckFailed') throw error;
      }
      // The item's row is gone: there are no counters to release, only the record.
      try {
        await client.send(
          new DeleteCommand({
            TableName: fileTableName,
            Key: recordKey(tenant, itemId, fileId),
            ConditionExpression: 'attribute_exists(#fileId)',
            ExpressionAttributeNames: { '#fileId': FILE_ID },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async forget(tenant, itemId, fileIds) {
      for (let start = 0; start < fileIds.length; start += FORGET_CONCURRENCY) {
        await Promise.all(
          fileIds.slice(start, start + FORGET_CONCURRENCY).map((fileId) =>
            client.send(
              new DeleteCommand({
                TableName: fileTableName,
                Key: recordKey(tenant, itemId, fileId),
              }),
            ),
          ),
        );
      }
    },
  };
}
