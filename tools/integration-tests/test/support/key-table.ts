/**
 * The target's key table in a test's hands, for what `Target.machineKey` does not offer:
 * keys with an expiry, and rotations. Every key issued through it (successors included) is
 * revoked again by `close()`, as the target revokes its own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createMachineKey,
  revokeMachineKey,
  rotateMachineKey,
  type IssuedMachineKey,
  type KeyTable,
  type NewMachineKey,
} from '@tap/local-cloud';
import { TAP_REGION, type MachineKeyRecord } from '@tap/contracts';
import { dynamoDbDocumentClientFor } from '@tap/test-support';
import type { Target } from './target';

/** A key table the test issues keys in. */
export interface TestKeyTable {
  readonly table: KeyTable;
  /** Issues a key, as the `keys` command does. */
  create(request: NewMachineKey): Promise<IssuedMachineKey>;
  /** Rotates a key, as the `keys rotate` command does. */
  rotate(
    keyId: string,
    overlapSeconds: number,
    now?: Date,
  ): Promise<{ readonly successor: IssuedMachineKey; readonly predecessor: MachineKeyRecord }>;
  /** Revokes every key issued here and closes the connection. */
  close(): Promise<void>;
}

/** Opens the target's key table: the local cloud's emulator, or the deployed stack's table. */
export function openKeyTable(target: Target): TestKeyTable {
  const client = target.cloud
    ? dynamoDbDocumentClientFor(target.cloud.outputs.DynamoDbEndpoint)
    : DynamoDBDocumentClient.from(
        new DynamoDBClient({ region: process.env.AWS_REGION ?? TAP_REGION }),
      );
  const table: KeyTable = { client, tableName: target.outputs.KeyTableName };
  const issued: string[] = [];
  return {
    table,
    async create(request) {
      const key = await createMachineKey(table, request);
      issued.push(key.record.keyId);
      return key;
    },
    async rotate(keyId, overlapSeconds, now) {
      const rotated = await rotateMachineKey(table, keyId, overlapSeconds, now);
      issued.push(rotated.successor.record.keyId);
      return rotated;
    },
    async close() {
      try {
        await Promise.all(issued.map((keyId) => revokeMachineKey(table, keyId)));
      } finally {
        client.destroy();
      }
    },
  };
}
