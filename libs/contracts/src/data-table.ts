/**
 * The tables' keys and capacity: what the stack creates in AWS and what the local cloud and
 * the tests create on the DynamoDB emulator. Written once here so an emulated table cannot
 * drift from the deployed one (an emulator keyed differently would accept items the real
 * table refuses).
 */

/** A DynamoDB scalar attribute type, as the DynamoDB API spells it. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** One key attribute. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** A table's shape. */
export interface TableSchema {
  /** The partition (hash) key. */
  readonly partitionKey: KeyAttribute;
  /** The sort (range) key, when the table has one. */
  readonly sortKey?: KeyAttribute;
  /** On demand: an idle environment costs nothing. */
  readonly billingMode: 'PAY_PER_REQUEST';
  /** The attribute DynamoDB's time to live reads (epoch seconds), when records expire. */
  readonly timeToLiveAttribute?: string;
}

/**
 * The data table: every item under its tenant. The tenant is the partition key, so a list
 * is a Query of one tenant's items (never a Scan) and no page can hold another tenant's;
 * the item `id` is the sort key.
 */
export const DATA_TABLE_SCHEMA = {
  partitionKey: { name: 'tenant', type: 'S' },
  sortKey: { name: 'id', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
} as const satisfies TableSchema;

/** The key table: one machine key per `keyId`, so the authorizer's lookup is one GetItem. */
export const KEY_TABLE_SCHEMA = {
  partitionKey: { name: 'keyId', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
} as const satisfies TableSchema;

/**
 * The file table: one record per file, from the upload grant (`pending`) to its deletion.
 * The partition is the item's (`fileRecordPartition`), so an item's files are one Query,
 * paged in `fileId` order, and no page can hold another item's or another tenant's.
 */
export const FILE_TABLE_SCHEMA = {
  partitionKey: { name: 'itemKey', type: 'S' },
  sortKey: { name: 'fileId', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
} as const satisfies TableSchema;

/** The file table's partition key value of an item: `<tenant>#<item id>`. */
export const fileRecordPartition = (tenant: string, itemId: string): string =>
  `${tenant}#${itemId}`;

/**
 * The idempotency table: Powertools Idempotency's records (partition key `id`, its
 * default), which DynamoDB removes after they expire (`expiration`, epoch seconds).
 */
export const IDEMPOTENCY_TABLE_SCHEMA = {
  partitionKey: { name: 'id', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expiration',
} as const satisfies TableSchema;
