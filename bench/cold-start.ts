/**
 * (b) Cold start proxy: a FRESH Node process imports a Lambda bundle and serves its first
 * request against the local cloud's emulators, timed from spawn to the answer, against the
 * same for an EMPTY handler bundled the same way. The difference is what our bundle costs
 * at cold start: loading and evaluating its code, building its clients at init, and the
 * first request's one-off work (connections, lazy loading, first compilation).
 */
import { TAP_REGION, routeTable, type FunctionName } from '@tap/contracts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  newRequestId,
  parseHttpRequest,
  type RequestIdentity,
} from '@tap/local-cloud';
import { LAMBDA_BUNDLE_OPTIONS } from '@tap/workspace-scripts/lambda-bundle-options';
import type { Fixture } from './fixture';
import { ms, type BenchmarkReport, type Row } from './report';
import { interleave, median, p90, ratio } from './stats';

const CHILD_SCRIPT = path.join(__dirname, 'cold-start-child.mjs');

/** A child that has not answered by then is killed and the benchmark fails. */
const CHILD_TIMEOUT_MS = 20_000;

/** What the child reports (see cold-start-child.mjs), plus the parent's clock. */
interface ColdStart {
  /** Spawn to first answer, on the parent's clock: the figure. */
  readonly totalMs: number;
  /** Node's own start-up before the import began. */
  readonly bootMs: number;
  readonly importMs: number;
  readonly firstInvokeMs: number;
  readonly statusCode?: number;
  readonly isAuthorized?: boolean;
}

/** One cold start: spawn, wait for the report on fd 3, wait for the exit. */
function coldStart(
  bundleFile: string,
  event: unknown,
  env: Record<string, string>,
): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CHILD_SCRIPT, bundleFile, JSON.stringify(event)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report: ColdStart | undefined;
    let stderr = '';
    let buffered = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (report || !buffered.includes('\n')) return;
      const totalMs = performance.now() - started;
      report = {
        ...(JSON.parse(buffered.split('\n')[0] ?? '{}') as Omit<ColdStart, 'totalMs'>),
        totalMs,
      };
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (report && code === 0) resolve(report);
      else
        reject(
          new Error(
            `${path.basename(path.dirname(bundleFile))} cold start failed (exit ${code ?? signal}): ${stderr.trim()}`,
          ),
        );
    });
  });
}

/**
 * Floors: handlers that do only what a first request cannot avoid, bundled the way our
 * functions are (`bundle-lambdas.mjs`'s options). They show what the targets leave for our
 * own code, and which of them no handler on the AWS SDK and Powertools can meet.
 */
const FLOORS = {
  sdkGetItem: {
    file: 'sdk-get-item.ts',
    label: 'GetItem with the SDK (`lib-dynamodb`), nothing else',
    event: 'api',
  },
  signedGetItem: {
    file: 'signed-get-item.ts',
    label: 'the same GetItem signed with `@smithy/signature-v4` over `node:http`, no SDK client',
    event: 'api',
  },
  sdkGetSecret: {
    file: 'sdk-get-secret.ts',
    label: 'GetSecretValue with the SDK, nothing else',
    event: 'authorizer',
  },
  sdkHealthChecks: {
    file: 'sdk-health-checks.ts',
    label: 'DescribeTable + HeadBucket with the SDK, nothing else',
    event: 'health',
  },
  powertools: {
    file: 'powertools-only.ts',
    label: 'Powertools Logger + Metrics (cold-start metric, one metric, one log line)',
    event: 'api',
  },
} as const satisfies Record<
  string,
  { file: string; label: string; event: 'api' | 'authorizer' | 'health' }
>;

type FloorName = keyof typeof FLOORS;

/** A floor handler, bundled as `bundle-lambdas.mjs` bundles a function. */
async function buildFloorBundle(directory: string, name: FloorName): Promise<string> {
  const outdir = path.join(directory, name);
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: { index: path.join(__dirname, 'floors', FLOORS[name].file) },
    outdir,
    logLevel: 'silent',
  });
  return path.join(outdir, 'index.mjs');
}

/** The empty handler, bundled with the options `bundle-lambdas.mjs` uses. */
async function buildEmptyBundle(directory: string): Promise<string> {
  const outdir = path.join(directory, 'empty');
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    stdin: { contents: 'export const handler = async () => ({ statusCode: 200 });', loader: 'js' },
    outdir,
    logLevel: 'silent',
  });
  return path.join(outdir, 'stdin.mjs');
}

/** The events the gateway would send, built by the local cloud's own event builders. */
export function coldStartEvents(fixture: Fixture): {
  api: unknown;
  authorizer: unknown;
  health: unknown;
} {
  const base = new URL(fixture.baseUrl);
  const route = (routeKey: string) => {
    const found = routeTable.find((candidate) => candidate.routeKey === routeKey);
    if (!found) throw new Error(`no route ${routeKey} in the contract`);
    return found;
  };
  const request = (url: string, headers: string[]) =>
    parseHttpRequest({
      method: 'GET',
      url,
      rawHeaders: [
        'host',
        base.host,
        'user-agent',
        'tap-bench',
        'accept',
        'application/json',
        ...headers,
      ],
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      port: Number(base.port),
    });
  const identity = (): RequestIdentity => ({
    requestId: newRequestId(),
    receivedAt: new Date(),
    apiId: 'b3nch00000',
    accountId: '000000000000',
    region: TAP_REGION,
  });
  const itemRequest = request(`/api/items/${fixture.itemId}`, ['x-api-key', fixture.apiKey]);
  const itemMatch = { route: route('GET /api/items/{id}'), pathParameters: { id: fixture.itemId } };
  return {
    // Our authorizer passes no context; the gateway then hands the route an empty one.
    api: buildProxyEvent(itemRequest, itemMatch, identity(), {}),
    authorizer: buildAuthorizerEvent(itemRequest, itemMatch, identity(), [fixture.apiKey]),
    health: buildProxyEvent(
      request('/health', []),
      { route: route('GET /health'), pathParameters: {} },
      identity(),
    ),
  };
}

/**
 * Published init duration of an empty Node.js 24 function on arm64, for the estimate of
 * what our extra cost would weigh against Lambda's own baseline.
 */
const LAMBDA_EMPTY_INIT_MS = 120;

/** Targets of the issue: (import + first request) of ours over the empty handler's. */
const TARGETS: Readonly<Record<'api' | 'authorizer' | 'health', number>> = {
  api: 1.5,
  authorizer: 1.5,
  health: 1.7,
};

export async function benchColdStart(
  fixture: Fixture,
  bundleFiles: Readonly<Record<FunctionName, string>>,
  rounds: number,
): Promise<BenchmarkReport> {
  const directory = mkdtempSync(path.join(tmpdir(), 'tap-bench-'));
  try {
    const emptyBundle = await buildEmptyBundle(directory);
    const floorNames = Object.keys(FLOORS) as FloorName[];
    const floorBundles = Object.fromEntries(
      await Promise.all(
        floorNames.map(async (name) => [name, await buildFloorBundle(directory, name)] as const),
      ),
    ) as Record<FloorName, string>;
    const event = coldStartEvents(fixture);
    const runs: Record<'empty' | 'api' | 'authorizer' | 'health' | FloorName, ColdStart[]> = {
      empty: [],
      api: [],
      authorizer: [],
      health: [],
      ...(Object.fromEntries(floorNames.map((name) => [name, [] as ColdStart[]])) as Record<
        FloorName,
        ColdStart[]
      >),
    };

    const measure =
      (name: keyof typeof runs, run: () => Promise<ColdStart>, ok: (r: ColdStart) => boolean) =>
      async (): Promise<number> => {
        const result = await run();
        if (!ok(result))
          throw new Error(`${name} cold start answered wrongly: ${JSON.stringify(result)}`);
        runs[name].push(result);
        return result.totalMs;
      };
    const floorVariants = Object.fromEntries(
      floorNames.map((name) => {
        const kind = FLOORS[name].event;
        return [
          name,
          measure(
            name,
            () => coldStart(floorBundles[name], event[kind], fixture.functionEnv(kind)),
            (r) => (kind === 'authorizer' ? r.isAuthorized === true : r.statusCode === 200),
          ),
        ];
      }),
    ) as Record<FloorName, () => Promise<number>>;
    const samples = await interleave(
      {
        ...floorVariants,
        // Same environment as the API function: the empty handler is charged for nothing else.
        empty: measure(
          'empty',
          () => coldStart(emptyBundle, event.api, fixture.functionEnv('api')),
          (r) => r.statusCode === 200,
        ),
        api: measure(
          'api',
          () => coldStart(bundleFiles.api, event.api, fixture.functionEnv('api')),
          (r) => r.statusCode === 200,
        ),
        authorizer: measure(
          'authorizer',
          () =>
            coldStart(bundleFiles.authorizer, event.authorizer, fixture.functionEnv('authorizer')),
          (r) => r.isAuthorized === true,
        ),
        health: measure(
          'health',
          () => coldStart(bundleFiles.health, event.health, fixture.functionEnv('health')),
          (r) => r.statusCode === 200,
        ),
      },
      rounds,
      1,
    );
    // The warm-up round is not in `samples`; drop it from the split too.
    for (const list of Object.values(runs)) list.shift();
    const emptyMedian = median(samples.empty);
    const rows: Row[] = (['api', 'authorizer', 'health'] as const).map((name) => ({
      figure: `${name}: spawn → first response`,
      value: ms(median(samples[name])),
      baseline: ms(emptyMedian),
      ratio: ratio(median(samples[name]), emptyMedian),
      maxRatio: TARGETS[name],
    }));
    const split = (name: keyof typeof runs): string[] => {
      const list = runs[name];
      return [
        name,
        ms(median(list.map((r) => r.totalMs))),
        ms(p90(list.map((r) => r.totalMs))),
        ms(median(list.map((r) => r.bootMs))),
        ms(median(list.map((r) => r.importMs))),
        ms(median(list.map((r) => r.firstInvokeMs))),
        ms(median(list.map((r) => r.importMs + r.firstInvokeMs))),
      ];
    };
    const beyondBoot = (name: keyof typeof runs): number =>
      median(runs[name].map((r) => r.importMs + r.firstInvokeMs));
    return {
      id: 'cold-start',
      title: 'b. Cold start (fresh process: import + first request)',
      notes: [
        'The Lambda estimate adds our measured extra time to the published empty-function init; ' +
          "it assumes this machine's full CPU, while a 256–512 MB function gets a fraction of a " +
          'vCPU, so on Lambda the same work takes longer: read it as a lower bound.',
      ],
      method:
        `Each round spawns a fresh \`node\` (${process.version}) per variant that imports the bundle and ` +
        'invokes its handler once with the event the gateway would send (built by the local ' +
        "cloud's event builders), with the environment the local cloud gives the function " +
        '(emulator endpoints, names, credentials). Timed on the parent from `spawn` to the ' +
        `answer. ${rounds} rounds after 1 warm-up round; baseline: an empty handler ` +
        '(`export const handler = async () => ({ statusCode: 200 })`) bundled with the same ' +
        'esbuild options. API: `GET /api/items/{id}` of an existing item (DynamoDB GetItem); ' +
        'authorizer: the right key (read through the endpoint of the Parameters and Secrets ' +
        'extension, which the Secrets Manager emulator answers); health: DynamoDB and S3 checks.',
      rows,
      details: [
        {
          title:
            'Where the time goes (medians; boot = Node start-up before the import, the same for all)',
          header: [
            'Bundle',
            'Spawn → answer',
            'p90',
            'Boot',
            'Import',
            'First invoke',
            'Import + first invoke',
          ],
          rows: (['empty', 'api', 'authorizer', 'health'] as const).map(split),
        },
        {
          title:
            'Floors: what a first request costs with nothing of ours (same rounds, same ' +
            'empty baseline). A target below the floor of what a function must do cannot be ' +
            'met by a handler built that way.',
          header: ['Floor', 'Spawn → answer', 'Ratio to empty', 'Compare with'],
          rows: floorNames.map((name) => [
            FLOORS[name].label,
            ms(median(samples[name])),
            `${ratio(median(samples[name]), emptyMedian).toFixed(2)}×`,
            {
              sdkGetItem: `api ${ratio(median(samples.api), emptyMedian).toFixed(2)}× (target ${TARGETS.api}×)`,
              signedGetItem: `api target ${TARGETS.api}×`,
              sdkGetSecret: `authorizer ${ratio(median(samples.authorizer), emptyMedian).toFixed(2)}× (target ${TARGETS.authorizer}×)`,
              sdkHealthChecks: `health ${ratio(median(samples.health), emptyMedian).toFixed(2)}× (target ${TARGETS.health}×)`,
              powertools: 'added to any of the above',
            }[name],
          ]),
        },
        {
          title: "Without Node start-up (import + first invoke only, on the child's clock)",
          header: [
            'Bundle',
            'Ours',
            'Empty',
            'Ratio',
            `Lambda estimate: ${LAMBDA_EMPTY_INIT_MS} ms + (ours − empty)`,
          ],
          rows: (['api', 'authorizer', 'health'] as const).map((name) => {
            const extra = median(samples[name]) - emptyMedian;
            return [
              name,
              ms(beyondBoot(name)),
              ms(beyondBoot('empty')),
              `${ratio(beyondBoot(name), beyondBoot('empty')).toFixed(2)}×`,
              `${ms(LAMBDA_EMPTY_INIT_MS + extra)} = ${ratio(LAMBDA_EMPTY_INIT_MS + extra, LAMBDA_EMPTY_INIT_MS).toFixed(2)}× (target ${TARGETS[name]}×)`,
            ];
          }),
        },
      ],
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
