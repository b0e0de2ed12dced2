import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import { createTapClient, TapUploadError, uploadFile } from './index';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch that records requests and answers from a script, in order. */
function scriptedFetch(...answers: Response[]) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers.entries()),
      body: request.body ? await request.text() : undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    return answer;
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('createTapClient', () => {
  it('sends the API key on every call and joins paths to the base URL', async () => {
    const { fetch, seen } = scriptedFetch(
      json(200, { items: [] }),
      json(200, { status: 'ok', checkedAt: '2026-01-01T00:00:00Z', dependencies: {} }),
    );
    const tap = createTapClient({ baseUrl: 'https://api.example.test/', apiKey: 'k-1', fetch });
    await tap.GET('/api/items', { params: { query: { limit: 5 } } });
    await tap.GET('/health');
    expect(seen.map((request) => request.url)).toEqual([
      'https://api.example.test/api/items?limit=5',
      'https://api.example.test/health',
    ]);
    expect(seen.map((request) => request.headers[API_KEY_HEADER])).toEqual(['k-1', 'k-1']);
  });

  it('sends no API key when none is configured', async () => {
    const { fetch, seen } = scriptedFetch(json(200, {}));
    await createTapClient({ baseUrl: 'https://api.example.test', fetch }).GET('/health');
    expect(seen[0]?.headers[API_KEY_HEADER]).toBeUndefined();
  });

  it('returns the problem body as a typed error instead of throwing', async () => {
    const problem = {
      type: ProblemTypes.itemNotFound,
      title: 'Item not found',
      status: 404,
      requestId: 'r-1',
    };
    const { fetch } = scriptedFetch(json(404, problem, 'application/problem+json'));
    const tap = createTapClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch });
    const { data, error, response } = await tap.GET('/api/items/{id}', {
      params: { path: { id: '6f1c8a52-2f0e-4c55-9a55-1a2b3c4d5e6f' } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual(problem);
  });
});

describe('uploadFile', () => {
  const itemId = '6f1c8a52-2f0e-4c55-9a55-1a2b3c4d5e6f';
  const grant = {
    fileId: '0b7e3c1e-98a2-4a57-8d8e-6c2f1f0a9b11',
    uploadUrl: 'https://files.example.test/items/x?X-Amz-Signature=abc',
    method: 'PUT',
    headers: {
      'Content-Type': 'text/plain',
      'Content-Length': '5',
      'x-amz-meta-file-name': 'hello.txt',
    },
    expiresAt: '2026-01-01T00:15:00Z',
  };

  it('asks for a URL for exactly this file, then PUTs the bytes with the signed headers', async () => {
    const { fetch, seen } = scriptedFetch(json(201, grant), new Response(null, { status: 200 }));
    const tap = createTapClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch });
    const result = await uploadFile(tap, {
      itemId,
      fileName: 'hello.txt',
      contentType: 'text/plain',
      body: new TextEncoder().encode('hello'),
      fetch,
    });
    expect(result.fileId).toBe(grant.fileId);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      fileName: 'hello.txt',
      contentType: 'text/plain',
      contentLength: 5,
    });
    expect(seen[1]).toMatchObject({
      url: grant.uploadUrl,
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain', 'x-amz-meta-file-name': 'hello.txt' },
    });
    // The API key is for the API only; storage gets just the signed headers.
    expect(seen[1]?.headers[API_KEY_HEADER]).toBeUndefined();
  });

  it('throws with the problem when the API refuses the upload', async () => {
    const problem = {
      type: ProblemTypes.fileTooLarge,
      title: 'File too large',
      status: 413,
      requestId: 'r',
    };
    const { fetch } = scriptedFetch(json(413, problem, 'application/problem+json'));
    const tap = createTapClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch });
    const upload = uploadFile(tap, {
      itemId,
      fileName: 'big.bin',
      contentType: 'application/octet-stream',
      body: new Uint8Array(8),
      fetch,
    });
    await expect(upload).rejects.toMatchObject({ stage: 'request-url', status: 413, problem });
    await expect(upload).rejects.toBeInstanceOf(TapUploadError);
  });

  it('throws when storage refuses the bytes', async () => {
    const { fetch } = scriptedFetch(json(201, grant), new Response('denied', { status: 403 }));
    const tap = createTapClient({ baseUrl: 'https://api.example.test', apiKey: 'k', fetch });
    await expect(
      uploadFile(tap, {
        itemId,
        fileName: 'hello.txt',
        contentType: 'text/plain',
        body: new Blob(['hello']),
        fetch,
      }),
    ).rejects.toMatchObject({ stage: 'upload', status: 403 });
  });
});
