/**
 * Where a function's cold start spends its CPU time, next to its floor's: each runs in a
 * fresh `node` under the V8 sampling profiler (`--cpu-prof`), as the cold start benchmark
 * runs them, and every sample's function is mapped through the bundle's source map to the
 * file it came from. TAP's own code is shown per file, dependencies per package, so the
 * rows that the floor lacks are what our code adds to the first request. A tool for
 * deciding what to make lazy, not a benchmark: the profiler slows what it measures, so
 * read the milliseconds as shares of the cold start, not as its duration.
 *
 *   npx tsx bench/cold-start-profile.ts [api|health] [runs]    (default: api 10)
 *
 * TAP_PROFILE_NODE_DETAIL=1 splits Node.js's own rows by module (`node:path`, …).
 *
 * Needs the bundles in dist/ (`npx nx run-many -t build -p health-handler api-handlers`).
 */
import { FUNCTIONS } from '@tap/contracts';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloorBundle, coldStart, coldStartEvents } from './cold-start';
import { startFixture } from './fixture';
import { median } from './stats';

/** The floor each profiled function is compared with (see cold-start.ts). */
const FLOOR_FILES = { api: 'sdk-get-item.ts', health: 'sdk-health-checks.ts' } as const;
type Profiled = keyof typeof FLOOR_FILES;

/** The parts of a `.cpuprofile` this reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** The source map beside a bundle file, if there is one. */
function sourceMapOf(file: string): SourceMap | undefined {
  if (!sourceMaps.has(file)) {
    const mapFile = `${file}.map`;
    sourceMaps.set(
      file,
      existsSync(mapFile)
        ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload)
        : undefined,
    );
  }
  return sourceMaps.get(file);
}

/** `@scope/name` or `name` of the package a `node_modules` path is in. */
function packageOf(source: string): string {
  const rest = source.slice(source.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const [first = '', second = ''] = rest.split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** What a sampled function is: a TAP file, a package, Node.js itself, or V8's own work. */
function sourceOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (url === '') return functionName; // (garbage collector), (program), (idle), (root)
  // Node 20 compiles (V8-parses) an ES module's source in esm/utils: what loading more
  // code costs beyond running it shows there.
  if (url === 'node:internal/modules/esm/utils') return 'Node.js: compiling ES modules';
  if (url === 'node:internal/bootstrap/realm') return 'Node.js: loading built-in modules';
  if (url.startsWith('node:internal/source_map/')) return 'Node.js: source maps';
  if (process.env['TAP_PROFILE_NODE_DETAIL'] && url.startsWith('node:')) return url;
  if (url.startsWith('node:')) return 'Node.js: other';
  if (!url.startsWith('file:')) return url;
  const file = fileURLToPath(url);
  if (path.basename(file) === 'cold-start-child.mjs') return 'bench: cold-start-child.mjs';
  const entry = sourceMapOf(file)?.findEntry(lineNumber, columnNumber);
  const original =
    entry && 'originalSource' in entry
      ? path.resolve(path.dirname(file), entry.originalSource)
      : undefined;
  // A chunk's top-level code starts before its first mapped module: the chunking differs
  // between a function and its floor, so these are one row, not one per chunk.
  if (!original) return 'top-level code of bundle files (no source position)';
  if (original.includes(`${path.sep}node_modules${path.sep}`)) return packageOf(original);
  return `TAP ${path.relative(WORKSPACE_ROOT, original)}`;
}

/** Self time per source in one profile, in ms. */
function selfTimes(profile: CpuProfile): Map<string, number> {
  const sourceById = new Map(profile.nodes.map((node) => [node.id, sourceOf(node.callFrame)]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const source = sourceById.get(id) ?? 'unknown';
    times.set(source, (times.get(source) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return times;
}

/** Runs `bundle` cold `runs` times under the profiler; the self times of each run. */
async function profileRuns(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  runs: number,
): Promise<Map<string, number>[]> {
  const directory = mkdtempSync(path.join(tmpdir(), 'tap-profile-'));
  try {
    for (let run = 0; run < runs; run += 1) {
      const result = await coldStart(bundle, event, env, [
        '--cpu-prof',
        `--cpu-prof-dir=${directory}`,
        '--cpu-prof-interval=100',
      ]);
      if (result.statusCode !== 200) throw new Error(`answered ${String(result.statusCode)}`);
    }
    return readdirSync(directory)
      .filter((file) => file.endsWith('.cpuprofile'))
      .map((file) =>
        selfTimes(JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as CpuProfile),
      );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const medianOf = (runs: readonly Map<string, number>[], source: string): number =>
  median(runs.map((times) => times.get(source) ?? 0));

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'api') as Profiled;
  if (!(name in FLOOR_FILES)) throw new Error(`usage: cold-start-profile.ts [api|health] [runs]`);
  const runs = Math.max(3, Number(process.argv[3] ?? 10));
  const bundle = path.join(WORKSPACE_ROOT, FUNCTIONS[name].bundleDir, 'index.mjs');
  if (!existsSync(`${bundle}.map`)) throw new Error(`${bundle}.map is missing: build first`);
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const fixture = await startFixture();
  const directory = mkdtempSync(path.join(tmpdir(), 'tap-profile-floor-'));
  try {
    const floor = await buildFloorBundle(directory, FLOOR_FILES[name]);
    const event = coldStartEvents(fixture)[name];
    const env = fixture.functionEnv(name);
    const ours = await profileRuns(bundle, event, env, runs);
    const base = await profileRuns(floor, event, env, runs);
    const sources = [...new Set([...ours, ...base].flatMap((times) => [...times.keys()]))];
    const rows = sources
      .map((source) => ({
        source,
        ours: medianOf(ours, source),
        floor: medianOf(base, source),
      }))
      .filter((row) => row.ours >= 0.05 || row.floor >= 0.05)
      .sort((a, b) => b.ours - b.floor - (a.ours - a.floor));
    const total = (list: readonly Map<string, number>[]): number =>
      median(list.map((times) => [...times.values()].reduce((sum, value) => sum + value, 0)));
    console.log(
      `\n${name}: self time per source, median of ${runs} profiled cold starts ` +
        `(${total(ours).toFixed(1)} ms profiled in all; floor ${FLOOR_FILES[name]}: ${total(base).toFixed(1)} ms)\n`,
    );
    console.log('| Source | Ours | Floor | Difference |');
    console.log('| --- | --- | --- | --- |');
    for (const row of rows) {
      console.log(
        `| ${row.source} | ${row.ours.toFixed(1)} ms | ${row.floor.toFixed(1)} ms | ${(row.ours - row.floor).toFixed(1)} ms |`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await fixture.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
