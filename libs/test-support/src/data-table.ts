import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DATA_TABLE_SCHEMA } from '@tap/contracts';
import { dynamoDbClientFor } from './emulator-clients';

/** How long {@link ensureDataTable} waits for a created table to become ACTIVE. */
const ACTIVE_WAIT = { attempts: 50, intervalMs: 20 } as const;

/** `CreateTable`'s input for a table named `tableName` shaped as the stack's data table. */
export function dataTableCreateInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, billingMode } = DATA_TABLE_SCHEMA;
  return {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: partitionKey.name, AttributeType: partitionKey.type }],
    KeySchema: [{ AttributeName: partitionKey.name, KeyType: 'HASH' }],
    BillingMode: billingMode,
  };
}

/**
 * Creates the data table on the DynamoDB emulator at `endpoint` unless it exists (data
 * survives a restart of a persistent emulator), and resolves once it is ACTIVE.
 *
 * @throws Error when the table does not become ACTIVE within about a second.
 */
export async function ensureDataTable(endpoint: string, tableName: string): Promise<void> {
  const client = dynamoDbClientFor(endpoint);
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(dataTableCreateInput(tableName)));
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
