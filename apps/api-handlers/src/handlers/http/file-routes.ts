/**
 * Handlers of the file operations: grants, lists, downloads and deletion. A file is its
 * record (`FileRecordStore`) from the grant until it is deleted; bytes never pass through
 * the function, S3 holds them under the key the record names.
 */
import type { FileDownload, FileList, FileQuotas, FileSummary, FileUpload } from '@tap/contracts';
import { DEFAULT_PAGE_SIZE } from '@tap/contracts';
import {
  FileNotFoundError,
  FileNotUploadedError,
  FileTooLargeError,
  ItemNotFoundError,
  ValidationError,
} from '../../core/errors';
import { fileListScope, type CursorCodec } from '../../core/cursor';
import type { FileRecord, FileRecordStore } from '../../core/file-record-store';
import type { ApiRoutes } from './operations';
import { created, noContent, ok, storedResponse } from './responses';
import type { ItemStore } from '../../core/item-store';
import type { FileStore } from '../../core/file-store';
import {
  fileNameFitsMetadata,
  fileObjectKey,
  isWellFormedName,
  MAX_USER_METADATA_BYTES,
} from '../../core/object-keys';

/** The file operations. */
export type FileRoutes = Pick<
  ApiRoutes,
  'createFileUpload' | 'listItemFiles' | 'getFileDownload' | 'deleteFile'
>;

/** Dependencies of {@link createFileRoutes}. */
export interface FileRoutesDependencies {
  readonly items: Pick<ItemStore, 'get'>;
  readonly records: FileRecordStore;
  readonly files: Pick<FileStore, 'presignUpload' | 'presignDownload' | 'deleteObjects'>;
  /** The cursor codec for the current signing key; called only when a list needs it. */
  readonly cursorCodec: () => Promise<CursorCodec>;
  /** Largest upload a URL is issued for, in bytes. */
  readonly maxUploadBytes: number;
  /** How much an item may hold. */
  readonly quotas: FileQuotas;
  readonly now: () => Date;
  /** A new file id for the grant's time (time-ordered: lists come oldest grant first). */
  readonly newFileId: (now: Date) => string;
}

const summary = (record: FileRecord): FileSummary => ({
  fileId: record.fileId,
  fileName: record.fileName,
  size: record.size,
  contentType: record.contentType,
  status: record.status,
  createdAt: record.createdAt,
  ...(record.uploadedAt === undefined ? {} : { uploadedAt: record.uploadedAt }),
});

/** Creates the file route handlers. */
export function createFileRoutes(deps: FileRoutesDependencies): FileRoutes {
  const { items, records, files } = deps;

  /** The tenant's item exists and is not being deleted; another tenant's is missing to this caller. */
  const assertItemExists = async (tenant: string, itemId: string): Promise<void> => {
    if (!(await items.get(tenant, itemId))) throw new ItemNotFoundError(itemId);
  };

  /** The caller's own record of the file of its own (live) item. */
  const findRecord = async (
    tenant: string,
    itemId: string,
    fileId: string,
  ): Promise<FileRecord> => {
    await assertItemExists(tenant, itemId);
    const record = await records.get(tenant, itemId, fileId);
    if (!record) throw new FileNotFoundError(itemId, fileId);
    return record;
  };

  return {
    async createFileUpload({ principal, path, body, idempotency }) {
      if (!isWellFormedName(body.fileName)) {
        throw new ValidationError([
          { path: '/body/fileName', message: 'must be valid Unicode (no lone surrogates)' },
        ]);
      }
      if (!fileNameFitsMetadata(body.fileName)) {
        throw new ValidationError([
          {
            path: '/body/fileName',
            message: `must fit S3 object metadata once percent-encoded (${MAX_USER_METADATA_BYTES} bytes)`,
          },
        ]);
      }
      if (body.contentLength > deps.maxUploadBytes)
        throw new FileTooLargeError(deps.maxUploadBytes);
      const { tenant } = principal;
      const now = deps.now();
      const fileId = deps.newFileId(now);
      const objectKey = fileObjectKey(tenant, path.id, fileId, body.fileName);
      // Signing is local and has no effect: sign first, so the answer is complete before the
      // one write that grants it (an idempotent request's answer is committed with it).
      const upload = await files.presignUpload(
        {
          key: objectKey,
          fileName: body.fileName,
          contentType: body.contentType,
          contentLength: body.contentLength,
        },
        now,
      );
      const answer: FileUpload = {
        fileId,
        uploadUrl: upload.url,
        method: 'PUT',
        headers: { ...upload.headers },
        expiresAt: upload.expiresAt,
      };
      const result = created(answer);
      // `result` is known before the write, so a keyed request's answer commits with the
      // grant: a retry can never find one without the other.
      const alongside = idempotency?.alongside(storedResponse(result));
      await records.createFileUpload({
        tenant,
        record: {
          itemId: path.id,
          fileId,
          fileName: body.fileName,
          contentType: body.contentType,
          size: body.contentLength,
          status: 'pending',
          createdAt: now.toISOString(),
          objectKey,
        },
        quotas: deps.quotas,
        ...(alongside === undefined ? {} : { alongside }),
      });
      return result;
    },

    async listItemFiles({ principal, path, query }) {
      const { tenant } = principal;
      // As for items: the signing key is read only to read or issue a cursor. A bad cursor is
      // the request's fault whatever the item: it is refused before the item is looked up.
      let codec: CursorCodec | undefined;
      const cursorCodec = async (): Promise<CursorCodec> => (codec ??= await deps.cursorCodec());
      const scope = fileListScope(path.id);
      const startKey =
        query.cursor === undefined
          ? undefined
          : { fileId: (await cursorCodec()).decode(query.cursor, tenant, scope).id };
      await assertItemExists(tenant, path.id);
      const page = await records.list(tenant, path.id, query.limit ?? DEFAULT_PAGE_SIZE, startKey);
      const answer: FileList = {
        files: page.files.map(summary),
        ...(page.lastKey
          ? { nextCursor: (await cursorCodec()).encode({ id: page.lastKey.fileId }, tenant, scope) }
          : {}),
      };
      return ok(answer);
    },

    async getFileDownload({ principal, path }) {
      // Only the caller's own records are found: a URL is never signed for another tenant's.
      const record = await findRecord(principal.tenant, path.id, path.fileId);
      if (record.status !== 'confirmed') throw new FileNotUploadedError(path.id, path.fileId);
      const download = await files.presignDownload(
        { key: record.objectKey, fileName: record.fileName, contentType: record.contentType },
        deps.now(),
      );
      const answer: FileDownload = {
        fileId: record.fileId,
        fileName: record.fileName,
        size: record.size,
        downloadUrl: download.url,
        expiresAt: download.expiresAt,
      };
      return ok(answer);
    },

    async deleteFile({ principal, path }) {
      const { tenant } = principal;
      const record = await findRecord(tenant, path.id, path.fileId);
      await files.deleteObjects([record.objectKey]);
      if (!(await records.remove(tenant, path.id, path.fileId))) {
        throw new FileNotFoundError(path.id, path.fileId);
      }
      // An upload that landed between the two found the record still there and may have been
      // confirmed: delete once more. One landing later finds no record, and the files
      // function deletes it.
      await files.deleteObjects([record.objectKey]);
      return noContent();
    },
  };
}
