/**
 * Handlers of the file operations: presigned uploads and downloads, listing and deletion.
 * Bytes never pass through the function; S3 holds them and is the source of truth.
 */
import type { FileDownload, FileList, FileSummary, FileUpload } from '@tap/contracts';
import {
  FileNotFoundError,
  FileTooLargeError,
  ItemNotFoundError,
  ValidationError,
} from '../../core/errors';
import type { ApiRoutes } from './operations';
import { created, noContent, ok } from './responses';
import type { ItemStore } from '../../core/item-store';
import type { FileStore, StoredFile } from '../../core/file-store';
import {
  fileNameFitsMetadata,
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
  readonly files: FileStore;
  /** Largest upload a URL is issued for, in bytes. */
  readonly maxUploadBytes: number;
  readonly now: () => Date;
  readonly newId: () => string;
}

const summary = ({ fileId, fileName, size, contentType, uploadedAt }: StoredFile): FileSummary => ({
  fileId,
  fileName,
  size,
  ...(contentType === undefined ? {} : { contentType }),
  uploadedAt,
});

/** Creates the file route handlers. */
export function createFileRoutes(deps: FileRoutesDependencies): FileRoutes {
  const { items, files } = deps;

  /** The tenant's item exists; another tenant's is missing to this caller. */
  const assertItemExists = async (tenant: string, itemId: string): Promise<void> => {
    if (!(await items.get(tenant, itemId))) throw new ItemNotFoundError(itemId);
  };

  return {
    async createFileUpload({ principal, path, body }) {
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
      await assertItemExists(principal.tenant, path.id);
      const now = deps.now();
      const fileId = deps.newId();
      const upload = await files.presignUpload(
        {
          tenant: principal.tenant,
          itemId: path.id,
          fileId,
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
      return created(answer);
    },

    async listItemFiles({ principal, path }) {
      await assertItemExists(principal.tenant, path.id);
      const stored = await files.listFiles(principal.tenant, path.id);
      const answer: FileList = { files: stored.map(summary) };
      return ok(answer);
    },

    async getFileDownload({ principal, path }) {
      // Only the caller's own files are found: a URL is never signed for another tenant's.
      const file = await files.findFile(principal.tenant, path.id, path.fileId);
      if (!file) throw new FileNotFoundError(path.id, path.fileId);
      const download = await files.presignDownload(file, deps.now());
      const answer: FileDownload = {
        fileId: file.fileId,
        fileName: file.fileName,
        size: file.size,
        downloadUrl: download.url,
        expiresAt: download.expiresAt,
      };
      return ok(answer);
    },

    async deleteFile({ principal, path }) {
      if (!(await files.deleteFile(principal.tenant, path.id, path.fileId))) {
        throw new FileNotFoundError(path.id, path.fileId);
      }
      return noContent();
    },
  };
}
