/**
 * (c) Warm request overhead: `GET /api/items/{id}` through the local HTTP API emulation
 * (gateway, cached authorizer decision, the API function's warm worker) against the bare
 * server doing only the same GetItem. Both warmed up, then requests alternate one by one.
 */
import type { BareServers } from './bare-server';
import { API_KEY_HEADER } from '@tap/contracts';
import type { Fixture } from './fixture';
import { ms, type BenchmarkReport } from './report';
import { interleave, median, p90, ratio, timeMs } from './stats';

/** A GET that must answer `status`; its body is read, as a client would. */
async function getExpecting(url: string, apiKey: string | undefined, status = 200): Promise<void> {
  const response = await fetch(url, {
    headers: apiKey === undefined ? {} : { [API_KEY_HEADER]: apiKey },
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
  const samples = await interleave(
    {
      api: () => timeMs(() => getExpecting(`${fixture.baseUrl}${path}`, fixture.apiKey)),
      bare: () => timeMs(() => getExpecting(`${bare.process.baseUrl}${path}`, fixture.apiKey)),
      bareInThread: () =>
        timeMs(() => getExpecting(`${bare.thread.baseUrl}${path}`, fixture.apiKey)),
      // Where the overhead sits: without a key the gateway answers 401 itself, running no
      // function, so this is the emulated gateway's own HTTP cost.
      gatewayOnly: () => timeMs(() => getExpecting(`${fixture.baseUrl}${path}`, undefined, 401)),
    },
    requests,
    warmup,
  );
  return {
    id: 'warm-request',
    title: 'c. Warm request overhead',
    method:
      `\`GET /api/items/{id}\` with \`fetch\` (keep-alive), ${requests} requests each after ${warmup} ` +
      'warm-up rounds, alternating. Ours: the local HTTP API (gateway, authorizer decision cached, ' +
      'API function warm in its worker thread). Baseline: a minimal `node:http` server doing only ' +
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
        figure: 'the gateway alone (no key: 401 from the gateway, no function runs): median',
        value: ms(median(samples.gatewayOnly)),
        baseline: ms(median(samples.bare)),
        ratio: ratio(median(samples.gatewayOnly), median(samples.bare)),
      },
    ],
  };
}
