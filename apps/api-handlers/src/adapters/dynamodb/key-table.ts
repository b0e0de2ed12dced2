/**
 * The machine key store with its DynamoDB client: the chunk the authorizer imports on its
 * first machine key (see `lazy-machine-key-store.ts`).
 */
import type { MachineKeyStore } from '../../core/credentials';
import { createDocumentClient } from '../aws/dynamodb-client';
import { createDynamoDbMachineKeyStore } from './dynamodb-machine-key-store';

/** Options of {@link createKeyTableStore}. */
export interface KeyTableStoreOptions {
  readonly tableName: string;
  /** Wraps the client (the function's tracing). */
  readonly instrumentClient: <Client extends object>(client: Client) => Client;
}

/** The key store on a new document client. */
export function createKeyTableStore(options: KeyTableStoreOptions): MachineKeyStore {
  return createDynamoDbMachineKeyStore({
    client: options.instrumentClient(createDocumentClient()),
    tableName: options.tableName,
  });
}
