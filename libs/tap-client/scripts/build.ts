/**
 * Builds `@tap/client` into a publishable package in `dist/libs/tap-client`:
 * - `index.js`: ESM, bundled from the sources (with the little of `@tap/contracts` they
 *   use at run time, the API key header name), runtime dependencies left external;
 * - `index.d.ts`: one declaration file with the contract's types inlined, so the
 *   package does not depend on the workspace-only `@tap/contracts`;
 * - `package.json`: the source manifest with the entry points rewritten for `dist`.
 */
import { build } from 'esbuild';
import { generateDtsBundle } from 'dts-bundle-generator';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectRoot, '../..');
const outDir = path.join(workspaceRoot, 'dist', 'libs', 'tap-client');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const manifest = JSON.parse(
    readFileSync(path.join(projectRoot, 'package.json'), 'utf8'),
  ) as Manifest;
  const workspaceDeps = Object.keys(manifest.dependencies ?? {}).filter((name) =>
    name.startsWith('@tap/'),
  );
  if (workspaceDeps.length > 0) {
    throw new Error(
      `@tap/client must not depend on workspace packages at run time: ${workspaceDeps.join(', ')}`,
    );
  }

  const result = await build({
    entryPoints: [path.join(projectRoot, 'src', 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    // The declared dependencies stay imports; workspace libraries are bundled (only the
    // contract's API key header name is reached at run time), so the package needs none.
    external: Object.keys(manifest.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]),
    metafile: true,
    logLevel: 'warning',
  });
  const imported = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.map((i) => i.path),
  );
  const unexpected = imported.filter(
    (name) => !Object.keys(manifest.dependencies ?? {}).includes(name),
  );
  if (unexpected.length > 0) {
    throw new Error(
      `index.js imports packages the manifest does not declare: ${unexpected.join(', ')}`,
    );
  }

  const [declarations] = generateDtsBundle(
    [
      {
        filePath: path.join(projectRoot, 'src', 'index.ts'),
        output: { noBanner: true, exportReferencedTypes: false },
      },
    ],
    { preferredConfigPath: path.join(projectRoot, 'tsconfig.lib.json') },
  );
  if (!declarations || declarations.includes('@tap/contracts')) {
    throw new Error('index.d.ts still refers to @tap/contracts');
  }
  writeFileSync(path.join(outDir, 'index.d.ts'), declarations);

  const published = {
    ...manifest,
    main: './index.js',
    types: './index.d.ts',
    exports: {
      '.': { types: './index.d.ts', import: './index.js', default: './index.js' },
      './package.json': './package.json',
    },
    files: ['index.js', 'index.js.map', 'index.d.ts', 'README.md'],
  };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  copyFileSync(path.join(projectRoot, 'README.md'), path.join(outDir, 'README.md'));
  console.log(
    `built ${manifest.name}@${manifest.version} in ${path.relative(workspaceRoot, outDir)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
