#!/usr/bin/env node
// `npm test`: the whole gate, in the order a reviewer would check it. Nx caches every
// step, so a rerun with nothing changed takes seconds. Ends with one summary line
// ("tests: N passed, M failed") summed over every Jest run's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const RESULTS_DIR = path.join('dist', 'test-results');
const TARGETS = [
  'check-generated',
  'lint',
  'lint-workflows',
  'typecheck',
  'test',
  'build',
  'synth',
  'release-dry-run',
  'integration',
];

/**
 * Runs one step of the gate with its output on this terminal.
 *
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @returns {boolean} whether it succeeded
 */
function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function summarize() {
  let passed = 0;
  let failed = 0;
  if (existsSync(RESULTS_DIR)) {
    for (const file of readdirSync(RESULTS_DIR).filter((name) => name.endsWith('.json'))) {
      const report = JSON.parse(readFileSync(path.join(RESULTS_DIR, file), 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
    }
  }
  return { passed, failed };
}

// Stale reports from an earlier run must not count; Nx restores cached ones.
rmSync(RESULTS_DIR, { recursive: true, force: true });

const ok =
  run('format', 'npx', ['prettier', '--check', '.']) &&
  run('workspace', 'npx', [
    'nx',
    'run-many',
    '-t',
    ...TARGETS,
    '--parallel=2',
    '--outputStyle=static',
  ]);

const { passed, failed } = summarize();
console.log(`\ntests: ${passed} passed, ${ok ? failed : Math.max(failed, 1)} failed`);
process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
