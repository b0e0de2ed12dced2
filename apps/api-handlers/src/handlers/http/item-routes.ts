/**
 * Handlers of the item operations. Each one is thin: read the validated request, apply
 * the rules the schema cannot state, call the store, shape the answer. Every store call
 * names the caller's tenant (`principal.tenant`, from the authorizer): another tenant's item
 * is, to this caller, one that does not exist.
 */
import type { CreateItemRequest, Item, ItemPage } from '@tap/contracts';
import { DEFAULT_PAGE_SIZE } from '@tap/contracts';
import type { CursorCodec } from '../../core/cursor';
import type { FileKey, FileRecordStore } from '../../core/file-record-store';
import type { FileStore } from '../../core/file-store';
import { itemPrefix } from '../../core/object-keys';
import type { ApiRoutes } from './operations';
import { created, noContent, ok, storedResponse } from './responses';
import { ItemNotFoundError } from '../../core/errors';
import { assertStorableAttributes } from '../../core/attribute-rules';
import { etagOf, parseIfMatch } from '../../core/if-match';
import type { ItemStore } from '../../core/item-store';

/** The item operations. */
export type ItemRoutes = Pick<
  ApiRoutes,
  'createItem' | 'listItems' | 'getItem' | 'updateItem' | 'deleteItem'
>;

/** Dependencies of {@link createItemRoutes}. */
export interface ItemRoutesDependencies {
  readonly items: ItemStore;
  readonly records: Pick<FileRecordStore, 'list' | 'forget'>;
  readonly files: Pick<FileStore, 'deleteObjects' | 'deletePrefix'>;
  /** The cursor codec for the current signing key; called only when a list needs it. */
  readonly cursorCodec: () => Promise<CursorCodec>;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** File records removed per page while an item is deleted (DeleteObjects takes up to 1000). */
const DELETE_PAGE_SIZE = 100;

const itemLocation = (id: string): string => `/api/items/${id}`;

/** Creates the item route handlers. */
export function createItemRoutes(deps: ItemRoutesDependencies): ItemRoutes {
  const { items, records, files } = deps;

  /**
   * Removes every file of an item being deleted: a page of records at a time, objects first
   * (so a failure leaves records that a repeated DELETE finds again), then the records; then
   * whatever is left under the item's prefix (an upload that landed meanwhile).
   */
  const removeFiles = async (tenant: string, itemId: string): Promise<void> => {
    let startKey: FileKey | undefined;
    do {
      const page = await records.list(tenant, itemId, DELETE_PAGE_SIZE, startKey);
      if (page.files.length > 0) {
        await files.deleteObjects(page.files.map((file) => file.objectKey));
        await records.forget(
          tenant,
          itemId,
          page.files.map((file) => file.fileId),
        );
      }
      startKey = page.lastKey;
    } while (startKey);
    await files.deletePrefix(itemPrefix(tenant, itemId));
  };

  return {
    async createItem({ principal, body, idempotency }) {
      const request: CreateItemRequest = body;
      assertStorableAttributes(request.attributes, '/body/attributes');
      const timestamp = deps.now().toISOString();
      const item: Item = {
        id: deps.newId(),
        name: request.name,
        ...(request.description === undefined ? {} : { description: request.description }),
        tags: request.tags ?? [],
        attributes: request.attributes ?? {},
        version: 1,
        createdAt: timestamp,
        updatedAt: timestamp,
      };
      const response = created(item, {
        location: itemLocation(item.id),
        etag: etagOf(item.version),
      });
      // A keyed request's answer commits with the item: a retry can never find one without
      // the other.
      await items.create(principal.tenant, item, idempotency?.alongside(storedResponse(response)));
      return response;
    },

    async listItems({ principal, query }) {
      // The signing key is needed only to read a cursor or issue one; fetch it lazily so a
      // single-page listing without a cursor never waits on Secrets Manager.
      let codec: CursorCodec | undefined;
      const cursorCodec = async (): Promise<CursorCodec> => (codec ??= await deps.cursorCodec());
      const { tenant } = principal;
      const startKey =
        query.cursor === undefined ? undefined : (await cursorCodec()).decode(query.cursor, tenant);
      const page = await items.list(tenant, query.limit ?? DEFAULT_PAGE_SIZE, startKey);
      const body: ItemPage = {
        items: [...page.items],
        ...(page.lastKey ? { nextCursor: (await cursorCodec()).encode(page.lastKey, tenant) } : {}),
      };
      return ok(body);
    },

    async getItem({ principal, path }) {
      const item = await items.get(principal.tenant, path.id);
      if (!item) throw new ItemNotFoundError(path.id);
      return ok(item, { etag: etagOf(item.version) });
    },

    async updateItem({ principal, path, headers, body }) {
      const precondition = parseIfMatch(headers['If-Match']);
      assertStorableAttributes(body.attributes, '/body/attributes');
      const item = await items.update(
        principal.tenant,
        path.id,
        body,
        precondition,
        deps.now().toISOString(),
      );
      return ok(item, { etag: etagOf(item.version) });
    },

    async deleteItem({ principal, path, headers }) {
      const { tenant } = principal;
      // From here on the item reads as missing and takes no new file. A failure below leaves
      // it so; a repeated DELETE (with or without If-Match) carries on where this one stopped.
      await items.beginDelete(
        tenant,
        path.id,
        parseIfMatch(headers['If-Match']),
        deps.now().toISOString(),
      );
      await removeFiles(tenant, path.id);
      await items.finishDelete(tenant, path.id);
      return noContent();
    },
  };
}
