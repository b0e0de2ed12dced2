import { spawn } from 'node:child_process';

/** What a finished child process left behind. */
export interface RunResult {
  /** Exit code; `null` when it was killed (e.g. by the timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed after this long; every tool these tests start is bounded. Default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * The current environment without what an outer `npm test` or `nx run` put there: `NX_*`
 * (task hashes, the outer workspace root, base/head of an outer `affected`) and
 * `npm_*` (the outer npm's prefix and config) would make a child Nx or npm act on this
 * workspace instead of the scratch one.
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Case-sensitive: npm injects lowercase `npm_*`; a user's NPM_CONFIG_REGISTRY stays.
    if (/^(NX_|npm_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command without a shell and collects its output. Asynchronous on purpose: a
 * synchronous spawn would freeze the event loop, and with it a local cloud served from
 * this very process.
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** {@link run}, failing with the command's output when it does not exit 0. */
export async function runOrThrow(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const shown = [command, ...args].join(' ');
    throw new Error(
      `${shown} exited with ${String(result.code)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}
