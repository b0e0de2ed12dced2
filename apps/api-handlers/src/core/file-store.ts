/**
 * The file store port: the bytes of an item's files, with presigned transfer URLs. The S3
 * adapter implements it. What a file is (its name, type, size, status) is the file
 * record's (`FileRecordStore`); this port only moves, checks and removes objects, by the
 * keys the records hold.
 */

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

/** The upload a client was granted. */
export interface UploadRequest {
  /** The object key (`fileObjectKey`), built by the server only. */
  readonly key: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly contentLength: number;
}

/** The download of a confirmed file. */
export interface DownloadRequest {
  readonly key: string;
  /** The name to save the file as. */
  readonly fileName: string;
  /** The granted type; types a browser could render as active content are served as bytes. */
  readonly contentType: string;
}

/** An object as the store holds it. */
export interface StoredObject {
  readonly size: number;
  readonly contentType: string | undefined;
}

/** Storage of file objects. Keys carry the tenant (`object-keys.ts`); nothing else names one. */
export interface FileStore {
  /**
   * Signs a PUT for exactly this key, type, length and name, that only creates the object
   * (`If-None-Match: *`): a second PUT to the key is refused.
   */
  presignUpload(upload: UploadRequest, now: Date): Promise<PresignedUpload>;

  /** Signs a GET that downloads the object as an attachment under its original name. */
  presignDownload(download: DownloadRequest, now: Date): Promise<PresignedDownload>;

  /** The object's size and type, or `undefined` when there is none. */
  headObject(key: string): Promise<StoredObject | undefined>;

  /** Deletes objects by key; keys without an object are fine. */
  deleteObjects(keys: readonly string[]): Promise<void>;

  /** Deletes every object under a prefix, a page at a time; returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
}
