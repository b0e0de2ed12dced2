import type { BucketEventSubscription, FunctionName } from '@tap/contracts';
import { existsSync } from 'node:fs';
import { MissingBundleError } from '../errors';
import { displayPath } from '../workspace';
import {
  ExecutionEnvironment,
  type EnvironmentSpec,
  type InvokeOutcome,
} from './execution-environment';

/** One function as the runtime runs it. */
export interface FunctionSpec extends Omit<EnvironmentSpec, 'quiet'> {
  readonly timeoutMs: number;
  /** The bucket's events it is invoked for (the model's `bucketEvents`), if any. */
  readonly bucketEvents?: BucketEventSubscription;
}

/** Options of {@link FunctionRuntime}. */
export interface FunctionRuntimeOptions {
  readonly quiet: boolean;
  /** Bundle paths in error messages are shown relative to it. */
  readonly workspaceRoot: string;
}

/**
 * Lambda for the local cloud: one warm execution environment per function, started on
 * the first invocation (cold start) and replaced when it times out, fails to initialise,
 * crashes, or its bundle is reloaded.
 */
export class FunctionRuntime {
  private readonly warm = new Map<FunctionName, ExecutionEnvironment>();
  private readonly live = new Set<ExecutionEnvironment>();
  private stopped = false;

  constructor(
    private readonly specs: Readonly<Record<FunctionName, FunctionSpec>>,
    private readonly options: FunctionRuntimeOptions,
  ) {}

  /** Invokes a function synchronously (RequestResponse). Never rejects. */
  async invoke(name: FunctionName, event: unknown): Promise<InvokeOutcome> {
    if (this.stopped) {
      return { status: 'error', error: { errorType: 'Runtime.Stopped', errorMessage: 'stopped' } };
    }
    const spec = this.specs[name];
    const warm = this.warm.get(name);
    // A warm environment has its bundle loaded already and keeps serving it, as on Lambda,
    // even while a rebuild replaces the file: only a cold start needs the file.
    if (!warm?.accepting && !existsSync(spec.bundleFile)) {
      const shown = displayPath(this.options.workspaceRoot, spec.bundleFile);
      const error = new MissingBundleError(name, shown);
      return { status: 'error', error: { errorType: error.name, errorMessage: error.message } };
    }
    return this.environmentFor(name).invoke(event, spec.timeoutMs);
  }

  /** Drops warm environments (all, or the named functions'); the next call cold-starts. */
  reload(names: readonly FunctionName[] = Object.keys(this.specs) as FunctionName[]): void {
    for (const name of names) {
      this.warm.get(name)?.retire();
      this.warm.delete(name);
    }
  }

  /** Terminates every environment, busy or not. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.warm.clear();
    await Promise.all([...this.live].map((environment) => environment.terminate()));
  }

  private environmentFor(name: FunctionName): ExecutionEnvironment {
    const current = this.warm.get(name);
    if (current?.accepting) return current;
    const environment = new ExecutionEnvironment({
      ...this.specs[name],
      quiet: this.options.quiet,
    });
    this.warm.set(name, environment);
    this.live.add(environment);
    void environment.exited.then(() => {
      this.live.delete(environment);
      if (this.warm.get(name) === environment) this.warm.delete(name);
    });
    return environment;
  }
}
