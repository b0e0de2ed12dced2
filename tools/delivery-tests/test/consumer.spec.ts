/**
 * @tap/client as its users get it: the built package packed into a tarball, installed
 * with npm into a project outside this workspace, type-checked by a strict consumer
 * configuration, and run against a local cloud. What the workspace's own tests cannot
 * see (a missing file in the package, declarations that still point into the
 * monorepo, an ESM entry Node cannot load) fails here.
 */
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { isolatedEnv, run, runOrThrow, type RunResult } from './support/processes';

const builtPackage = path.join(WORKSPACE_ROOT, 'dist', 'libs', 'tap-client');
const tsc = path.join(WORKSPACE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The consumer's code: typed calls only, no `any`, as an application would write them. */
const USAGE = `import { createTapClient, type CreateItemRequest, type Item } from '@tap/client';

export interface Outcome {
  readonly health: number;
  readonly created: Item;
  readonly readBack: Item;
}

export async function useTap(baseUrl: string, apiKey: string): Promise<Outcome> {
  const tap = createTapClient({ baseUrl, apiKey });
  const health = await tap.GET('/health');
  const request: CreateItemRequest = { name: 'from the packed client', tags: ['consumer'] };
  const created = await tap.POST('/api/items', { body: request });
  if (!created.data) throw new Error(\`create answered \${created.response.status}\`);
  const readBack = await tap.GET('/api/items/{id}', { params: { path: { id: created.data.id } } });
  if (!readBack.data) throw new Error(\`read answered \${readBack.response.status}\`);
  return { health: health.response.status, created: created.data, readBack: readBack.data };
}
`;

/** Wrong on purpose: the contract's item name is a string. */
const USAGE_WITH_TYPE_ERROR = `import { createTapClient } from '@tap/client';

const tap = createTapClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'key' });
export const created = tap.POST('/api/items', { body: { name: 42 } });
`;

/** Runs the compiled usage in a plain Node process: no tsx, no workspace paths. */
const MAIN = `import { useTap } from './out/usage.js';

const outcome = await useTap(process.env.TAP_BASE_URL, process.env.TAP_API_KEY);
process.stdout.write(JSON.stringify(outcome));
`;

/** A strict consumer configuration; `types: []` because the consumer installs no @types. */
function tsconfig(options: Record<string, unknown>, files: string[]): string {
  const compilerOptions = {
    strict: true,
    target: 'es2022',
    lib: ['es2022', 'dom'],
    types: [],
    skipLibCheck: false,
    ...options,
  };
  return JSON.stringify({ compilerOptions, files }, null, 2);
}

/** tsc's own diagnostics, one per line, e.g. `usage.ts(3,5): error TS2322: ...`. */
const diagnostics = (result: RunResult): string[] =>
  result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));

describe('@tap/client installed from its tarball', () => {
  let tmp: string;
  let consumer: string;
  let tarballFiles: string[];
  let cloud: LocalCloud | undefined;

  const npm = (args: string[], cwd: string): Promise<RunResult> =>
    runOrThrow('npm', args, {
      cwd,
      env: isolatedEnv({ npm_config_update_notifier: 'false' }),
      timeoutMs: 60_000,
    });
  const typecheck = (project: string): Promise<RunResult> =>
    run(process.execPath, [tsc, '-p', project], { cwd: consumer, timeoutMs: 60_000 });

  beforeAll(async () => {
    if (!existsSync(path.join(builtPackage, 'package.json'))) {
      throw new Error(
        `${builtPackage} is missing: run it through \`nx run delivery-tests:test\`, which builds it`,
      );
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tap-consumer-'));
    const packed = await npm(['pack', builtPackage, '--pack-destination', tmp, '--json'], tmp);
    const [tarball] = JSON.parse(packed.stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    if (!tarball) throw new Error(`npm pack printed no tarball: ${packed.stdout}`);
    tarballFiles = tarball.files.map((file) => file.path).sort();

    consumer = path.join(tmp, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'tap-consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    // openapi-fetch comes from the registry (or npm's cache), as it would for a user.
    await npm(
      ['install', path.join(tmp, tarball.filename), '--prefer-offline', '--no-audit', '--no-fund'],
      consumer,
    );
    writeFileSync(path.join(consumer, 'usage.ts'), USAGE);
    writeFileSync(path.join(consumer, 'usage-with-type-error.ts'), USAGE_WITH_TYPE_ERROR);
    writeFileSync(path.join(consumer, 'main.mjs'), MAIN);
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' }, ['usage.ts']),
    );
    writeFileSync(
      path.join(consumer, 'tsconfig.bundler.json'),
      tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }, ['usage.ts']),
    );
    writeFileSync(
      path.join(consumer, 'tsconfig.type-error.json'),
      tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', noEmit: true }, [
        'usage-with-type-error.ts',
      ]),
    );
  }, 90_000);

  afterAll(async () => {
    await cloud?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the bundle, its declarations and the README, and nothing else', () => {
    expect(tarballFiles).toEqual([
      'README.md',
      'index.d.ts',
      'index.js',
      'index.js.map',
      'package.json',
    ]);
  });

  it('installs as @tap/client with openapi-fetch as its only dependency', () => {
    const installed = JSON.parse(
      readFileSync(path.join(consumer, 'node_modules', '@tap', 'client', 'package.json'), 'utf8'),
    ) as { name: string; version: string; dependencies: Record<string, string> };
    const source = JSON.parse(
      readFileSync(path.join(WORKSPACE_ROOT, 'libs', 'tap-client', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(installed).toMatchObject({ name: '@tap/client', version: source.version });
    expect(Object.keys(installed.dependencies)).toEqual(['openapi-fetch']);
    expect(existsSync(path.join(consumer, 'node_modules', 'openapi-fetch', 'package.json'))).toBe(
      true,
    );
  });

  it('type-checks strictly under Node ESM resolution (nodenext), declarations included', async () => {
    const result = await typecheck('tsconfig.json');
    expect(diagnostics(result)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('type-checks strictly under bundler resolution', async () => {
    const result = await typecheck('tsconfig.bundler.json');
    expect(diagnostics(result)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('rejects a request body that breaks the contract: the types are real, not any', async () => {
    const result = await typecheck('tsconfig.type-error.json');
    expect(result.code).not.toBe(0);
    const errors = diagnostics(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^usage-with-type-error\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  });

  it('runs in plain Node against the local cloud: health, create an item, read it back', async () => {
    // Compiled as the consumer's own build would (the nodenext configuration emits).
    expect((await typecheck('tsconfig.json')).code).toBe(0);
    cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true });
    const result = await runOrThrow(process.execPath, ['main.mjs'], {
      cwd: consumer,
      env: isolatedEnv({ TAP_BASE_URL: cloud.baseUrl, TAP_API_KEY: cloud.outputs.ApiKey }),
      timeoutMs: 30_000,
    });
    const outcome = JSON.parse(result.stdout) as {
      health: number;
      created: { id: string; name: string; tags?: string[] };
      readBack: unknown;
    };
    expect(outcome.health).toBe(200);
    expect(outcome.created).toMatchObject({ name: 'from the packed client', tags: ['consumer'] });
    expect(outcome.readBack).toEqual(outcome.created);
  });
});
