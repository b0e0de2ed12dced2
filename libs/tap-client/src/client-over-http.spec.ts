/**
 * The client against a real HTTP server (spec-support/test-api): retries, idempotency
 * keys, timeouts and aborts, thrown errors, pagination, downloads and the headers that
 * name the client.
 */
import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import { version } from '../package.json';
import {
  createTapClient,
  IDEMPOTENCY_KEY_HEADER,
  TapApiError,
  TapAuthError,
  TapDownloadError,
  TapNetworkError,
  TapNotFoundError,
  TapRateLimitError,
  TapServerError,
  TapTimeoutError,
  unwrap,
  uploadFile,
  type TapClientOptions,
} from './index';
import { startTestApi, type Answer, type TestApi } from './spec-support/test-api';

const itemId = '6f1c8a52-2f0e-4c55-9a55-1a2b3c4d5e6f';
const fileId = '0b7e3c1e-98a2-4a57-8d8e-6c2f1f0a9b11';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const unavailable: Answer = {
  status: 503,
  headers: { 'content-type': 'application/problem+json' },
  body: {
    type: ProblemTypes.dependencyUnavailable,
    title: 'Dependency unavailable',
    status: 503,
    requestId: 'r-503',
    retryable: true,
  },
};
const item = (name: string) => ({ id: itemId, name, tags: [], attributes: {}, version: 1 });
const created: Answer = { status: 201, body: item('created') };

describe('the client over HTTP', () => {
  let api: TestApi;
  /** A client of the test server; fast back-off so that retries take milliseconds. */
  const tapClient = (options: Partial<TapClientOptions> = {}) =>
    createTapClient({
      baseUrl: api.baseUrl,
      apiKey: 'k-1',
      retry: { baseDelayMs: 1, maxDelayMs: 2_000 },
      ...options,
    });

  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.close();
  });

  describe('retries', () => {
    it('retries a GET answered 503 after the Retry-After the answer asks for', async () => {
      api.answer((_, index) =>
        index === 0
          ? { ...unavailable, headers: { ...unavailable.headers, 'retry-after': '1' } }
          : { status: 200, body: { items: [] } },
      );
      const { data, response } = await tapClient().GET('/api/items');
      expect(response.status).toBe(200);
      expect(data).toEqual({ items: [] });
      expect(api.received).toHaveLength(2);
      const [first, second] = api.received;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    });

    it('asks again for a download whose upload is about to be confirmed (409 with Retry-After)', async () => {
      const notUploaded = {
        status: 409,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
        body: {
          type: ProblemTypes.fileNotUploaded,
          title: 'The file has not been uploaded yet',
          status: 409,
          requestId: 'r-409',
        },
      };
      api.answer((_, index) => (index === 0 ? notUploaded : { status: 200, body: { items: [] } }));
      const { response } = await tapClient().GET('/api/items');
      expect(response.status).toBe(200);
      expect(api.received).toHaveLength(2);
    });

    it('does not repeat a 409 without Retry-After', async () => {
      api.answer(() => ({
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: ProblemTypes.fileNotUploaded, title: 't', status: 409, requestId: 'r' },
      }));
      await tapClient().GET('/api/items');
      expect(api.received).toHaveLength(1);
    });

    it('gives up after the configured attempts and returns the last answer', async () => {
      api.answer(() => unavailable);
      const { error, response } = await tapClient({ retry: { attempts: 4, baseDelayMs: 1 } }).GET(
        '/api/items',
      );
      expect(response.status).toBe(503);
      expect(error).toMatchObject({ type: ProblemTypes.dependencyUnavailable });
      expect(api.received).toHaveLength(4);
    });

    it('sends once when retries are off, for the client or for one call', async () => {
      api.answer(() => unavailable);
      await tapClient({ retry: false }).GET('/api/items');
      await tapClient().GET('/api/items', { retry: false });
      expect(api.received).toHaveLength(2);
    });

    it('does not wait for a Retry-After longer than the time the call has left', async () => {
      api.answer(() => ({ ...unavailable, headers: { 'retry-after': '2' } }));
      const started = Date.now();
      const { response } = await tapClient({ timeoutMs: 1_000 }).GET('/api/items');
      expect(response.status).toBe(503);
      expect(api.received).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('sends the same Idempotency-Key and body with every attempt of a POST', async () => {
      api.answer((_, index) => (index < 2 ? unavailable : created));
      const tap = tapClient();
      const { response } = await tap.POST('/api/items', { body: { name: 'once' } });
      expect(response.status).toBe(201);
      const keys = api.received.map((request) => request.headers['idempotency-key']);
      expect(keys).toHaveLength(3);
      expect(keys[0]).toMatch(UUID);
      expect(new Set(keys)).toEqual(new Set([keys[0]]));
      expect(api.received.map((request) => JSON.parse(request.body))).toEqual([
        { name: 'once' },
        { name: 'once' },
        { name: 'once' },
      ]);

      // Another call is another operation: another key.
      await tap.POST('/api/items', { body: { name: 'twice' } });
      expect(api.received[3]?.headers['idempotency-key']).toMatch(UUID);
      expect(api.received[3]?.headers['idempotency-key']).not.toBe(keys[0]);
    });

    it("keeps the caller's own Idempotency-Key", async () => {
      api.answer((_, index) => (index === 0 ? unavailable : created));
      await tapClient().POST('/api/items', {
        body: { name: 'mine' },
        headers: { [IDEMPOTENCY_KEY_HEADER]: 'my-key-1' },
      });
      expect(api.received.map((request) => request.headers['idempotency-key'])).toEqual([
        'my-key-1',
        'my-key-1',
      ]);
    });

    it('never retries a POST without an Idempotency-Key', async () => {
      api.answer(() => unavailable);
      const { response } = await tapClient().POST('/api/items', {
        body: { name: 'unkeyed' },
        idempotencyKey: false,
      });
      expect(response.status).toBe(503);
      expect(api.received).toHaveLength(1);
      expect(api.received[0]?.headers['idempotency-key']).toBeUndefined();
    });

    it('retries a PATCH conditional on If-Match, and a 500 only for idempotent calls', async () => {
      const failed: Answer = { status: 500, body: { message: 'Internal Server Error' } };
      api.answer((_, index) => (index === 0 ? failed : { status: 200, body: item('patched') }));
      const patched = await tapClient().PATCH('/api/items/{id}', {
        params: { path: { id: itemId }, header: { 'If-Match': '"1"' } },
        body: { name: 'patched' },
      });
      expect(patched.response.status).toBe(200);
      expect(api.received).toHaveLength(2);

      // A keyed POST answered 500 is returned: its key may be spent on the failure.
      api.answer(() => failed);
      const posted = await tapClient().POST('/api/items', { body: { name: 'x' } });
      expect(posted.response.status).toBe(500);
      expect(api.received).toHaveLength(3);
    });

    it('retries a GET whose connection was reset, and reports a POST that got no answer', async () => {
      let resets = 1;
      api.answer(() => (resets-- > 0 ? 'reset' : { status: 200, body: { items: [] } }));
      const { response } = await tapClient().GET('/api/items');
      expect(response.status).toBe(200);
      expect(api.received).toHaveLength(2);

      api.answer(() => 'reset');
      const post = tapClient().POST('/api/items', { body: { name: 'x' }, idempotencyKey: false });
      await expect(post).rejects.toBeInstanceOf(TapNetworkError);
      expect(api.received).toHaveLength(3);
    });
  });

  describe('timeouts and signals', () => {
    it('rejects with TapTimeoutError after timeoutMs and aborts the request', async () => {
      api.answer(() => 'hang');
      const call = tapClient({ timeoutMs: 200 }).GET('/api/items');
      await expect(call).rejects.toBeInstanceOf(TapTimeoutError);
      await expect(call).rejects.toMatchObject({ timeoutMs: 200 });
      await expect(api.received[0]!.abandoned).resolves.toBe(true);
    });

    it('lets a call set its own timeout', async () => {
      api.answer(() => 'hang');
      const call = tapClient({ timeoutMs: 60_000 }).GET('/api/items', { timeoutMs: 100 });
      await expect(call).rejects.toBeInstanceOf(TapTimeoutError);
    });

    it("aborts the calls in flight when the client's signal aborts", async () => {
      api.answer(() => 'hang');
      const controller = new AbortController();
      const tap = tapClient({ signal: controller.signal });
      const calls = [tap.GET('/api/items'), tap.POST('/api/items', { body: { name: 'x' } })];
      await waitFor(() => api.received.length === 2);
      controller.abort();
      for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      for (const request of api.received) await expect(request.abandoned).resolves.toBe(true);
    });

    it("aborts one call with the call's signal", async () => {
      api.answer(() => 'hang');
      const controller = new AbortController();
      const call = tapClient().GET('/api/items', { signal: controller.signal });
      await waitFor(() => api.received.length === 1);
      controller.abort(new Error('stop'));
      await expect(call).rejects.toThrow('stop');
    });
  });

  describe('throwOnError', () => {
    it('throws the problem as a TapApiError subclass with its request id', async () => {
      api.answer(() => ({
        status: 404,
        headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-404' },
        body: {
          type: ProblemTypes.itemNotFound,
          title: 'Item not found',
          status: 404,
          detail: 'No such item',
          requestId: 'req-404',
        },
      }));
      const call = tapClient({ throwOnError: true }).GET('/api/items/{id}', {
        params: { path: { id: itemId } },
      });
      await expect(call).rejects.toBeInstanceOf(TapNotFoundError);
      await expect(call).rejects.toMatchObject({
        status: 404,
        type: ProblemTypes.itemNotFound,
        title: 'Item not found',
        detail: 'No such item',
        requestId: 'req-404',
        retryable: false,
      });
    });

    it("maps the gateway's { message } answers into the same shape", async () => {
      api.answer((request): Answer =>
        request.url === '/api/items'
          ? {
              status: 401,
              headers: { 'apigw-requestid': 'gw-401' },
              body: { message: 'Unauthorized' },
            }
          : {
              status: 429,
              headers: { 'apigw-requestid': 'gw-429', 'retry-after': '3' },
              body: { message: 'Too Many Requests' },
            },
      );
      const tap = tapClient({ throwOnError: true, retry: false });
      const refused = tap.GET('/api/items');
      await expect(refused).rejects.toBeInstanceOf(TapAuthError);
      await expect(refused).rejects.toMatchObject({
        status: 401,
        type: 'about:blank',
        title: 'Unauthorized',
        requestId: 'gw-401',
        retryable: false,
        gateway: { message: 'Unauthorized' },
      });
      const throttled = tap.GET('/api/items/{id}', { params: { path: { id: itemId } } });
      await expect(throttled).rejects.toBeInstanceOf(TapRateLimitError);
      await expect(throttled).rejects.toMatchObject({
        status: 429,
        title: 'Too Many Requests',
        requestId: 'gw-429',
        retryable: true,
        retryAfterMs: 3_000,
      });
    });

    it('throws per call, or with unwrap(), from a client that does not', async () => {
      api.answer(() => unavailable);
      const tap = tapClient({ retry: false });
      await expect(tap.GET('/api/items', { throwOnError: true })).rejects.toBeInstanceOf(
        TapServerError,
      );
      await expect(unwrap(tap.GET('/api/items'))).rejects.toMatchObject({
        status: 503,
        retryable: true,
        requestId: 'r-503',
      });
      api.answer(() => ({ status: 200, body: { items: [] } }));
      await expect(unwrap(tap.GET('/api/items'))).resolves.toEqual({ items: [] });
    });

    it('returns the error of a call that opts out on a throwing client', async () => {
      api.answer(() => unavailable);
      const { error } = await tapClient({ throwOnError: true, retry: false }).GET('/api/items', {
        throwOnError: false,
      });
      expect(error).toMatchObject({ status: 503 });
    });
  });

  describe('results', () => {
    it('carry the ETag, the request id and whether the answer is a replay', async () => {
      api.answer(() => ({
        status: 201,
        headers: { etag: '"1"', 'x-request-id': 'req-1', 'idempotent-replayed': 'true' },
        body: item('created'),
      }));
      const result = await tapClient().POST('/api/items', { body: { name: 'created' } });
      expect(result).toMatchObject({ etag: '"1"', requestId: 'req-1', replayed: true });
      expect(result.data).toMatchObject({ name: 'created' });
    });
  });

  describe('paginate', () => {
    it('walks every page of the items, following nextCursor', async () => {
      const pages: Record<string, { items: unknown[]; nextCursor?: string }> = {
        first: { items: [item('a'), item('b')], nextCursor: 'c2' },
        c2: { items: [item('c'), item('d')], nextCursor: 'c3' },
        c3: { items: [item('e')] },
      };
      api.answer((request) => {
        const cursor = new URL(request.url, api.baseUrl).searchParams.get('cursor') ?? 'first';
        return { status: 200, body: pages[cursor] };
      });
      const names: string[] = [];
      for await (const entry of tapClient().paginate('/api/items', {
        params: { query: { limit: 2 } },
      })) {
        names.push(entry.name);
      }
      expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(api.received.map((request) => request.url)).toEqual([
        '/api/items?limit=2',
        '/api/items?limit=2&cursor=c2',
        '/api/items?limit=2&cursor=c3',
      ]);
    });

    it('reads a file list without nextCursor as one page', async () => {
      const file = { fileId, fileName: 'a.txt', size: 1, uploadedAt: '2026-01-01T00:00:00Z' };
      api.answer(() => ({ status: 200, body: { files: [file] } }));
      const files = [];
      for await (const entry of tapClient().paginate('/api/items/{id}/files', {
        params: { path: { id: itemId } },
      })) {
        files.push(entry);
      }
      expect(files).toEqual([file]);
      expect(api.received.map((request) => request.url)).toEqual([`/api/items/${itemId}/files`]);
    });

    it('throws from the loop when a page fails', async () => {
      api.answer(() => unavailable);
      const walk = async () => {
        for await (const entry of tapClient({ retry: false }).paginate('/api/items')) void entry;
      };
      await expect(walk()).rejects.toBeInstanceOf(TapServerError);
    });
  });

  describe('downloadFile', () => {
    const grant = () => ({
      fileId,
      fileName: 'a.txt',
      size: 5,
      downloadUrl: `${api.baseUrl}/storage/a.txt?X-Amz-Signature=abc`,
      expiresAt: '2026-01-01T00:15:00Z',
    });

    it('asks for the URL, then fetches the bytes from storage without the API key', async () => {
      api.answer((request) =>
        request.url.startsWith('/storage/')
          ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' }
          : { status: 200, body: grant() },
      );
      const response = await tapClient().downloadFile(itemId, fileId);
      expect(await response.text()).toBe('hello');
      const [asked, fetched] = api.received;
      expect(asked?.url).toBe(`/api/items/${itemId}/files/${fileId}`);
      expect(asked?.headers[API_KEY_HEADER]).toBe('k-1');
      expect(fetched?.url).toBe('/storage/a.txt?X-Amz-Signature=abc');
      expect(fetched?.headers[API_KEY_HEADER]).toBeUndefined();
    });

    it('throws TapDownloadError when the API refuses the URL or storage the bytes', async () => {
      api.answer(() => ({
        status: 404,
        body: { type: ProblemTypes.fileNotFound, title: 'File not found', status: 404 },
      }));
      const refused = tapClient().downloadFile(itemId, fileId);
      await expect(refused).rejects.toBeInstanceOf(TapDownloadError);
      await expect(refused).rejects.toMatchObject({
        stage: 'request-url',
        status: 404,
        problem: { type: ProblemTypes.fileNotFound },
        cause: expect.any(TapNotFoundError),
      });

      api.answer((request) =>
        request.url.startsWith('/storage/')
          ? { status: 403, body: 'AccessDenied' }
          : { status: 200, body: grant() },
      );
      await expect(tapClient().downloadFile(itemId, fileId)).rejects.toMatchObject({
        stage: 'download',
        status: 403,
      });
    });
  });

  describe('uploadFile', () => {
    it('sends every header of the grant, If-None-Match included', async () => {
      api.answer((request) =>
        request.method === 'PUT'
          ? { status: 200 }
          : {
              status: 201,
              body: {
                fileId,
                uploadUrl: `${api.baseUrl}/storage/b.txt?X-Amz-Signature=abc`,
                method: 'PUT',
                headers: {
                  'Content-Type': 'text/plain',
                  'Content-Length': '5',
                  'If-None-Match': '*',
                  'x-amz-meta-file-name': 'b.txt',
                },
                expiresAt: '2026-01-01T00:15:00Z',
              },
            },
      );
      await uploadFile(tapClient(), {
        itemId,
        fileName: 'b.txt',
        contentType: 'text/plain',
        body: new TextEncoder().encode('hello'),
      });
      expect(api.received[1]).toMatchObject({
        method: 'PUT',
        body: 'hello',
        headers: {
          'content-type': 'text/plain',
          'content-length': '5',
          'if-none-match': '*',
          'x-amz-meta-file-name': 'b.txt',
        },
      });
    });

    it('reports the API refusal as a TapUploadError from a throwing client too', async () => {
      api.answer(() => ({ status: 403, body: { message: 'Forbidden' } }));
      const upload = uploadFile(tapClient({ throwOnError: true }), {
        itemId,
        fileName: 'b.txt',
        contentType: 'text/plain',
        body: new Uint8Array(1),
      });
      await expect(upload).rejects.toMatchObject({ name: 'TapUploadError', status: 403 });
    });
  });

  describe('identification', () => {
    it('sends user-agent tap-client/<version>, and x-tap-client only when asked', async () => {
      api.answer(() => ({ status: 200, body: { items: [] } }));
      await tapClient().GET('/api/items');
      await tapClient({ clientHeader: true }).GET('/api/items');
      const [plain, marked] = api.received;
      expect(plain?.headers['user-agent']).toBe(`tap-client/${version}`);
      expect(plain?.headers['x-tap-client']).toBeUndefined();
      expect(marked?.headers['x-tap-client']).toBe(`tap-client/${version}`);
    });
  });

  it('throws TapApiError subclasses that are TapErrors and Errors', async () => {
    api.answer(() => unavailable);
    const error = await tapClient({ retry: false })
      .GET('/api/items', { throwOnError: true })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TapApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'TapServerError' });
  });
});

/** Resolves once `condition` holds (the server has seen the requests). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 200) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
