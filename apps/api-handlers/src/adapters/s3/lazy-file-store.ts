/**
 * A {@link FileStore} that builds the real one on first use.
 *
 * Only the file routes (and an item's DELETE, which removes its files) need S3. The API
 * function's composition root passes a loader that `import()`s the S3 module, so a container
 * that serves only item routes never loads the S3 client, and one that does loads it once.
 */
import type { FileStore } from '../../core/file-store';

/**
 * Wraps `load` as a file store. `load` runs on the first call of any method and its result
 * serves every later call of the container; calls made while it runs share it. A failed load
 * is not remembered: that request fails, and the next one tries again.
 */
export function createLazyFileStore(load: () => Promise<FileStore>): FileStore {
  let loading: Promise<FileStore> | undefined;

  const store = (): Promise<FileStore> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return {
    presignUpload: async (upload, now) => (await store()).presignUpload(upload, now),
    presignDownload: async (download, now) => (await store()).presignDownload(download, now),
    headObject: async (key) => (await store()).headObject(key),
    deleteObjects: async (keys) => (await store()).deleteObjects(keys),
    deletePrefix: async (prefix) => (await store()).deletePrefix(prefix),
  };
}
