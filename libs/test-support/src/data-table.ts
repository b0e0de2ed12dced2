import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DATA_TABLE_SCHEMA, KEY_TABLE_SCHEMA, type TableSchema } from '@tap/contracts';
import { dynamoDbClientFor } from './emulator-clients';

/** How long {@link ensureTable} waits for a created table to become ACTIVE. */
const ACTIVE_WAIT = { attempts: 50, intervalMs: 20 } as const;

/** `CreateTable`'s input for a table named `tableName` shaped as `schema` says. */
export function tableCreateInput(tableName: string, schema: TableSchema): CreateTableCommandInput {
  const { partitionKey, sortKey, billingMode } = schema;
  const keys = sortKey ? [partitionKey, sortKey] : [partitionKey];
  return {
    TableName: tableName,
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key, index) => ({
      AttributeName: key.name,
      KeyType: index === 0 ? 'HASH' : 'RANGE',
    })),
    BillingMode: billingMode,
  };
}

/** `CreateTable`'s input for a table named `tableName` shaped as the stack's data table. */
export const dataTableCreateInput = (tableName: string): CreateTableCommandInput =>
  tableCreateInput(tableName, DATA_TABLE_SCHEMA);

/** Creates the data table unless it exists (see {@link ensureTable}). */
export const ensureDataTable = (endpoint: string, tableName: string): Promise<void> =>
  ensureTable(endpoint, tableName, DATA_TABLE_SCHEMA);

/** Creates the machine key table unless it exists (see {@link ensureTable}). */
export const ensureKeyTable = (endpoint: string, tableName: string): Promise<void> =>
  ensureTable(endpoint, tableName, KEY_TABLE_SCHEMA);

/**
 * Creates a table on the DynamoDB emulator at `endpoint` unless it exists (data survives a
 * restart of a persistent emulator), and resolves once it is ACTIVE.
 *
 * @throws Error when the table does not become ACTIVE within about a second.
 */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  schema: TableSchema,
): Promise<void> {
  const client = dynamoDbClientFor(endpoint);
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(tableCreateInput(tableName, schema)));
    // The emulator creates tables instantly; confirm before a handler uses it.
    for (let attempt = 0; attempt < ACTIVE_WAIT.attempts; attempt += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, ACTIVE_WAIT.intervalMs));
    }
    throw new Error(`Table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}
