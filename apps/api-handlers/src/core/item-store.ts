/**
 * The item store port: what the routes need from persistence, in domain terms. The
 * DynamoDB adapter implements it; conditional-write failures come back as domain errors.
 */
import type { Item, UpdateItemRequest } from '@tap/contracts';
import type { ItemKey } from './cursor';
import type { Precondition } from './if-match';

/** One page of a scan. */
export interface StoredItemPage {
  readonly items: readonly Item[];
  /** Where the next page starts; absent when the scan is complete. */
  readonly lastKey?: ItemKey;
}

/** Persistence of items. */
export interface ItemStore {
  /** Writes a new item; fails if the id is taken. */
  create(item: Item): Promise<void>;

  /** Reads an item, or `undefined` when there is none. */
  get(id: string): Promise<Item | undefined>;

  /** Reads up to `limit` items, starting after `startKey`. */
  list(limit: number, startKey: ItemKey | undefined): Promise<StoredItemPage>;

  /**
   * Applies a merge patch in one conditional write, bumping the version.
   *
   * @throws ItemNotFoundError, PreconditionFailedError, AttributeLimitExceededError,
   * UpdateContentionError.
   */
  update(
    id: string,
    patch: UpdateItemRequest,
    precondition: Precondition,
    now: string,
  ): Promise<Item>;

  /**
   * Deletes an item.
   *
   * @throws ItemNotFoundError, PreconditionFailedError.
   */
  delete(id: string, precondition: Precondition): Promise<void>;
}
