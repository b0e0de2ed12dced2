import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { forwardLines } from './log-forwarder';

/** Lambda's shape of a function error. */
export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

/** How one invocation ended. */
export type InvokeOutcome =
  | { readonly status: 'ok'; readonly payload: unknown }
  | { readonly status: 'error'; readonly error: FunctionErrorPayload }
  | { readonly status: 'timeout'; readonly timeoutMs: number };

/** Everything an execution environment needs to run one function. */
export interface EnvironmentSpec {
  /** Short name used as the log prefix (`health`, `api`, `authorizer`). */
  readonly label: string;
  /** Physical function name (`tap-api-function-dev`). */
  readonly functionName: string;
  readonly functionArn: string;
  readonly bundleFile: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  /** The function's whole environment: it sees these variables and nothing else. */
  readonly env: Readonly<Record<string, string>>;
  /** Drop the function's stdout/stderr instead of forwarding it. */
  readonly quiet: boolean;
}

type WorkerMessage =
  | { readonly type: 'result'; readonly id: number; readonly payload: string }
  | {
      readonly type: 'error' | 'init-error';
      readonly id: number;
      readonly error: FunctionErrorPayload;
    };

interface PendingInvocation {
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

const WORKER_FILE = path.join(__dirname, 'lambda-worker.mjs');

function logStreamName(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * One emulated execution environment: a worker thread holding a loaded bundle. Invocations
 * may overlap on it (each carries an id). Once retired (bundle changed, timeout, failed
 * init) it takes no new invocations and terminates as soon as none is pending, so a
 * request already running is not cut short by someone else's reload or timeout.
 */
export class ExecutionEnvironment {
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingInvocation>();
  private nextId = 1;
  private retired = false;
  private gone = false;
  /** Resolves when the worker thread has exited. */
  readonly exited: Promise<void>;

  constructor(private readonly spec: EnvironmentSpec) {
    this.worker = new Worker(WORKER_FILE, {
      workerData: {
        bundleFile: spec.bundleFile,
        functionName: spec.functionName,
        functionArn: spec.functionArn,
        memoryMb: spec.memoryMb,
        logGroupName: spec.logGroupName,
        logStreamName: logStreamName(),
        // Quiet: the function's output is dropped where it is written, rather than carried
        // to this thread message by message only to be thrown away here.
        discardOutput: spec.quiet,
      },
      env: { ...spec.env },
      // A plain Node.js thread, like Lambda's runtime: no tsx or Jest hooks from the parent.
      execArgv: [],
      stdout: true,
      stderr: true,
      // The closest worker_threads gets to Lambda's memory setting.
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb },
    });
    if (spec.quiet) {
      this.worker.stdout.resume();
      this.worker.stderr.resume();
    } else {
      forwardLines(this.worker.stdout, `[${spec.label}]`, process.stdout);
      forwardLines(this.worker.stderr, `[${spec.label}]`, process.stderr);
    }
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error) =>
      this.failAll({ errorType: 'Runtime.ExitError', errorMessage: error.message }),
    );
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.gone = true;
        this.failAll({
          errorType: 'Runtime.ExitError',
          errorMessage: `The execution environment exited with code ${code} before answering`,
        });
        resolve();
      });
    });
  }

  /** Whether new invocations may be sent here. */
  get accepting(): boolean {
    return !this.retired && !this.gone;
  }

  /**
   * Runs the handler once. Never rejects: errors and timeouts are outcomes.
   *
   * @param timeoutMs measured from now, so a cold start counts against it as on Lambda.
   * @throws Error when the environment is retired (callers check {@link accepting} first).
   */
  invoke(event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
    if (!this.accepting) throw new Error('This execution environment no longer takes invocations');
    const id = this.nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ status: 'timeout', timeoutMs });
        // The handler may still be running; Lambda ends the environment, and so do we.
        this.retire();
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      // The event travels as JSON, as Lambda delivers it: a handler can only ever see what
      // survives serialisation, and one string crosses threads faster than an object graph.
      this.worker.postMessage({
        type: 'invoke',
        id,
        event: JSON.stringify(event ?? null),
        deadline: Date.now() + timeoutMs,
      });
    });
  }

  /** Takes no new invocations; terminates once the pending ones are answered. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.terminate();
  }

  /** Ends the worker now; pending invocations end with an error. */
  async terminate(): Promise<void> {
    this.retired = true;
    if (!this.gone) await this.worker.terminate();
    await this.exited;
  }

  private onMessage(message: WorkerMessage): void {
    const pending = this.pending.get(message.id);
    if (message.type === 'init-error') this.retired = true;
    if (pending) {
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(
        message.type === 'result'
          ? { status: 'ok', payload: JSON.parse(message.payload) as unknown }
          : { status: 'error', error: message.error },
      );
    }
    if (this.retired && this.pending.size === 0) void this.terminate();
  }

  private failAll(error: FunctionErrorPayload): void {
    this.retired = true;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve({ status: 'error', error });
    }
  }
}
