/**
 * The local cloud as `npm start` runs it: its CLI in a child process of its own, so a test
 * can kill it the hard way (SIGKILL) and start it again on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';

const CLI = path.join('tools', 'local-cloud', 'src', 'main.ts');
/** Output kept for failure reports; the rest is read and dropped so the pipe never fills. */
const KEPT_OUTPUT_CHARS = 8_000;

/** A local cloud running in a child process. */
export interface LocalCloudProcess {
  readonly pid: number;
  /** The HTTP API, from the CLI's banner. */
  readonly baseUrl: string;
  /** The last lines the process printed, for failure messages. */
  output(): string;
  /** Whether the process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` to this process (by its id) and waits at most `waitMs` for it to exit. */
  kill(signal: NodeJS.Signals, waitMs?: number): Promise<void>;
}

/** Options of {@link startLocalCloudProcess}. */
export interface LocalCloudProcessOptions {
  readonly dataDir: string;
  readonly outputsFile: string;
  /** How long to wait for the banner (default 60 s: tsx compiles the sources first). */
  readonly startTimeoutMs?: number;
}

/**
 * Starts the CLI (`tools/local-cloud/src/main.ts`) on a free port with `node --import tsx`,
 * one process (killing it kills the whole local cloud, emulators and function workers), and
 * resolves once its banner names the API's URL.
 */
export function startLocalCloudProcess(
  options: LocalCloudProcessOptions,
): Promise<LocalCloudProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    // Throttling off, as for the rest of the suite.
    ['--import', 'tsx', CLI, '--port', '0', '--data-dir', options.dataDir, '--no-throttle'],
    {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        LOCAL_CLOUD_OUTPUTS_FILE: options.outputsFile,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const pid = child.pid;

  const kill = async (signal: NodeJS.Signals, waitMs = 15_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  };

  return new Promise<LocalCloudProcess>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      void kill('SIGKILL').then(() =>
        reject(new Error(`the local cloud printed no URL within ${timeoutMs} ms:\n${output}`)),
      );
    }, timeoutMs);
    const onData = (): void => {
      const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url === undefined || pid === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ pid, baseUrl: url, output: () => output, exited, kill });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited with ${code} before it was up:\n${output}`));
    });
  });
}
