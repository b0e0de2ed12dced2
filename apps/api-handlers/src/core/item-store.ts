/**
 * The item store port: what the routes need from persistence, in domain terms. The
 * DynamoDB adapter implements it; conditional-write failures come back as domain errors.
 */
import type { Item, UpdateItemRequest } from '@tap/contracts';
import type { CommitAlongside } from './commit-alongside';
import type { ItemKey } from './cursor';
import type { Precondition } from './if-match';

/** One page of a tenant's items. */
export interface StoredItemPage {
  readonly items: readonly Item[];
  /** Where the next page starts; absent on the last page. */
  readonly lastKey?: ItemKey;
}

/**
 * Persistence of items, each under its tenant. Every method takes the caller's tenant: an
 * item of another tenant is, to it, an item that does not exist. So is an item being
 * deleted (between {@link ItemStore.beginDelete} and {@link ItemStore.finishDelete}).
 */
export interface ItemStore {
  /**
   * Writes a new item; fails if the id is taken. With `alongside` (its entries non-empty),
   * the item and those entries commit in one transaction, all or nothing.
   *
   * @throws IdempotencyKeyInUseError when an entry of `alongside` fails its condition (the
   * idempotency record is no longer this request's); nothing is written.
   */
  create(tenant: string, item: Item, alongside?: CommitAlongside): Promise<void>;

  /** Reads an item, or `undefined` when there is none. */
  get(tenant: string, id: string): Promise<Item | undefined>;

  /** Reads up to `limit` of the tenant's items, starting after `startKey`. */
  list(tenant: string, limit: number, startKey: ItemKey | undefined): Promise<StoredItemPage>;

  /**
   * Applies a merge patch in one conditional write, bumping the version.
   *
   * @throws ItemNotFoundError, PreconditionFailedError, AttributeLimitExceededError,
   * UpdateContentionError.
   */
  update(
    tenant: string,
    id: string,
    patch: UpdateItemRequest,
    precondition: Precondition,
    now: string,
  ): Promise<Item>;

  /**
   * Marks an item as being deleted: from then on it reads as missing, and no file may be
   * granted for it. An item already being deleted passes (whatever `precondition` says), so
   * a repeated DELETE finishes what a failed one began.
   *
   * @throws ItemNotFoundError, PreconditionFailedError.
   */
  beginDelete(tenant: string, id: string, precondition: Precondition, now: string): Promise<void>;

  /**
   * Deletes the row of an item being deleted, once its files are gone.
   *
   * @throws ItemNotFoundError when the row is gone already (a concurrent DELETE finished it).
   */
  finishDelete(tenant: string, id: string): Promise<void>;
}
