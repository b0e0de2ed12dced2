/**
 * (a) Size of each Lambda bundle, minified and gzipped, against a NAIVE bundle of the same
 * SDK clients: what a quick `esbuild --bundle --platform=node` gives (CommonJS, not
 * minified, default main fields, so the SDK's CommonJS builds, which do not tree-shake).
 * The SDK clients a function uses are read from its own esbuild metafile, so the naive
 * bundle follows the function as it changes.
 */
import { FUNCTIONS, type FunctionName } from '@tap/contracts';
import { build, type Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { kib, type BenchmarkReport, type DetailTable, type Row } from './report';
import { ratio } from './stats';

/** gzip level for both sides: what a deployment zip roughly costs to move. */
const GZIP_LEVEL = 9;

/** SDK packages that are a client a function chooses to use (not the SDK's own internals). */
const SDK_CLIENT = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb|s3-request-presigner)$/;

/** The package an input of a metafile belongs to, or where our own code lives. */
export function packageOf(input: string): string {
  const matches = [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  const last = matches.at(-1);
  if (last?.[1]) return last[1];
  if (input.startsWith('libs/')) return `TAP ${input.split('/').slice(0, 2).join('/')}`;
  if (input.startsWith('apps/')) return `TAP ${input.split('/').slice(0, 2).join('/')}`;
  return input;
}

/** The JavaScript files of a bundle: the entry and its chunks, as the metafile lists them. */
interface BundleFiles {
  /** Every `.mjs` file the build wrote (what is deployed). */
  readonly all: readonly string[];
  /** The entry and the chunks it imports statically: what a cold start loads. */
  readonly eager: readonly string[];
}

/**
 * Splits a metafile's outputs into all files and those loaded eagerly at import.
 *
 * @param entry - the entry's output path as the metafile names it (`dist/…/index.mjs`).
 *   Named, not searched for: with code splitting every `import()` target is an entry
 *   point of esbuild's too.
 */
export function bundleFiles(metafile: Metafile, entry: string): BundleFiles {
  const all = Object.keys(metafile.outputs).filter((file) => file.endsWith('.mjs'));
  if (!all.includes(entry)) throw new Error(`the metafile has no output ${entry}`);
  const eager = new Set<string>();
  const visit = (file: string): void => {
    if (eager.has(file)) return;
    eager.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      // Chunks behind import() load only when that code runs, not at cold start.
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  return { all, eager: [...eager] };
}

/** Bytes each package contributes to these output files, largest first. */
export function bytesByPackage(metafile: Metafile, files: readonly string[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const file of files) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file]?.inputs ?? {})) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Minified and gzipped size of some files; each file gzipped on its own, as a zip does. */
const sizes = (contents: readonly Uint8Array[]): { raw: number; gzip: number } => ({
  raw: contents.reduce((sum, code) => sum + code.byteLength, 0),
  gzip: contents.reduce((sum, code) => sum + gzipSync(code, { level: GZIP_LEVEL }).byteLength, 0),
});

/** The naive bundle of these SDK clients, built in memory. */
async function naiveBundle(workspaceRoot: string, clients: readonly string[]): Promise<Uint8Array> {
  // Every client kept whole, as a handler that uses them would keep them.
  const contents = clients.map((name, index) => `export * as c${index} from '${name}';`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir: workspaceRoot, loader: 'js', sourcefile: 'naive.js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no naive bundle');
  return output.contents;
}

/** Functions measured, in the order the table lists them. */
const MEASURED: readonly FunctionName[] = ['api', 'authorizer', 'health'];

export async function benchBundleSize(workspaceRoot: string): Promise<BenchmarkReport> {
  const rows: Row[] = [];
  const details: DetailTable[] = [];
  const overview: string[][] = [];
  for (const name of MEASURED) {
    const bundleDir = path.join(workspaceRoot, FUNCTIONS[name].bundleDir);
    const metafile = JSON.parse(readFileSync(`${bundleDir}.meta.json`, 'utf8')) as Metafile;
    // Metafile paths are relative to where the build ran: the workspace root.
    const files = bundleFiles(metafile, path.posix.join(FUNCTIONS[name].bundleDir, 'index.mjs'));
    const read = (list: readonly string[]): Uint8Array[] =>
      list.map((file) => readFileSync(path.join(workspaceRoot, file)));
    const all = sizes(read(files.all));
    const eager = sizes(read(files.eager));
    const clients = bytesByPackage(metafile, files.all)
      .map(([pkg]) => pkg)
      .filter((pkg) => SDK_CLIENT.test(pkg))
      .sort();
    const naive = sizes([await naiveBundle(workspaceRoot, clients)]);
    const target = { maxRatio: 1, targetText: '< 1× (none set)' };
    rows.push(
      {
        figure: `${name}: all files, minified`,
        value: kib(all.raw),
        baseline: kib(naive.raw),
        ratio: ratio(all.raw, naive.raw),
        ...target,
      },
      {
        figure: `${name}: all files, gzipped`,
        value: kib(all.gzip),
        baseline: kib(naive.gzip),
        ratio: ratio(all.gzip, naive.gzip),
        ...target,
      },
      {
        figure: `${name}: loaded at cold start, minified`,
        value: kib(eager.raw),
        baseline: kib(naive.raw),
        ratio: ratio(eager.raw, naive.raw),
        ...target,
      },
    );
    overview.push([
      name,
      `${files.eager.length} of ${files.all.length}`,
      clients.join(', ') || '(none)',
    ]);
    const packages = bytesByPackage(metafile, files.eager);
    const total = packages.reduce((sum, [, bytes]) => sum + bytes, 0);
    details.push({
      title: `${name}: biggest inputs loaded at cold start (metafile bytes in the minified output)`,
      header: ['Package', 'Size', 'Share'],
      rows: packages
        .slice(0, 8)
        .map(([pkg, bytes]) => [pkg, kib(bytes), `${((bytes / total) * 100).toFixed(0)} %`]),
    });
  }
  return {
    id: 'bundle-size',
    title: 'a. Bundle size',
    method:
      'Ours: the files `tools/scripts/bundle-lambdas.mjs` writes per function (ESM, minified, ' +
      'tree-shaken; `index.mjs` plus chunks when it splits code), read through its metafile: ' +
      '"all files" is what is deployed, "loaded at cold start" is `index.mjs` and the chunks it ' +
      'imports statically (chunks behind `import()` load later, if ever). Baseline: ' +
      '`esbuild --bundle --platform=node` (CommonJS, not minified, default main fields) of a ' +
      'file re-exporting the SDK clients the function bundles (read from its metafile), all of ' +
      `it loaded at start. gzip: zlib level ${GZIP_LEVEL}, each file on its own. The issue sets ` +
      'no size target; the table shows whether ours is smaller.',
    rows,
    details: [
      {
        title: 'Files and SDK clients per function (the naive baseline bundles these clients)',
        header: ['Function', 'Files loaded at cold start', 'SDK clients'],
        rows: overview,
      },
      ...details,
    ],
  };
}
