import type { FileContentType, FileUpload, Problem } from '@tap/contracts';
import type { TapClient } from './client';
import { TapError } from './errors';

/** What {@link uploadFile} sends. */
export interface UploadFileInput {
  readonly itemId: string;
  readonly fileName: string;
  /** One of the contract's accepted types (`FileContentType`). */
  readonly contentType: FileContentType;
  readonly body: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>;
  /** A `fetch` for the upload itself (to S3); defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch;
}

/** An upload that did not complete: the API refused it, or storage did. */
export class TapUploadError extends TapError {
  override readonly name: string = 'TapUploadError';

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
  client: TapClient<boolean>,
  input: UploadFileInput,
): Promise<{ fileId: string; upload: FileUpload }> {
  const { data, error, response } = await client.POST('/api/items/{id}/files', {
    params: { path: { id: input.itemId } },
    body: {
      fileName: input.fileName,
      contentType: input.contentType,
      contentLength: byteLength(input.body),
    },
    // Whatever the client's setting: a refusal is reported as a TapUploadError.
    throwOnError: false,
  });
  if (!data) {
    const problem = error && 'type' in error ? error : undefined;
    throw new TapUploadError('request-url', response.status, problem);
  }
  const doFetch = input.fetch ?? globalThis.fetch;
  // Every signed header goes as granted (`If-None-Match: *` included: storage then refuses
  // to overwrite a file with 412), but Content-Length: fetch computes it from the body and
  // browsers refuse it set by hand. It was granted for this very body's size.
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
