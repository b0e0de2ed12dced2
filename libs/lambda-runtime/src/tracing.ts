/**
 * X-Ray tracing through Powertools Tracer, loaded only where it can work.
 *
 * The Tracer pulls in `aws-xray-sdk-core`, a large CommonJS package that costs tens of
 * milliseconds to evaluate at every cold start. Outside Lambda (the local cloud, tests) or
 * with `POWERTOOLS_TRACE_ENABLED=false` the Tracer would disable itself anyway, so there it
 * is never imported: {@link createTracing} returns {@link NO_TRACING} and the bundle pays
 * nothing but a few bytes of parsing. On Lambda the import starts at init and every
 * invocation waits for it, so the first request is traced too.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

/** What a handler may add to its invocation's trace. */
export interface InvocationTrace {
  /** An indexed annotation (searchable in X-Ray), e.g. `route`. */
  annotate(key: string, value: string | number | boolean): void;
  /** Marks the invocation's subsegment with an error that did not propagate (a 5xx). */
  recordError(error: unknown): void;
}

/** Port: tracing as the handlers use it. */
export interface Tracing {
  /** Instruments an AWS SDK v3 client so each call becomes a subsegment. Returns the client. */
  captureClient<Client extends object>(client: Client): Client;
  /**
   * Runs one invocation inside a `## <handler>` subsegment annotated with `ColdStart` and
   * `Service`; an error thrown by `run` is recorded and rethrown.
   */
  traceInvocation<Result>(run: (trace: InvocationTrace) => Promise<Result>): Promise<Result>;
}

const NO_TRACE: InvocationTrace = { annotate: () => undefined, recordError: () => undefined };

/** Tracing that does nothing: outside Lambda, with tracing disabled, and in tests. */
export const NO_TRACING: Tracing = {
  captureClient: (client) => client,
  traceInvocation: (run) => run(NO_TRACE),
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether the Tracer would trace here: the same rules Powertools applies (`POWERTOOLS_TRACE_ENABLED`
 * not `false`, running on Lambda (`AWS_EXECUTION_ENV`), not under SAM local or the Amplify
 * mock), decided before importing it.
 */
export function tracingWanted(env: Env): boolean {
  if (env['POWERTOOLS_TRACE_ENABLED']?.trim().toLowerCase() === 'false') return false;
  const executionEnv = env['AWS_EXECUTION_ENV']?.trim() ?? '';
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock') return false;
  return !env['AWS_SAM_LOCAL'];
}

/** The part of Powertools' Tracer that {@link createTracing} uses. */
export type TracerLike = Pick<
  Tracer,
  | 'captureAWSv3Client'
  | 'getSegment'
  | 'setSegment'
  | 'annotateColdStart'
  | 'addServiceNameAnnotation'
  | 'putAnnotation'
  | 'addErrorAsMetadata'
>;

/** Options of {@link createTracing}. */
export interface CreateTracingOptions {
  /** The `Service` annotation: `serviceName(fn)` from `@tap/contracts`. */
  readonly serviceName: string;
  /** Defaults to `process.env`. */
  readonly env?: Env;
  /** Where a failure to load the Tracer is reported (tracing is then off). */
  readonly logger: { warn(message: string, extra: Record<string, unknown>): void };
  /** Builds the Tracer; tests replace it. Default: imports Powertools Tracer. */
  readonly loadTracer?: (serviceName: string) => Promise<TracerLike>;
}

async function loadPowertoolsTracer(serviceName: string): Promise<TracerLike> {
  const { Tracer: PowertoolsTracer } = await import('@aws-lambda-powertools/tracer');
  // Outgoing HTTP is all AWS SDK calls, already traced by captureAWSv3Client; patching
  // http/https/fetch as well would record every call twice.
  return new PowertoolsTracer({ serviceName, captureHTTPsRequests: false });
}

/** Turns a caught value into the Error the X-Ray SDK records. */
const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/**
 * Tracing for one function, created once per container by its composition root. Returns
 * {@link NO_TRACING} when {@link tracingWanted} says no, without importing the Tracer.
 */
export function createTracing(options: CreateTracingOptions): Tracing {
  const env = options.env ?? process.env;
  if (!tracingWanted(env)) return NO_TRACING;
  const load = options.loadTracer ?? loadPowertoolsTracer;
  const ready: Promise<TracerLike | undefined> = load(options.serviceName).catch(
    (error: unknown) => {
      // Tracing is diagnostics: without it the function must still serve.
      options.logger.warn('tracing unavailable: the Tracer failed to load', { error });
      return undefined;
    },
  );
  const handlerName = env['_HANDLER']?.trim() || 'handler';

  return {
    captureClient(client) {
      // Reactions run in order: this one is registered at init, before any invocation
      // awaits `ready`, so clients are instrumented before their first call.
      void ready.then((tracer) => tracer?.captureAWSv3Client(client));
      return client;
    },
    async traceInvocation(run) {
      const tracer = await ready;
      if (!tracer) return run(NO_TRACE);
      const parent = tracer.getSegment();
      const subsegment = parent?.addNewSubsegment(`## ${handlerName}`);
      if (subsegment) tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      const trace: InvocationTrace = {
        annotate: (key, value) => tracer.putAnnotation(key, value),
        recordError: (error) => tracer.addErrorAsMetadata(asError(error)),
      };
      try {
        return await run(trace);
      } catch (error) {
        trace.recordError(error);
        throw error;
      } finally {
        try {
          subsegment?.close();
        } catch (error) {
          // A subsegment that cannot be serialised or sent loses its trace, not the answer.
          options.logger.warn('could not close the invocation subsegment', { error });
        }
        if (parent) tracer.setSegment(parent);
      }
    },
  };
}
