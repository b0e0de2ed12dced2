/**
 * The data table's key and capacity: what the stack creates in AWS and what the local cloud
 * and the tests create on the DynamoDB emulator. Written once here so an emulated table
 * cannot drift from the deployed one (an emulator keyed differently would accept items the
 * real table refuses).
 */

/** A DynamoDB scalar attribute type, as the DynamoDB API spells it. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** The data table's shape; every item is found by its `id`. */
export interface DataTableSchema {
  /** The partition (hash) key; the table has no sort key. */
  readonly partitionKey: { readonly name: string; readonly type: KeyAttributeType };
  /** On demand: an idle environment costs nothing. */
  readonly billingMode: 'PAY_PER_REQUEST';
}

/** The data table's shape: one item per string `id`, on demand. */
export const DATA_TABLE_SCHEMA = {
  partitionKey: { name: 'id', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
} as const satisfies DataTableSchema;
