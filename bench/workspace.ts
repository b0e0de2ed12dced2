/**
 * (f) The workspace loop: `infra:synth`, and the whole gate's Nx part (`lint typecheck test
 * build synth` over every project), each run once with `--skip-nx-cache` and once replayed
 * from Nx's cache. The ratio is the point: what a rerun with nothing changed costs.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seconds, type BenchmarkReport, type Row } from './report';
import { ratio } from './stats';

/** A run of the whole gate on 2 cores takes minutes; past this it is killed. */
const COMMAND_TIMEOUT_MS = 12 * 60_000;

const TARGETS = ['lint', 'typecheck', 'test', 'build', 'synth'];

interface CommandRun {
  readonly ms: number;
  readonly code: number | null;
  readonly log: string;
}

/** Runs `npx <args>` in the workspace, output to a log file, timed. */
function runNpx(
  workspaceRoot: string,
  logDir: string,
  label: string,
  args: string[],
): Promise<CommandRun> {
  const logFile = path.join(logDir, `${label}.log`);
  const log = createWriteStream(logFile);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npx', args, {
      cwd: workspaceRoot,
      // As CI runs it: no daemon, no Nx Cloud, no interactive terminal UI.
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        CI: 'true',
        // Plain text: the log may end up in RESULTS.md.
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const timer = setTimeout(() => child.kill('SIGTERM'), COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      log.end(() => resolve({ ms, code, log: readFileSync(logFile, 'utf8') }));
    });
  });
}

/** `12 out of 20` from Nx's summary line, as `12/20 tasks from cache`. */
function cacheHits(log: string): string {
  const match = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(
    log,
  );
  if (match) return `${match[1]}/${match[2]} tasks from cache`;
  return /Successfully ran/.test(log) ? 'no task from cache' : 'see log';
}

/** Whether Nx replayed every task of the run from its cache. */
function fullyCached(log: string): boolean {
  const match = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(
    log,
  );
  return match !== null && match[1] === match[2];
}

/** What to quote from a failed run's log: the first failure's report, then Nx's summary. */
function excerpt(log: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = log.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const firstFailure = lines.findIndex((line) => /●|✕|error TS|\berror\b/.test(line));
  const failure = firstFailure === -1 ? [] : [...lines.slice(firstFailure, firstFailure + 25), '…'];
  const summary = lines.filter((line) => line.trim() !== '').slice(-8);
  return [...failure, ...summary].join('\n');
}

export async function benchWorkspace(
  workspaceRoot: string,
  projects: readonly string[],
): Promise<BenchmarkReport> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'tap-bench-nx-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const check = (label: string, run: CommandRun): boolean => {
    if (run.code === 0) return true;
    failures.push(
      `\`${label}\` exited with ${run.code}:\n\n\`\`\`text\n${excerpt(run.log)}\n\`\`\``,
    );
    return false;
  };
  try {
    // Synth: uncached and cached alternately, twice each; the medians of two are their means.
    const synth = { uncached: [] as CommandRun[], cached: [] as CommandRun[] };
    for (let round = 0; round < 2; round += 1) {
      synth.uncached.push(
        await runNpx(workspaceRoot, logDir, `synth-uncached-${round}`, [
          'nx',
          'run',
          'infra:synth',
          '--skip-nx-cache',
        ]),
      );
      synth.cached.push(
        await runNpx(workspaceRoot, logDir, `synth-cached-${round}`, ['nx', 'run', 'infra:synth']),
      );
    }
    if ([...synth.uncached, ...synth.cached].every((run) => check('nx run infra:synth', run))) {
      const mean = (runs: CommandRun[]): number =>
        runs.reduce((sum, run) => sum + run.ms, 0) / runs.length;
      rows.push({
        figure: 'infra:synth (cache replay vs `--skip-nx-cache`, incl. its handler builds)',
        value: seconds(mean(synth.cached)),
        baseline: seconds(mean(synth.uncached)),
        ratio: ratio(mean(synth.cached), mean(synth.uncached)),
      });
      notes.push(
        `infra:synth with \`--skip-nx-cache\`: ${synth.uncached.map((run) => seconds(run.ms)).join(', ')} ` +
          '(it rebuilds the handler bundles it depends on, too); from the cache: ' +
          `${synth.cached.map((run) => `${seconds(run.ms)} (${cacheHits(run.log)})`).join(', ')}.`,
      );
    }

    const runMany = [
      'nx',
      'run-many',
      '-t',
      ...TARGETS,
      '-p',
      ...projects,
      '--parallel=2',
      '--outputStyle=static',
    ];
    const uncached = await runNpx(workspaceRoot, logDir, 'gate-uncached', [
      ...runMany,
      '--skip-nx-cache',
    ]);
    let cached = await runNpx(workspaceRoot, logDir, 'gate-cached', runMany);
    if (!fullyCached(cached.log)) {
      // An input changed after the uncached run (another engineer's edit, a commit that
      // touched a shared config): that rerun had real work to do. The next one replays it.
      notes.push(
        `The first cached rerun took ${seconds(cached.ms)} with ${cacheHits(cached.log)}: an ` +
          'input changed in the workspace after the uncached run. The figure is a second rerun.',
      );
      cached = await runNpx(workspaceRoot, logDir, 'gate-cached-again', runMany);
    }
    // Both checked (no short-circuit), so every failure is quoted.
    const passed = [
      check('nx run-many (uncached)', uncached),
      check('nx run-many (cached)', cached),
    ];
    // Timed either way: a failed task still ran. Nx caches no failure, so the cached rerun
    // then runs it again, and the row says so.
    rows.push({
      figure:
        `${TARGETS.join(' ')} over ${projects.length} projects (cached rerun vs \`--skip-nx-cache\`)` +
        (passed.every(Boolean) ? '' : ', with failed tasks (below)'),
      value: seconds(cached.ms),
      baseline: seconds(uncached.ms),
      ratio: ratio(cached.ms, uncached.ms),
    });
    notes.push(`Cached rerun: ${cacheHits(cached.log)}. Projects: ${projects.join(', ')}.`);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
  return {
    id: 'workspace',
    title: 'f. Workspace: synth and the cached gate',
    method:
      '`npx nx run infra:synth --skip-nx-cache` and `npx nx run infra:synth` alternately (2 each; ' +
      'mean), then `npx nx run-many -t ' +
      TARGETS.join(' ') +
      ' -p <every project> --parallel=2` ' +
      'once with `--skip-nx-cache` and once again from the cache (NX_DAEMON=false, as CI). No ' +
      'target in the issue: informative.',
    rows,
    notes,
    ...(failures.length > 0 ? { error: failures.join('\n\n') } : {}),
  };
}
