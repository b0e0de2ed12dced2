/**
 * Handlers of the item operations. Each one is thin: read the validated request, apply
 * the rules the schema cannot state, call the store, shape the answer. Every store call
 * names the caller's tenant (`principal.tenant`, from the authorizer): another tenant's item
 * is, to this caller, one that does not exist.
 */
import type { FunctionLogger } from '@tap/lambda-runtime';
import type { CreateItemRequest, Item, ItemPage } from '@tap/contracts';
import { DEFAULT_PAGE_SIZE } from '@tap/contracts';
import type { CursorCodec } from '../../core/cursor';
import type { FileStore } from '../../core/file-store';
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
  readonly files: Pick<FileStore, 'deleteAllFiles'>;
  /** The cursor codec for the current signing key; called only when a list needs it. */
  readonly cursorCodec: () => Promise<CursorCodec>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly logger: Pick<FunctionLogger, 'warn'>;
}

const itemLocation = (id: string): string => `/api/items/${id}`;

/** Creates the item route handlers. */
export function createItemRoutes(deps: ItemRoutesDependencies): ItemRoutes {
  const { items, files } = deps;

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
      const precondition = parseIfMatch(headers['If-Match']);
      try {
        await items.delete(tenant, path.id, precondition);
      } catch (error) {
        if (error instanceof ItemNotFoundError) {
          // A DELETE whose file cleanup failed earlier may be retried after the item is
          // gone, and a presigned upload may land after the item was deleted: sweep the
          // prefix anyway so such files do not linger. The answer stays 404.
          await files.deleteAllFiles(tenant, path.id).catch((cleanupError: unknown) => {
            deps.logger.warn('could not sweep files of a missing item', { error: cleanupError });
          });
        }
        throw error;
      }
      await files.deleteAllFiles(tenant, path.id);
      return noContent();
    },
  };
}
