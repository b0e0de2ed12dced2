/**
 * (c) Warm request overhead: `GET /api/items/{id}` through the local HTTP API emulation
 * (gateway, the authorizer's warm worker, which the gateway asks on every request as the
 * stack's does, and the API function's warm worker) against the bare server doing only the
 * same GetItem. Both warmed up, then requests alternate one by one.
 */
import type { BareServers } from './bare-server';
import { API_KEY_HEADER } from '@tap/contracts';
import type { Fixture } from './fixture';
import { ms, type BenchmarkReport } from './report';
import { interleave, median, p90, ratio, timeMs } from './stats';

/** A GET that must answer `status`; its body is read, as a client would. */
async function getExpecting(
  url: string,
  headers: Readonly<Record<string, string>>,
  status = 200,
): Promise<void> {
  const response = await fetch(url, {
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}`);
}

export async function benchWarmRequest(
  fixture: Fixture,
  bare: BareServers,
  requests: number,
  warmup: number,
): Promise<BenchmarkReport> {
  const path = `/api/items/${fixture.itemId}`;
  const key = { [API_KEY_HEADER]: fixture.apiKey };
  const token = { authorization: `Bearer ${fixture.userToken}` };
  const samples = await interleave(
    {
      api: () => timeMs(() => getExpecting(`${fixture.baseUrl}${path}`, key)),
      apiWithToken: () => timeMs(() => getExpecting(`${fixture.baseUrl}${path}`, token)),
      bare: () => timeMs(() => getExpecting(`${bare.process.baseUrl}${path}`, key)),
      bareInThread: () => timeMs(() => getExpecting(`${bare.thread.baseUrl}${path}`, key)),
      // Where the overhead sits: a path without a route is answered 404 by the gateway
      // itself, running no function, so this is the emulated gateway's own HTTP cost.
      gatewayOnly: () => timeMs(() => getExpecting(`${fixture.baseUrl}/no-such-route`, key, 404)),
    },
    requests,
    warmup,
  );
  return {
    id: 'warm-request',
    title: 'c. Warm request overhead',
    method:
      `\`GET /api/items/{id}\` with \`fetch\` (keep-alive), ${requests} requests each after ${warmup} ` +
      'warm-up rounds, alternating. Ours: the local HTTP API (gateway; the authorizer, asked on ' +
      'every request since the gateway caches no decision, warm in its worker thread with the ' +
      "key's record cached; the API function warm in its worker thread), with the local " +
      "cloud's machine key and, in a row of its own, with a user's access token. " +
      'Baseline: a minimal `node:http` server doing only ' +
      'the same `GetCommand` (DynamoDBDocumentClient) on the same DynamoDB emulator and item, in ' +
      'a process of its own (`bare-server-process.mjs`), so a request to it crosses between ' +
      'threads as often as one through the local HTTP API does (see `bare-server.ts`). The same ' +
      "server inside the benchmark's own thread, beside the emulator and the client, crosses " +
      'none: its row shows that floor.',
    rows: [
      {
        figure: 'GET /api/items/{id}: median latency',
        value: ms(median(samples.api)),
        baseline: ms(median(samples.bare)),
        ratio: ratio(median(samples.api), median(samples.bare)),
        maxRatio: 1.2,
      },
      {
        figure: "GET /api/items/{id} with a user's access token: median latency",
        value: ms(median(samples.apiWithToken)),
        baseline: ms(median(samples.bare)),
        ratio: ratio(median(samples.apiWithToken), median(samples.bare)),
        maxRatio: 1.2,
      },
      {
        figure: 'GET /api/items/{id}: p90 latency',
        value: ms(p90(samples.api)),
        baseline: ms(p90(samples.bare)),
        ratio: ratio(p90(samples.api), p90(samples.bare)),
      },
      {
        figure: "GET /api/items/{id}: median, vs the bare server in the benchmark's own thread",
        value: ms(median(samples.api)),
        baseline: ms(median(samples.bareInThread)),
        ratio: ratio(median(samples.api), median(samples.bareInThread)),
      },
      {
        figure: 'the gateway alone (no route: 404 from the gateway, no function runs): median',
        value: ms(median(samples.gatewayOnly)),
        baseline: ms(median(samples.bare)),
        ratio: ratio(median(samples.gatewayOnly), median(samples.bare)),
      },
    ],
  };
}
