/**
 * Writes that must commit in the same DynamoDB transaction as a store's own write, so the
 * two can never be seen apart: an item and the stored answer of the idempotent request that
 * created it, a file's record and the item's file counters.
 *
 * A store that accepts one puts `entries` in its `TransactWriteItems` next to its own
 * actions, and calls `committed()` once the transaction succeeded.
 */
// A type only, erased at build: the entries are DynamoDB's by nature, and naming the SDK's
// shape keeps the stores that send them from casting.
// eslint-disable-next-line no-restricted-imports
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One action of a `TransactWriteItems` call, as the document client takes it. */
export type TransactionEntry = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Writes to commit with a store's own, all or nothing. */
export interface CommitAlongside {
  /** The actions, each on an item of its own (a transaction may not touch one twice). */
  readonly entries: readonly TransactionEntry[];
  /** Told when the transaction committed, so the owner of the entries need not write them again. */
  committed(): void;
}

/** The completion of an idempotent request, committed alongside the write it answers. */
export interface IdempotentCompletion {
  /**
   * The writes that record `response` as the answer to the request's key.
   *
   * @param response the HTTP response the route is about to answer with.
   */
  alongside(response: {
    readonly statusCode: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  }): CommitAlongside;
}
