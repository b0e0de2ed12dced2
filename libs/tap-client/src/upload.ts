import type { FileUpload, Problem } from '@tap/contracts';
import type { TapClient } from './client';

/** What {@link uploadFile} sends. */
export interface UploadFileInput {
  readonly itemId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>;
  /** A `fetch` for the upload itself (to S3); defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch;
}

/** An upload that did not complete: the API refused it, or storage did. */
export class TapUploadError extends Error {
  /**
   * @param stage - which step failed: asking the API for the URL, or the PUT to storage.
   * @param status - HTTP status of the failed step.
   * @param problem - the API's problem body, when the API refused.
   */
  constructor(
    readonly stage: 'request-url' | 'upload',
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(
      stage === 'request-url'
        ? `The API refused the upload (${status}${problem ? `: ${problem.title}` : ''})`
        : `Storage refused the upload (${status})`,
    );
    this.name = 'TapUploadError';
  }
}

const byteLength = (body: UploadFileInput['body']): number =>
  body instanceof Blob ? body.size : body.byteLength;

/**
 * Uploads a file to an item end to end: asks the API for a presigned URL for exactly
 * this name, type and size, then PUTs the bytes with the signed headers.
 *
 * @returns the new file's id and the upload grant that was used.
 * @throws TapUploadError when either step fails.
 */
export async function uploadFile(
  client: TapClient,
  input: UploadFileInput,
): Promise<{ fileId: string; upload: FileUpload }> {
  const { data, error, response } = await client.POST('/api/items/{id}/files', {
    params: { path: { id: input.itemId } },
    body: {
      fileName: input.fileName,
      contentType: input.contentType,
      contentLength: byteLength(input.body),
    },
  });
  if (!data) {
    const problem = error && 'type' in error ? error : undefined;
    throw new TapUploadError('request-url', response.status, problem);
  }
  const doFetch = input.fetch ?? globalThis.fetch;
  // Content-Length is computed by fetch from the body and may not be set by hand.
  const headers = Object.fromEntries(
    Object.entries(data.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  const put = await doFetch(data.uploadUrl, {
    method: data.method,
    headers,
    body: input.body,
  });
  if (!put.ok) throw new TapUploadError('upload', put.status);
  return { fileId: data.fileId, upload: data };
}
