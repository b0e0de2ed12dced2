/**
 * Files as the suite handles them, one request at a time and exactly as given: a grant,
 * the PUT to its URL, and waiting for the bucket's event to confirm the upload (against a
 * deployed stack that takes a moment; locally the emulated notification is as quick).
 */
import {
  API_KEY_HEADER,
  type FileContentType,
  type FileStatus,
  type FileSummary,
  type FileUpload,
} from '@tap/contracts';
import type { Target } from './target';

/** A request's answer with its body parsed (when it has one). */
export interface JsonAnswer {
  readonly response: Response;
  readonly json: unknown;
}

const answer = async (response: Response): Promise<JsonAnswer> => {
  const text = await response.text();
  return { response, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
};

/** Asks for an upload URL (`createFileUpload`). */
export async function requestUpload(
  target: Target,
  itemId: string,
  file: {
    readonly fileName: string;
    readonly contentType: FileContentType;
    readonly size: number;
  },
  apiKey: string = target.apiKey,
): Promise<JsonAnswer> {
  return answer(
    await fetch(`${target.baseUrl}/api/items/${itemId}/files`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [API_KEY_HEADER]: apiKey },
      body: JSON.stringify({
        fileName: file.fileName,
        contentType: file.contentType,
        contentLength: file.size,
      }),
    }),
  );
}

/** PUTs bytes to a grant's URL with its signed headers (fetch computes Content-Length). */
export async function putToGrant(
  grant: FileUpload,
  body: Uint8Array<ArrayBuffer>,
): Promise<Response> {
  const headers = Object.fromEntries(
    Object.entries(grant.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  const response = await fetch(grant.uploadUrl, { method: grant.method, headers, body });
  await response.arrayBuffer();
  return response;
}

/** Every file record of an item, all pages. */
export async function listFiles(
  target: Target,
  itemId: string,
  options: { readonly apiKey?: string; readonly limit?: number } = {},
): Promise<{ readonly files: FileSummary[]; readonly pages: number; readonly status: number }> {
  const files: FileSummary[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({
      ...(options.limit === undefined ? {} : { limit: String(options.limit) }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    const response = await fetch(
      `${target.baseUrl}/api/items/${itemId}/files?${query.toString()}`,
      {
        headers: { [API_KEY_HEADER]: options.apiKey ?? target.apiKey },
      },
    );
    if (response.status !== 200) {
      await response.arrayBuffer();
      return { files, pages, status: response.status };
    }
    const page = (await response.json()) as { files: FileSummary[]; nextCursor?: string };
    files.push(...page.files);
    pages += 1;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { files, pages, status: 200 };
}

/** Polls until `check` holds or `timeoutMs` passes; returns its last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the item's file has `status` (or is gone, for `undefined`). */
export async function fileStatus(
  target: Target,
  itemId: string,
  fileId: string,
  status: FileStatus | undefined,
): Promise<FileSummary | undefined> {
  const listed = await eventually(
    () => listFiles(target, itemId),
    (list) => list.files.find((file) => file.fileId === fileId)?.status === status,
  );
  return listed.files.find((file) => file.fileId === fileId);
}

/** Deterministic bytes of a given length. */
export const bytes = (size: number, seed = 7): Uint8Array<ArrayBuffer> =>
  Uint8Array.from({ length: size }, (_, index) => (index * 31 + seed) % 256);
