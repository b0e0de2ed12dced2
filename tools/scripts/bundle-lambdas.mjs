#!/usr/bin/env node
// Bundles every Lambda entry point of a project: `<project>/src/functions/<name>.ts`
// becomes `dist/<project>/<name>/index.mjs` (+ lazily loaded chunks and source maps), one folder per function so
// each deploys as its own small asset. ESM, minified, AWS SDK bundled and tree-shaken
// (the runtime's bundled SDK is not used: pinning our own keeps behaviour reproducible).
// The esbuild metafile goes next to the folder (`<name>.meta.json`) for size benchmarks.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_BUNDLE_OPTIONS, UNSUPPORTED_REQUIRE_USE } from './lambda-bundle-options.mjs';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: bundle-lambdas.mjs <projectRoot>');
  process.exit(2);
}

const functionsDir = path.join(projectRoot, 'src', 'functions');
const entries = readdirSync(functionsDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
  .map((file) => path.basename(file, '.ts'));
if (entries.length === 0) {
  console.error(`no entry points in ${functionsDir}`);
  process.exit(1);
}

const outRoot = path.join('dist', projectRoot);
rmSync(outRoot, { recursive: true, force: true });

for (const name of entries) {
  const result = await build({
    entryPoints: { index: path.join(functionsDir, `${name}.ts`) },
    outdir: path.join(outRoot, name),
    ...LAMBDA_BUNDLE_OPTIONS,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(path.join(outRoot, `${name}.meta.json`), JSON.stringify(result.metafile));
  const outputs = Object.entries(result.metafile.outputs).filter(
    ([file]) => !file.endsWith('.map'),
  );
  for (const [file] of outputs) {
    const misuse = readFileSync(file, 'utf8').match(UNSUPPORTED_REQUIRE_USE);
    if (misuse) {
      console.error(`${file} uses ${misuse[0]}, which the bundle's require() prelude lacks`);
      process.exit(1);
    }
  }
  const kib = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const entryBytes = outputs
    .filter(([, output]) => output.entryPoint)
    .reduce((sum, [, o]) => sum + o.bytes, 0);
  const allBytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(
    `${projectRoot}: ${name} → ${path.join(outRoot, name, 'index.mjs')} (${kib(entryBytes)}; ${kib(allBytes)} with lazy chunks)`,
  );
}
