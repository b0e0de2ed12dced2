/**
 * {@link MachineKeyStore} on the key table (`KEY_TABLE_SCHEMA`): one GetItem per key id.
 * Eventually consistent reads suffice: a revocation reaches them within a second, far
 * inside the revocation bound, at half the cost of a strongly consistent read.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  isAssignableTenant,
  KEY_TABLE_SCHEMA,
  parseMachineKeyRecord,
  SCOPES,
} from '@tap/contracts';
import type { MachineKeyStore } from '../../core/credentials';

/** Dependencies of {@link createDynamoDbMachineKeyStore}. */
export interface DynamoDbMachineKeyStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Creates the store. */
export function createDynamoDbMachineKeyStore(
  options: DynamoDbMachineKeyStoreOptions,
): MachineKeyStore {
  const { client, tableName } = options;
  return {
    async find(keyId) {
      const output = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { [KEY_TABLE_SCHEMA.partitionKey.name]: keyId },
        }),
      );
      if (!output.Item) return undefined;
      const record = parseMachineKeyRecord(output.Item, SCOPES);
      // A record naming a malformed tenant would put its data under a key no route builds;
      // one naming a personal tenant (`user-…`) would reach into a user's own data; one
      // naming no client would make a principal without a subject, which the API refuses.
      return record && isAssignableTenant(record.tenant) && record.client.length > 0
        ? record
        : undefined;
    },
  };
}
