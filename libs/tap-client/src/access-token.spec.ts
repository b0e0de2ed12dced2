import { API_KEY_HEADER } from '@tap/contracts';
import { createTapClient, type AccessTokenContext } from './index';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A fetch that records every request and answers with `answer`, which may hold a
 * request back (to make calls overlap) by returning a promise.
 */
function fakeFetch(answer: (request: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const record: Seen = {
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers.entries()),
      body: request.body ? await request.text() : undefined,
    };
    seen.push(record);
    return answer(record);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const ok = (body: unknown = { items: [] }) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
const unauthorized = () =>
  new Response(JSON.stringify({ message: 'Unauthorized' }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
/** The API: accepts only `Bearer <valid>`. */
const acceptOnly = (valid: string) => (request: Seen) =>
  request.headers.authorization === `Bearer ${valid}` ? ok() : unauthorized();

/** A token callback that records how it was called and answers from `tokens`, in order. */
function tokens(...answers: (string | Promise<string>)[]) {
  const calls: AccessTokenContext[] = [];
  const accessToken = (context: AccessTokenContext) => {
    calls.push(context);
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (next === undefined) throw new Error('no token scripted');
    return next;
  };
  return { accessToken, calls };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const baseUrl = 'https://api.example.test';
const itemId = '6f1c8a52-2f0e-4c55-9a55-1a2b3c4d5e6f';
const forced = (calls: AccessTokenContext[]) => calls.filter((call) => call.forceRefresh).length;

describe('createTapClient with an access token', () => {
  it('sends the bearer token on every call, and no API key', async () => {
    const { fetch, seen } = fakeFetch(() => ok());
    // A plain `() => string` is an accepted callback.
    const tap = createTapClient({ baseUrl, accessToken: () => 'token-1', fetch });
    await tap.GET('/api/items');
    await tap.GET('/api/items/{id}', { params: { path: { id: itemId } } });
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
    ]);
    expect(seen.map((request) => request.headers[API_KEY_HEADER])).toEqual([undefined, undefined]);
  });

  it('asks the callback for a token per request, without forcing a refresh', async () => {
    const { fetch, seen } = fakeFetch(() => ok());
    const { accessToken, calls } = tokens('token-1', Promise.resolve('token-2'));
    const tap = createTapClient({ baseUrl, accessToken, fetch });
    await tap.GET('/api/items');
    await tap.GET('/api/items');
    expect(calls).toEqual([{ forceRefresh: false }, { forceRefresh: false }]);
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('refreshes the token once and retries the call after a 401', async () => {
    const { fetch, seen } = fakeFetch(acceptOnly('fresh'));
    const { accessToken, calls } = tokens('expired', 'fresh');
    const tap = createTapClient({ baseUrl, accessToken, fetch });
    const { data, response } = await tap.GET('/api/items', { params: { query: { limit: 5 } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ items: [] });
    expect(calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({
      url: `${baseUrl}/api/items?limit=5`,
      method: 'GET',
      headers: { authorization: 'Bearer fresh' },
    });
  });

  it('shares one refresh between calls refused while it is in flight', async () => {
    const { fetch, seen } = fakeFetch(acceptOnly('fresh'));
    const refreshed = deferred<string>();
    let refreshes = 0;
    const tap = createTapClient({
      baseUrl,
      fetch,
      accessToken: ({ forceRefresh }) => {
        if (!forceRefresh) return 'expired';
        refreshes += 1;
        return refreshed.promise;
      },
    });
    const calls = [tap.GET('/api/items'), tap.GET('/api/items'), tap.GET('/api/items')];
    // Let all three be refused before the refresh completes.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toHaveLength(3);
    refreshed.resolve('fresh');
    const responses = await Promise.all(calls);
    expect(responses.map(({ response }) => response.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
    expect(seen.slice(3).map((request) => request.headers.authorization)).toEqual([
      'Bearer fresh',
      'Bearer fresh',
      'Bearer fresh',
    ]);
  });

  it('reuses a completed refresh for a call sent with the token it replaced', async () => {
    // The second call is refused only after the first one's refresh and retry are done:
    // its token is as old as the first one's, so it must not cause a refresh of its own.
    const secondRefused = deferred<Response>();
    const { fetch } = fakeFetch((request) => {
      if (request.headers.authorization === 'Bearer fresh') return ok();
      return request.headers['x-call'] === 'second' ? secondRefused.promise : unauthorized();
    });
    const { accessToken, calls } = tokens('expired', 'expired', 'fresh', 'newer');
    const tap = createTapClient({ baseUrl, accessToken, fetch });
    const first = tap.GET('/api/items');
    const second = tap.GET('/api/items', { headers: { 'x-call': 'second' } });
    expect((await first).response.status).toBe(200);
    secondRefused.resolve(unauthorized());
    expect((await second).response.status).toBe(200);
    expect(forced(calls)).toBe(1);
  });

  it('sends the same method, headers and body again on the retry of a POST', async () => {
    const { fetch, seen } = fakeFetch((request) =>
      request.headers.authorization === 'Bearer fresh'
        ? new Response(JSON.stringify({ id: itemId }), {
            status: 201,
            headers: { 'content-type': 'application/json' },
          })
        : unauthorized(),
    );
    const { accessToken } = tokens('expired', 'fresh');
    const tap = createTapClient({ baseUrl, accessToken, fetch, headers: { 'x-trace': 't-1' } });
    const { response } = await tap.POST('/api/items', { body: { name: 'first', tags: ['a'] } });
    expect(response.status).toBe(201);
    expect(seen).toHaveLength(2);
    const [refused, retried] = seen;
    expect(retried).toEqual({
      ...refused,
      headers: { ...refused?.headers, authorization: 'Bearer fresh' },
    });
    expect(JSON.parse(retried?.body ?? '')).toEqual({ name: 'first', tags: ['a'] });
    expect(retried).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 't-1' },
    });
  });

  it('returns a second 401 as is, without another refresh', async () => {
    const { fetch, seen } = fakeFetch(() => unauthorized());
    const { accessToken, calls } = tokens('expired', 'revoked', 'never-asked');
    const tap = createTapClient({ baseUrl, accessToken, fetch });
    const { data, error, response } = await tap.GET('/api/items');
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error).toEqual({ message: 'Unauthorized' });
    expect(calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer expired',
      'Bearer revoked',
    ]);
  });

  it('rejects the call with the error of a failing refresh', async () => {
    const { fetch, seen } = fakeFetch(() => unauthorized());
    const signedOut = new Error('signed out');
    const tap = createTapClient({
      baseUrl,
      fetch,
      accessToken: ({ forceRefresh }) => {
        if (forceRefresh) throw signedOut;
        return 'expired';
      },
    });
    await expect(tap.GET('/api/items')).rejects.toBe(signedOut);
    expect(seen).toHaveLength(1);
  });

  it('rejects a call whose token is empty instead of sending an empty bearer', async () => {
    const { fetch, seen } = fakeFetch(() => ok());
    const tap = createTapClient({ baseUrl, accessToken: () => '', fetch });
    await expect(tap.GET('/api/items')).rejects.toThrow(/accessToken returned no token/);
    expect(seen).toHaveLength(0);
  });

  it('asks for no token on GET /health', async () => {
    const { fetch, seen } = fakeFetch(() => ok({ status: 'ok' }));
    const { accessToken, calls } = tokens('token-1');
    const tap = createTapClient({ baseUrl, accessToken, fetch });
    const { response } = await tap.GET('/health');
    expect(response.status).toBe(200);
    expect(calls).toEqual([]);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('throws a TypeError when given both an API key and an access token', () => {
    expect(() => createTapClient({ baseUrl, apiKey: 'k-1', accessToken: () => 'token-1' })).toThrow(
      TypeError,
    );
  });

  it('with an API key only, sends the API key header and never an authorization header', async () => {
    const { fetch, seen } = fakeFetch(() => unauthorized());
    const tap = createTapClient({ baseUrl, apiKey: 'k-1', fetch });
    const { response } = await tap.GET('/api/items');
    await tap.GET('/health');
    // A refused key is not retried: there is nothing to refresh.
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(seen.map((request) => request.headers[API_KEY_HEADER])).toEqual(['k-1', 'k-1']);
    expect(seen.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
  });
});
