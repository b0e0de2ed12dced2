/**
 * (b) Cold start proxy: a FRESH Node process imports a Lambda bundle and serves its first
 * request against the local cloud's emulators, timed from spawn to the answer, against the
 * same for an EMPTY handler bundled the same way. The difference is what our bundle costs
 * at cold start: loading and evaluating its code, building its clients at init, and the
 * first request's one-off work (connections, lazy loading, first compilation).
 */
import {
  API_KEY_HEADER,
  SCOPES,
  TAP_REGION,
  routeTable,
  toAuthorizerContext,
  type FunctionName,
} from '@tap/contracts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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
import { WORKSPACE_ROOT } from '@tap/test-support';
import { LAMBDA_BUNDLE_OPTIONS } from '@tap/workspace-scripts/lambda-bundle-options';
import type { Fixture } from './fixture';
import { ms, times, type BenchmarkReport, type Row } from './report';
import { interleave, median, p90, ratio } from './stats';

const CHILD_SCRIPT = path.join(__dirname, 'cold-start-child.mjs');

/** A child that has not answered by then is killed and the benchmark fails. */
const CHILD_TIMEOUT_MS = 20_000;

/** What the child reports (see cold-start-child.mjs), plus the parent's clock. */
export interface ColdStart {
  /** Spawn to first answer, on the parent's clock: the figure. */
  readonly totalMs: number;
  /** Node's own start-up before the import began. */
  readonly bootMs: number;
  readonly importMs: number;
  readonly firstInvokeMs: number;
  readonly statusCode?: number;
  readonly isAuthorized?: boolean;
  /** With `TAP_BENCH_TRACE_FS=1`: files touched outside the bundle's folder. */
  readonly fileAccesses?: readonly string[];
}

/**
 * One cold start: spawn, wait for the report on fd 3, wait for the exit.
 *
 * @param nodeOptions - flags for the child's `node` (the profiler, for instance); none
 * when timing.
 */
export function coldStart(
  bundleFile: string,
  event: unknown,
  env: Record<string, string>,
  nodeOptions: readonly string[] = [],
): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...nodeOptions, CHILD_SCRIPT, bundleFile, JSON.stringify(event)],
      { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
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
 * The first requests whose cold start is measured: the API's, the health check's, and the
 * authorizer's twice, with a machine key (one GetItem on the key table) and with a user's
 * access token (a signature check against the JWKS given at deployment, no call).
 */
type Measured = 'api' | 'authorizer' | 'authorizerToken' | 'health';

/** The function each measured request runs. */
const FUNCTION_OF: Readonly<Record<Measured, FunctionName>> = {
  api: 'api',
  authorizer: 'authorizer',
  authorizerToken: 'authorizer',
  health: 'health',
};

/** What each measured request is, for the report. */
const LABEL: Readonly<Record<Measured, string>> = {
  api: 'api',
  authorizer: 'authorizer, machine key',
  authorizerToken: 'authorizer, user token',
  health: 'health',
};

/** A handler of `bench/floors`, run with the event and environment of function `event`. */
interface FloorSpec {
  readonly file: string;
  readonly label: string;
  readonly event: Measured;
  /** `TAP_BENCH_SDK_SETTINGS` of the run (./floors/sdk-settings.ts); none when absent. */
  readonly settings?: string;
}

/**
 * Floors: handlers that do only what a first request cannot avoid, bundled the way our
 * functions are (`bundle-lambdas.mjs`'s options). The API's and the health check's build
 * their SDK clients with the function's own factory, so that a floor always has the
 * function's client settings; the API and health targets are set against them. The others
 * show what is left of a request without an SDK client, and what Powertools costs alone.
 */
const FLOORS = {
  apiFloor: {
    file: 'sdk-get-item.ts',
    label:
      "GetItem through the API function's client factory (`createDocumentClient`), nothing else of ours",
    event: 'api',
  },
  healthFloor: {
    file: 'sdk-health-checks.ts',
    label:
      "DescribeTable + HeadBucket through the health function's clients (`createHealthClients`), nothing else of ours",
    event: 'health',
  },
  signedGetItem: {
    file: 'signed-get-item.ts',
    label: 'the same GetItem signed with `@smithy/signature-v4` over `node:http`, no SDK client',
    event: 'api',
  },
  powertools: {
    file: 'powertools-only.ts',
    label: 'Powertools Logger + Metrics (cold-start metric, one metric, one log line)',
    event: 'api',
  },
} as const satisfies Record<string, FloorSpec>;

/** All three settings the SDK would otherwise resolve itself at first call. */
const ALL_SETTINGS = 'region,credentials,endpoint';

/**
 * SDK settings experiments: the floors' calls with the function's fail-fast HTTP settings,
 * each environment setting made explicit alone and all together, and the plain client
 * instead of the document client. Each is compared with the first of its group, which
 * leaves all three to the SDK.
 */
const EXPERIMENTS = {
  getItemDefault: {
    file: 'sdk-get-item-settings.ts',
    label: 'GetItem, document client: region, credentials, endpoint resolved by the SDK',
    event: 'api',
    settings: '',
  },
  getItemRegion: {
    file: 'sdk-get-item-settings.ts',
    label: 'GetItem, document client, explicit `region` (`AWS_REGION`)',
    event: 'api',
    settings: 'region',
  },
  getItemCredentials: {
    file: 'sdk-get-item-settings.ts',
    label: 'GetItem, document client, explicit `credentials` (`AWS_ACCESS_KEY_ID`…)',
    event: 'api',
    settings: 'credentials',
  },
  getItemEndpoint: {
    file: 'sdk-get-item-settings.ts',
    label: 'GetItem, document client, explicit `endpoint` (`AWS_ENDPOINT_URL_DYNAMODB`)',
    event: 'api',
    settings: 'endpoint',
  },
  getItemAll: {
    file: 'sdk-get-item-settings.ts',
    label: 'GetItem, document client, all three explicit',
    event: 'api',
    settings: ALL_SETTINGS,
  },
  getItemNoSharedConfig: {
    file: 'sdk-get-item-no-shared-config.ts',
    label:
      'GetItem, document client, all three explicit and every setting the SDK would look up in the shared config files (SDK defaults)',
    event: 'api',
    settings: ALL_SETTINGS,
  },
  getItemPlain: {
    file: 'sdk-get-item-plain.ts',
    label: 'GetItem, plain `DynamoDBClient` + `GetItemCommand`, settings resolved by the SDK',
    event: 'api',
    settings: '',
  },
  getItemPlainAll: {
    file: 'sdk-get-item-plain.ts',
    label: 'GetItem, plain client, all three explicit',
    event: 'api',
    settings: ALL_SETTINGS,
  },
  healthDefault: {
    file: 'sdk-health-checks-settings.ts',
    label: 'DescribeTable + HeadBucket: region, credentials, endpoint resolved by the SDK',
    event: 'health',
    settings: '',
  },
  healthAll: {
    file: 'sdk-health-checks-settings.ts',
    label: 'DescribeTable + HeadBucket, all three explicit',
    event: 'health',
    settings: ALL_SETTINGS,
  },
} as const satisfies Record<string, FloorSpec>;

type FloorName = keyof typeof FLOORS;
type ExperimentName = keyof typeof EXPERIMENTS;
type VariantName = FloorName | ExperimentName;

const VARIANTS: Readonly<Record<VariantName, FloorSpec>> = { ...FLOORS, ...EXPERIMENTS };

/**
 * The functions once more with `NODE_OPTIONS=--enable-source-maps`, which the model does
 * not set: what reading their source maps at load would cost (the reason it does not).
 */
const WITH_SOURCE_MAPS = {
  apiWithSourceMaps: 'api',
  authorizerWithSourceMaps: 'authorizer',
  authorizerTokenWithSourceMaps: 'authorizerToken',
  healthWithSourceMaps: 'health',
} as const satisfies Record<string, Measured>;
type WithSourceMaps = keyof typeof WITH_SOURCE_MAPS;

/** The Node option that makes stack traces name the sources through the bundles' maps. */
const SOURCE_MAPS_OPTION = '--enable-source-maps';

/** Which default each experiment is compared with. */
const EXPERIMENT_BASELINE: Readonly<Record<ExperimentName, ExperimentName>> = {
  getItemDefault: 'getItemDefault',
  getItemRegion: 'getItemDefault',
  getItemCredentials: 'getItemDefault',
  getItemEndpoint: 'getItemDefault',
  getItemAll: 'getItemDefault',
  getItemNoSharedConfig: 'getItemDefault',
  getItemPlain: 'getItemDefault',
  getItemPlainAll: 'getItemDefault',
  healthDefault: 'healthDefault',
  healthAll: 'healthDefault',
};

/**
 * A handler of `bench/floors`, bundled as `bundle-lambdas.mjs` bundles a function (source
 * maps included, as beside the functions' bundles).
 */
export async function buildFloorBundle(directory: string, file: string): Promise<string> {
  const outdir = path.join(directory, path.basename(file, '.ts'));
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: { index: path.join(__dirname, 'floors', file) },
    outdir,
    logLevel: 'silent',
  });
  return path.join(outdir, 'index.mjs');
}

/** The empty handler, bundled with the options `bundle-lambdas.mjs` uses. */
export async function buildEmptyBundle(directory: string): Promise<string> {
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
export function coldStartEvents(fixture: Fixture): Record<Measured, unknown> {
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
  const itemPath = `/api/items/${fixture.itemId}`;
  const itemRequest = request(itemPath, [API_KEY_HEADER, fixture.apiKey]);
  const tokenRequest = request(itemPath, ['authorization', `Bearer ${fixture.userToken}`]);
  const itemMatch = { route: route('GET /api/items/{id}'), pathParameters: { id: fixture.itemId } };
  // The principal the authorizer hands the API for the key (no identity source: `[]`).
  const principal = toAuthorizerContext({
    kind: 'machine',
    tenant: fixture.tenant,
    subject: 'local-default',
    scopes: SCOPES,
  });
  return {
    api: buildProxyEvent(itemRequest, itemMatch, identity(), { ...principal }),
    authorizer: buildAuthorizerEvent(itemRequest, itemMatch, identity(), []),
    authorizerToken: buildAuthorizerEvent(tokenRequest, itemMatch, identity(), []),
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
export const LAMBDA_EMPTY_INIT_MS = 120;

/**
 * The targets, all on spawn → first answer: the API and the health check against their
 * floors (the same SDK calls through the same clients, nothing else of ours), the
 * authorizer (with a key and with a token) against the empty handler, and each
 * function's Lambda estimate against the published init of an empty function.
 */
export const TARGETS = {
  apiVsFloor: 1.1,
  healthVsFloor: 1.05,
  authorizerVsEmpty: 1.5,
  lambdaEstimate: 1.4,
} as const;

/**
 * The Lambda estimate of a function: the published empty-function init plus what our
 * bundle costs beyond the empty handler here.
 */
export const lambdaEstimateMs = (oursMs: number, emptyMs: number): number =>
  LAMBDA_EMPTY_INIT_MS + (oursMs - emptyMs);

/**
 * A file access as RESULTS.md shows it: the home folder as `~`, the workspace as `.`, so
 * that the report names no folder of this machine.
 */
function portablePath(access: string, workspaceRoot: string): string {
  return access.split(homedir()).join('~').split(workspaceRoot).join('.');
}

export async function benchColdStart(
  fixture: Fixture,
  bundleFiles: Readonly<Record<FunctionName, string>>,
  rounds: number,
): Promise<BenchmarkReport> {
  const directory = mkdtempSync(path.join(tmpdir(), 'tap-bench-'));
  try {
    const emptyBundle = await buildEmptyBundle(directory);
    const variantNames = Object.keys(VARIANTS) as VariantName[];
    const files = [...new Set(variantNames.map((name) => VARIANTS[name].file))];
    const bundleOf = Object.fromEntries(
      await Promise.all(
        files.map(async (file) => [file, await buildFloorBundle(directory, file)] as const),
      ),
    ) as Record<string, string>;
    const event = coldStartEvents(fixture);
    type RunName = 'empty' | Measured | WithSourceMaps | VariantName;
    const runs = Object.fromEntries(
      (
        [
          'empty',
          'api',
          'authorizer',
          'authorizerToken',
          'health',
          ...(Object.keys(WITH_SOURCE_MAPS) as WithSourceMaps[]),
          ...variantNames,
        ] as RunName[]
      ).map((name) => [name, [] as ColdStart[]]),
    ) as Record<RunName, ColdStart[]>;

    const isVariant = (name: RunName): name is VariantName => name in VARIANTS;
    /** How to start run `name`: its bundle, event, environment and the answer to expect. */
    const launch = (name: RunName, extraEnv: Record<string, string> = {}) => {
      const variant = isVariant(name) ? VARIANTS[name] : undefined;
      const withMaps = name in WITH_SOURCE_MAPS;
      // The empty handler runs with the API's event and environment.
      const kind: Measured =
        variant?.event ??
        (withMaps
          ? WITH_SOURCE_MAPS[name as WithSourceMaps]
          : name === 'empty'
            ? 'api'
            : (name as Measured));
      const settings = variant?.settings;
      const bundle = variant
        ? (bundleOf[variant.file] as string)
        : name === 'empty'
          ? emptyBundle
          : bundleFiles[FUNCTION_OF[kind]];
      // Same environment as the function: a floor is charged for nothing else.
      const modelled = fixture.functionEnv(FUNCTION_OF[kind]);
      const { NODE_OPTIONS, ...rest } = modelled;
      const env = {
        ...rest,
        ...(withMaps
          ? { NODE_OPTIONS: [NODE_OPTIONS, SOURCE_MAPS_OPTION].filter(Boolean).join(' ') }
          : NODE_OPTIONS === undefined
            ? {}
            : { NODE_OPTIONS }),
        ...(settings === undefined ? {} : { TAP_BENCH_SDK_SETTINGS: settings }),
        ...extraEnv,
      };
      const ok = (r: ColdStart) =>
        FUNCTION_OF[kind] === 'authorizer' ? r.isAuthorized === true : r.statusCode === 200;
      return async (): Promise<ColdStart> => {
        const result = await coldStart(bundle, event[kind], env);
        if (!ok(result))
          throw new Error(`${name} cold start answered wrongly: ${JSON.stringify(result)}`);
        return result;
      };
    };
    const measure = (name: RunName) => {
      const run = launch(name);
      return async (): Promise<number> => {
        const result = await run();
        runs[name].push(result);
        return result.totalMs;
      };
    };
    const samples = await interleave(
      Object.fromEntries(
        (Object.keys(runs) as RunName[]).map((name) => [name, measure(name)]),
      ) as Record<RunName, () => Promise<number>>,
      rounds,
      1,
    );
    // The warm-up round is not in `samples`; drop it from the split too.
    for (const list of Object.values(runs)) list.shift();

    // Untimed, after the rounds: which files outside its bundle each variant touches.
    const accesses = {} as Record<RunName, readonly string[]>;
    for (const name of Object.keys(runs) as RunName[]) {
      const traced = await launch(name, { TAP_BENCH_TRACE_FS: '1' })();
      accesses[name] = (traced.fileAccesses ?? []).map((access) =>
        portablePath(access, WORKSPACE_ROOT),
      );
    }

    const medianOf = (name: RunName): number => median(samples[name]);
    const emptyMedian = medianOf('empty');
    const rows: Row[] = [
      {
        figure: 'api: spawn → first response, vs its floor (the same GetItem, same client)',
        value: ms(medianOf('api')),
        baseline: ms(medianOf('apiFloor')),
        ratio: ratio(medianOf('api'), medianOf('apiFloor')),
        maxRatio: TARGETS.apiVsFloor,
      },
      {
        figure:
          'health: spawn → first response, vs its floor (DescribeTable + HeadBucket, same clients)',
        value: ms(medianOf('health')),
        baseline: ms(medianOf('healthFloor')),
        ratio: ratio(medianOf('health'), medianOf('healthFloor')),
        maxRatio: TARGETS.healthVsFloor,
      },
      ...(['authorizer', 'authorizerToken'] as const).map((name): Row => ({
        figure: `${LABEL[name]}: spawn → first response, vs the empty handler`,
        value: ms(medianOf(name)),
        baseline: ms(emptyMedian),
        ratio: ratio(medianOf(name), emptyMedian),
        maxRatio: TARGETS.authorizerVsEmpty,
      })),
      ...(['api', 'authorizer', 'authorizerToken', 'health'] as const).map((name): Row => ({
        figure: `${LABEL[name]}: Lambda estimate (${LAMBDA_EMPTY_INIT_MS} ms + ours − empty), vs an empty function's published init`,
        value: ms(lambdaEstimateMs(medianOf(name), emptyMedian)),
        baseline: ms(LAMBDA_EMPTY_INIT_MS),
        ratio: ratio(lambdaEstimateMs(medianOf(name), emptyMedian), LAMBDA_EMPTY_INIT_MS),
        maxRatio: TARGETS.lambdaEstimate,
      })),
      ...(['api', 'health'] as const).map((name): Row => ({
        figure: `${name}: spawn → first response, vs the empty handler`,
        value: ms(medianOf(name)),
        baseline: ms(emptyMedian),
        ratio: ratio(medianOf(name), emptyMedian),
      })),
    ];
    const beyondBoot = (name: RunName): number =>
      median(runs[name].map((r) => r.importMs + r.firstInvokeMs));
    const split = (name: RunName, label: string = name): string[] => {
      const list = runs[name];
      return [
        label,
        ms(median(list.map((r) => r.totalMs))),
        ms(p90(list.map((r) => r.totalMs))),
        ms(median(list.map((r) => r.bootMs))),
        ms(median(list.map((r) => r.importMs))),
        ms(median(list.map((r) => r.firstInvokeMs))),
        ms(beyondBoot(name)),
      ];
    };
    const accessSummary = (name: RunName): string =>
      accesses[name].length === 0 ? 'none' : String(accesses[name].length);
    const experimentNames = Object.keys(EXPERIMENTS) as ExperimentName[];
    const tracedNames = (Object.keys(runs) as RunName[]).filter(
      (name) => accesses[name].length > 0,
    );
    /** Variants that touched the same files, as one sentence each. */
    const describeAccesses = (names: readonly RunName[]): string => {
      const byFiles = new Map<string, RunName[]>();
      for (const name of names) {
        const files = [...new Set(accesses[name])].join('; ');
        byFiles.set(files, [...(byFiles.get(files) ?? []), name]);
      }
      return [...byFiles]
        .map(([files, group]) => `${group.map((name) => `\`${name}\``).join(', ')}: ${files}.`)
        .join(' ');
    };
    return {
      id: 'cold-start',
      title: 'b. Cold start (fresh process: import + first request)',
      notes: [
        'The Lambda estimate adds our measured extra time to the published empty-function init; ' +
          "it assumes this machine's full CPU, while a 256–512 MB function gets a fraction of a " +
          'vCPU, so on Lambda the same work takes longer: read it as a lower bound.',
        'File accesses: each variant run once more after the rounds (untimed) with `node:fs` ' +
          'wrapped in the child (`TAP_BENCH_TRACE_FS=1`), counting the calls that name a file ' +
          "outside the variant's bundle folder from the import to the first answer. " +
          (tracedNames.length === 0 ? 'None touched any.' : describeAccesses(tracedNames)),
      ],
      method:
        `Each round spawns a fresh \`node\` (${process.version}) per variant that imports the bundle and ` +
        'invokes its handler once with the event the gateway would send (built by the local ' +
        "cloud's event builders), with the environment the local cloud gives the function " +
        '(emulator endpoints, names, credentials). Timed on the parent from `spawn` to the ' +
        `answer. ${rounds} rounds after 1 warm-up round, every variant in every round. ` +
        'Baselines: for the API and the health check their floors, the same SDK calls through ' +
        "the function's own client factory and nothing else of ours (`bench/floors`); for the " +
        'authorizer, an empty handler ' +
        '(`export const handler = async () => ({ statusCode: 200 })`) bundled with the same ' +
        'esbuild options; for the Lambda estimate, the published init of an empty function. ' +
        'Floors and the empty handler are bundled as the functions are (source maps beside them) ' +
        "and run with the function's environment. " +
        'API: `GET /api/items/{id}` of an existing item (DynamoDB GetItem); authorizer: the ' +
        "same request with the local cloud's default machine key (one GetItem on the key " +
        "table), and with a user's access token from the local issuer (verified against the " +
        'JWKS given in its environment, no call); health: DynamoDB and S3 checks.',
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
          rows: [
            split('empty'),
            ...(['api', 'authorizer', 'authorizerToken', 'health'] as const).map((name) =>
              split(name, LABEL[name]),
            ),
            split('apiFloor', 'api floor'),
            split('healthFloor', 'health floor'),
          ],
        },
        {
          title:
            `Source maps: the functions as modelled (no \`${SOURCE_MAPS_OPTION}\`) and once more ` +
            `with \`NODE_OPTIONS=${SOURCE_MAPS_OPTION}\` (same rounds): what stack traces that name ` +
            'the sources would cost every cold start',
          header: ['Function', 'As modelled', `With ${SOURCE_MAPS_OPTION}`, 'Difference', 'Ratio'],
          rows: (Object.keys(WITH_SOURCE_MAPS) as WithSourceMaps[]).map((name) => {
            const modelled = WITH_SOURCE_MAPS[name];
            return [
              LABEL[modelled],
              ms(medianOf(modelled)),
              ms(medianOf(name)),
              ms(medianOf(name) - medianOf(modelled)),
              times(ratio(medianOf(name), medianOf(modelled))),
            ];
          }),
        },
        {
          title:
            'Floors: what a first request costs with nothing of ours (same rounds, same ' +
            'empty baseline).',
          header: ['Floor', 'Spawn → answer', 'Ratio to empty', 'Compare with'],
          rows: (Object.keys(FLOORS) as FloorName[]).map((name) => [
            FLOORS[name].label,
            ms(medianOf(name)),
            times(ratio(medianOf(name), emptyMedian)),
            {
              apiFloor: `api ${times(ratio(medianOf('api'), emptyMedian))}; authorizer, machine key ${times(ratio(medianOf('authorizer'), emptyMedian))} (the same kind of GetItem)`,
              healthFloor: `health ${times(ratio(medianOf('health'), emptyMedian))}`,
              signedGetItem: `api floor ${times(ratio(medianOf('apiFloor'), emptyMedian))}`,
              powertools: 'added to any of the above',
            }[name],
          ]),
        },
        {
          title:
            "SDK settings: the floors' calls with the function's fail-fast HTTP settings, " +
            'one environment setting made explicit at a time, all together, and the plain ' +
            'client (same rounds; ratio to the first row of its group)',
          header: [
            'Variant',
            'Spawn → answer',
            'Ratio',
            "Import + first invoke (child's clock)",
            'Ratio',
            'Files touched outside the bundle',
          ],
          rows: experimentNames.map((name) => {
            const baseline = EXPERIMENT_BASELINE[name];
            return [
              EXPERIMENTS[name].label,
              ms(medianOf(name)),
              times(ratio(medianOf(name), medianOf(baseline))),
              ms(beyondBoot(name)),
              times(ratio(beyondBoot(name), beyondBoot(baseline))),
              accessSummary(name),
            ];
          }),
        },
        {
          title: "Without Node start-up (import + first invoke only, on the child's clock)",
          header: [
            'Bundle',
            'Ours',
            'Empty',
            'Ratio',
            `Lambda estimate: ${LAMBDA_EMPTY_INIT_MS} ms + (ours − empty), vs ${LAMBDA_EMPTY_INIT_MS} ms`,
          ],
          rows: (['api', 'authorizer', 'authorizerToken', 'health'] as const).map((name) => {
            const estimate = lambdaEstimateMs(medianOf(name), emptyMedian);
            return [
              LABEL[name],
              ms(beyondBoot(name)),
              ms(beyondBoot('empty')),
              times(ratio(beyondBoot(name), beyondBoot('empty'))),
              `${ms(estimate)} = ${times(ratio(estimate, LAMBDA_EMPTY_INIT_MS))} (target ${TARGETS.lambdaEstimate}×)`,
            ];
          }),
        },
      ],
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
