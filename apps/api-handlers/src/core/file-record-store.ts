/**
 * The file record port: one record per file, from the upload grant (`pending`) until the
 * file is deleted, and the item's file counters that the caps are checked against. The
 * DynamoDB adapter implements it; every write that touches a record and the counters is
 * one transaction, so the counters never disagree with the records.
 */
import type { FileContentType, FileQuotas, FileStatus } from '@tap/contracts';
import type { CommitAlongside } from './commit-alongside';

/** A file, as its record holds it. */
export interface FileRecord {
  readonly itemId: string;
  readonly fileId: string;
  /** The original name as given at grant time. */
  readonly fileName: string;
  readonly contentType: FileContentType;
  /** The granted size in bytes; the upload must have exactly this size. */
  readonly size: number;
  readonly status: FileStatus;
  /** ISO timestamp of the grant. */
  readonly createdAt: string;
  /** ISO timestamp of the confirmation; absent while pending. */
  readonly uploadedAt?: string;
  /** Where the bytes go (the object key); only the server builds it. */
  readonly objectKey: string;
}

/** Where a list of an item's files continues. */
export interface FileKey {
  readonly fileId: string;
}

/** One page of an item's file records, in `fileId` order. */
export interface FileRecordPage {
  readonly files: readonly FileRecord[];
  /** Where the next page starts; absent on the last page. */
  readonly lastKey?: FileKey;
}

/** A grant to record: the new file, the caps it is checked against, and writes to commit with it. */
export interface FileGrant {
  readonly tenant: string;
  /** The new record; `status` must be `pending`. */
  readonly record: FileRecord;
  readonly quotas: FileQuotas;
  /** Written in the same transaction (an idempotent request's completion), if any. */
  readonly alongside?: CommitAlongside;
}

/** The state of an item as the file records see it. */
export type ItemFileState = 'active' | 'deleting' | 'missing';

/** What confirming an upload found. */
export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'missing';

/**
 * Persistence of file records, each under its tenant's item: a record of another tenant's
 * item is, to the caller, one that does not exist.
 */
export interface FileRecordStore {
  /**
   * Records a pending file and counts it against the item's caps, all or nothing.
   *
   * @throws ItemNotFoundError (no such item, or it is being deleted), FileLimitExceededError,
   * ItemStorageExceededError, TransactionContentionError (retryable).
   */
  createFileUpload(grant: FileGrant): Promise<void>;

  /** Reads up to `limit` of an item's records, starting after `startKey`. */
  list(
    tenant: string,
    itemId: string,
    limit: number,
    startKey: FileKey | undefined,
  ): Promise<FileRecordPage>;

  /** Reads one record (strongly consistent), or `undefined`. */
  get(tenant: string, itemId: string, fileId: string): Promise<FileRecord | undefined>;

  /** Whether the item exists, is being deleted, or is gone (strongly consistent). */
  itemState(tenant: string, itemId: string): Promise<ItemFileState>;

  /** Marks a pending record confirmed; idempotent for a record already confirmed. */
  confirm(
    tenant: string,
    itemId: string,
    fileId: string,
    uploadedAt: string,
  ): Promise<ConfirmOutcome>;

  /**
   * Deletes a record and releases its share of the item's counters, in one transaction;
   * `false` when there was no record.
   *
   * @throws TransactionContentionError (retryable).
   */
  remove(tenant: string, itemId: string, fileId: string): Promise<boolean>;

  /**
   * Deletes records of an item that is being deleted, leaving its counters (the item's row
   * goes next). Records already gone are ignored.
   */
  forget(tenant: string, itemId: string, fileIds: readonly string[]): Promise<void>;
}
