/**
 * (g) What an `Idempotency-Key` costs a write: `POST /api/items` with a fresh key against
 * the same POST without one, both by the real API bundle in a warm process of its own,
 * whose DynamoDB endpoint is a counting proxy in front of the local cloud's emulator. The
 * issue's figure is the DynamoDB round trips (at most one more than the plain POST); the
 * handler's own time and the answer through the local HTTP API are shown beside it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import {
  API_KEY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  SCOPES,
  TAP_REGION,
  routeTable,
  toAuthorizerContext,
} from '@tap/contracts';
import { buildProxyEvent, newRequestId, parseHttpRequest } from '@tap/local-cloud';
import type { Fixture } from './fixture';
import { ms, type BenchmarkReport, type DetailTable, type Row } from './report';
import { interleave, median, ratio, timeMs } from './stats';

/** A proxy to DynamoDB that counts the calls passing through, by operation. */
async function countingProxy(target: string): Promise<{
  readonly url: string;
  take(): Record<string, number>;
  close(): Promise<void>;
}> {
  const upstream = new URL(target);
  let counts: Record<string, number> = {};
  const server: Server = createServer((incoming, outgoing) => {
    const operation =
      String(incoming.headers['x-amz-target'] ?? 'unknown')
        .split('.')
        .pop() ?? 'unknown';
    counts[operation] = (counts[operation] ?? 0) + 1;
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    take() {
      const taken = counts;
      counts = {};
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API bundle, warm in a child process; `invoke` sends one event and awaits its answer. */
function warmApi(bundleFile: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(__dirname, 'invoke-child.mjs'), bundleFile], {
    env,
    // stdout carries the function's logs and metrics; the answers come on descriptor 3.
    stdio: ['pipe', 'ignore', 'inherit', 'pipe'],
  });
  const answerStream = child.stdio[3];
  const { stdin } = child;
  if (!(answerStream instanceof Readable) || !stdin) {
    throw new Error('no pipes to the API process');
  }
  const answers = createInterface({ input: answerStream })[Symbol.asyncIterator]();
  return {
    async invoke(event: unknown): Promise<{ statusCode: number; handlerMs: number }> {
      stdin.write(`${JSON.stringify(event)}\n`);
      const next = await answers.next();
      if (next.done) throw new Error('the API process ended');
      return JSON.parse(next.value) as { statusCode: number; handlerMs: number };
    },
    stop(): void {
      child.kill();
    },
  };
}

export async function benchIdempotentWrite(
  fixture: Fixture,
  apiBundle: string,
  requests: number,
  warmup: number,
): Promise<BenchmarkReport> {
  const route = routeTable.find((candidate) => candidate.routeKey === 'POST /api/items');
  if (!route) throw new Error('no POST /api/items in the contract');
  const base = new URL(fixture.baseUrl);
  const principal = toAuthorizerContext({
    kind: 'machine',
    tenant: fixture.tenant,
    subject: 'local-default',
    scopes: SCOPES,
  });
  const event = (keyed: boolean): unknown => {
    const body = Buffer.from(JSON.stringify({ name: 'bench write', tags: ['bench'] }));
    const parsed = parseHttpRequest({
      method: 'POST',
      url: '/api/items',
      rawHeaders: [
        'host',
        base.host,
        'content-type',
        'application/json',
        API_KEY_HEADER,
        fixture.apiKey,
        ...(keyed ? [IDEMPOTENCY_KEY_HEADER, randomUUID()] : []),
      ],
      body,
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      port: Number(base.port),
    });
    return buildProxyEvent(
      parsed,
      { route, pathParameters: {} },
      {
        requestId: newRequestId(),
        receivedAt: new Date(),
        apiId: 'b3nch00000',
        accountId: '000000000000',
        region: TAP_REGION,
      },
      { ...principal },
    );
  };

  const env = fixture.functionEnv('api');
  const proxy = await countingProxy(env['AWS_ENDPOINT_URL_DYNAMODB'] ?? '');
  const api = warmApi(apiBundle, { ...env, AWS_ENDPOINT_URL_DYNAMODB: proxy.url });
  const calls: Record<'plain' | 'keyed', Record<string, number>[]> = { plain: [], keyed: [] };
  let samples: Record<'plain' | 'keyed', number[]>;
  try {
    const write = (kind: 'plain' | 'keyed') => async (): Promise<number> => {
      proxy.take();
      const answer = await api.invoke(event(kind === 'keyed'));
      if (answer.statusCode !== 201) throw new Error(`${kind} POST answered ${answer.statusCode}`);
      calls[kind].push(proxy.take());
      return answer.handlerMs;
    };
    samples = await interleave({ plain: write('plain'), keyed: write('keyed') }, requests, warmup);
  } finally {
    api.stop();
    await proxy.close();
  }

  const total = (counts: Record<string, number>): number =>
    Object.values(counts).reduce((sum, count) => sum + count, 0);
  const roundTrips = {
    plain: median(calls.plain.map(total)),
    keyed: median(calls.keyed.map(total)),
  };
  const describe = (list: Record<string, number>[]): string => {
    const last = list.at(-1) ?? {};
    return Object.entries(last)
      .map(([operation, count]) => `${operation} × ${count}`)
      .join(', ');
  };

  // The same two writes through the local HTTP API: what a client waits for.
  const url = `${fixture.baseUrl}/api/items`;
  const post = (keyed: boolean) => () =>
    timeMs(async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [API_KEY_HEADER]: fixture.apiKey,
          ...(keyed ? { [IDEMPOTENCY_KEY_HEADER]: randomUUID() } : {}),
        },
        body: JSON.stringify({ name: 'bench write over HTTP' }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
    });
  const overHttp = await interleave({ plain: post(false), keyed: post(true) }, requests, warmup);

  const rows: Row[] = [
    {
      figure: 'DynamoDB round trips of POST /api/items with an Idempotency-Key (median)',
      value: String(roundTrips.keyed),
      baseline: `${roundTrips.plain} (no key)`,
      ratio: ratio(roundTrips.keyed, roundTrips.plain),
      maxRatio: (roundTrips.plain + 1) / roundTrips.plain,
      targetText: 'at most one round trip more than the plain POST',
    },
    {
      figure: 'API handler time of the keyed POST, warm (median)',
      value: ms(median(samples.keyed)),
      baseline: ms(median(samples.plain)),
      ratio: ratio(median(samples.keyed), median(samples.plain)),
    },
    {
      figure: 'keyed POST through the local HTTP API (median)',
      value: ms(median(overHttp.keyed)),
      baseline: ms(median(overHttp.plain)),
      ratio: ratio(median(overHttp.keyed), median(overHttp.plain)),
    },
  ];
  const details: DetailTable[] = [
    {
      title: 'DynamoDB calls of one write',
      header: ['request', 'calls'],
      rows: [
        ['POST /api/items', describe(calls.plain)],
        ['POST /api/items with Idempotency-Key', describe(calls.keyed)],
      ],
    },
  ];
  return {
    id: 'idempotent-write',
    title: 'g. Idempotent write vs plain write',
    method:
      'The API bundle warm in a child process (as a Lambda container), invoked with the ' +
      "gateway's event for `POST /api/items`, alternately with a fresh `Idempotency-Key` and " +
      `without; its DynamoDB endpoint is a proxy counting the calls of each request. ${requests} ` +
      `writes of each kind after ${warmup} warm-up rounds; then the same two writes through the ` +
      'local HTTP API.',
    rows,
    details,
    notes: [
      "The round trips are the issue's figure. The times are the emulator's: dynalite has no " +
        'transactions, so the local cloud emulates `TransactWriteItems` with a consistent read ' +
        'and a conditional write per action, serialised; on DynamoDB it is one call.',
    ],
  };
}
