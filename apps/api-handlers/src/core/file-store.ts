/**
 * The file store port: uploaded files of an item, with presigned transfer URLs. The S3
 * adapter implements it; the bucket itself is the source of truth for what was uploaded.
 */

/** An uploaded file, as found in the store. */
export interface StoredFile {
  readonly fileId: string;
  /** The original name as given at upload time. */
  readonly fileName: string;
  readonly size: number;
  readonly contentType?: string;
  /** ISO timestamp of the upload. */
  readonly uploadedAt: string;
  /** Where the bytes are; only the adapter interprets it. */
  readonly key: string;
}

/** What a client needs to upload a file. */
export interface PresignedUpload {
  readonly url: string;
  /** Exactly the headers the upload must send; they are signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/** What a client needs to download a file. */
export interface PresignedDownload {
  readonly url: string;
  readonly expiresAt: string;
}

/** The upload a client announced. */
export interface UploadRequest {
  /** The caller's tenant, which owns the item. */
  readonly tenant: string;
  readonly itemId: string;
  readonly fileId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly contentLength: number;
}

/**
 * Storage of item files. Every method takes the caller's tenant: a tenant's files live
 * under its own prefix, so another tenant's are never listed, found or deleted.
 */
export interface FileStore {
  /** Signs a PUT for exactly this key, type, length and name. */
  presignUpload(upload: UploadRequest, now: Date): Promise<PresignedUpload>;

  /** Every uploaded file of an item. */
  listFiles(tenant: string, itemId: string): Promise<StoredFile[]>;

  /** One uploaded file, or `undefined`. */
  findFile(tenant: string, itemId: string, fileId: string): Promise<StoredFile | undefined>;

  /** Signs a GET that downloads the file under its original name. */
  presignDownload(file: StoredFile, now: Date): Promise<PresignedDownload>;

  /** Deletes one file; `false` when there was nothing to delete. */
  deleteFile(tenant: string, itemId: string, fileId: string): Promise<boolean>;

  /** Deletes every file of an item; returns how many objects went. */
  deleteAllFiles(tenant: string, itemId: string): Promise<number>;
}
