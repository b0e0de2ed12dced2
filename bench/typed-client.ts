/**
 * (d) The typed client's overhead: `createTapClient(...).GET('/api/items/{id}')` against a
 * plain `fetch` of the same URL with the same header, both reading the JSON body, on the
 * same endpoint. Measured on the local HTTP API (what users call) and on the bare server,
 * whose latency is smaller, so the client's own cost weighs more there.
 */
import { createTapClient } from '@tap/client';
import { API_KEY_HEADER } from '@tap/contracts';
import type { BareServers } from './bare-server';
import type { Fixture } from './fixture';
import { ms, type BenchmarkReport, type Row } from './report';
import { interleave, median, ratio, timeMs } from './stats';

async function compare(baseUrl: string, fixture: Fixture, requests: number, warmup: number) {
  const tap = createTapClient({ baseUrl, apiKey: fixture.apiKey });
  const url = `${baseUrl}/api/items/${encodeURIComponent(fixture.itemId)}`;
  return interleave(
    {
      typed: () =>
        timeMs(async () => {
          // The same 10 s bound as the plain fetch's signal, as the client's own timeout
          // (which every call has): a signal on top would be a second timer only the
          // typed call pays for.
          const { data, response } = await tap.GET('/api/items/{id}', {
            params: { path: { id: fixture.itemId } },
            timeoutMs: 10_000,
          });
          if (!data) throw new Error(`typed client: status ${response.status}`);
        }),
      fetch: () =>
        timeMs(async () => {
          const response = await fetch(url, {
            headers: { [API_KEY_HEADER]: fixture.apiKey },
            signal: AbortSignal.timeout(10_000),
          });
          const body: unknown = await response.json();
          if (response.status !== 200 || body === null)
            throw new Error(`fetch: status ${response.status}`);
        }),
    },
    requests,
    warmup,
  );
}

/** Calls per sample of the in-process measurement, so one sample spans well over a timer tick. */
const CALLS_PER_SAMPLE = 200;

/**
 * The client's own work per call, with no network at all: `fetch` answers a canned
 * response (the item's JSON), so what remains is building the request, the middleware and
 * reading the response. Microseconds per call, median over interleaved samples.
 */
async function clientWorkMicros(fixture: Fixture, rounds: number) {
  const item = await (
    await fetch(`${fixture.baseUrl}/api/items/${fixture.itemId}`, {
      headers: { [API_KEY_HEADER]: fixture.apiKey },
      signal: AbortSignal.timeout(10_000),
    })
  ).text();
  const canned = async (): Promise<Response> =>
    new Response(item, { status: 200, headers: { 'content-type': 'application/json' } });
  // Never contacted: the canned fetch answers everything.
  const baseUrl = 'http://127.0.0.1:9';
  const tap = createTapClient({ baseUrl, apiKey: fixture.apiKey, fetch: canned });
  const batch = (call: () => Promise<unknown>) => () =>
    timeMs(async () => {
      for (let index = 0; index < CALLS_PER_SAMPLE; index += 1) await call();
    });
  const samples = await interleave(
    {
      typed: batch(() => tap.GET('/api/items/{id}', { params: { path: { id: fixture.itemId } } })),
      // The floor both share: the response made and its JSON read.
      fetch: batch(async () => (await canned()).json()),
    },
    rounds,
    3,
  );
  const perCall = (values: number[]): number => (median(values) * 1000) / CALLS_PER_SAMPLE;
  return { typed: perCall(samples.typed), fetch: perCall(samples.fetch) };
}

export async function benchTypedClient(
  fixture: Fixture,
  bare: BareServers,
  requests: number,
  warmup: number,
): Promise<BenchmarkReport> {
  const rows: Row[] = [];
  // The figure is the API's endpoint (what the client is for). The bare server
  // answers faster, so the client's fixed cost per call weighs more there: shown, no target.
  for (const [where, baseUrl, maxRatio] of [
    ['local HTTP API', fixture.baseUrl, 1.05],
    ['bare GetItem server', bare.process.baseUrl, undefined],
  ] as const) {
    const samples = await compare(baseUrl, fixture, requests, warmup);
    rows.push({
      figure: `GET /api/items/{id} on the ${where}, retries and timeout on: median`,
      value: ms(median(samples.typed)),
      baseline: ms(median(samples.fetch)),
      ratio: ratio(median(samples.typed), median(samples.fetch)),
      ...(maxRatio === undefined ? {} : { maxRatio }),
    });
  }
  const work = await clientWorkMicros(fixture, 21);
  rows.push({
    figure: 'client-side work per call, fetch answering a canned response (no network)',
    value: `${work.typed.toFixed(1)} µs`,
    baseline: `${work.fetch.toFixed(1)} µs`,
    ratio: ratio(work.typed, work.fetch),
  });
  return {
    id: 'typed-client',
    title: 'd. Typed client vs plain fetch',
    method:
      `\`createTapClient({ baseUrl, apiKey }).GET('/api/items/{id}')\` with the client's defaults ` +
      '(retries with back-off, idempotency keys on writes, the user agent; openapi-fetch ' +
      'underneath: builds a `Request`, runs the API-key middleware, parses JSON) and its ' +
      'timeout set to 10 s (`timeoutMs: 10_000`), against `fetch(url, { headers: ' +
      `{ '${API_KEY_HEADER}': key }, signal: AbortSignal.timeout(10_000) })\` + \`response.json()\`; ` +
      `${requests} requests each after ${warmup} warm-up rounds, alternating, same endpoint. ` +
      "The target is the issue's, on the local HTTP API; the same comparison on the bare " +
      "server, whose answers are faster, shows how the client's fixed per-call cost weighs there.",
    rows,
  };
}
