/**
 * What every invocation of every TAP function does around its own work, in one place:
 * a trace segment (on Lambda with tracing on), the cold-start metric, the Lambda context
 * and per-request keys on every log line, and the keys cleared afterwards so the next
 * invocation of a warm container never inherits them.
 */
import type { Context } from 'aws-lambda';
import type { InvocationMetrics } from './metrics';
import type { InvocationTrace, Tracing } from './tracing';

/** The part of a Logger an invocation needs. */
export interface InvocationLogger {
  addContext(context: Context): void;
  appendKeys(keys: Record<string, string>): void;
  resetKeys(): void;
  /** A Logger that writes asynchronously (`createLazyLogger`): awaited before the answer. */
  flush?(): Promise<void>;
}

/**
 * What a function writes its lines through, and what its invocations configure: Powertools'
 * Logger has it all, and so has `createLazyLogger`'s, which loads Powertools only with the
 * first line it does not drop.
 */
export interface FunctionLogger extends InvocationLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Options of {@link wrapInvocation}. */
export interface InvocationOptions<Event> {
  /**
   * Gets the Lambda context and the keys, which are cleared after every invocation. None for
   * a function whose Logger is loaded only with its first line (the authorizer).
   */
  readonly logger?: InvocationLogger;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** Keys every log line of the invocation carries (the request id, the route). */
  readonly keys?: (event: Event) => Record<string, string>;
}

/** A Lambda handler of one event type. */
export type LambdaHandler<Event, Result> = (event: Event, context?: Context) => Promise<Result>;

/**
 * Wraps a function's own handling of an event with what every invocation does.
 *
 * @param handle the function's work; `trace` annotates its segment.
 */
export function wrapInvocation<Event, Result>(
  options: InvocationOptions<Event>,
  handle: (event: Event, trace: InvocationTrace) => Promise<Result>,
): LambdaHandler<Event, Result> {
  const { logger, metrics, tracing } = options;
  return async (event, context) =>
    tracing.traceInvocation(async (trace) => {
      metrics.coldStart(context?.functionName);
      if (context) logger?.addContext(context);
      if (options.keys) logger?.appendKeys(options.keys(event));
      try {
        return await handle(event, trace);
      } finally {
        logger?.resetKeys();
        // Lines asked for during this invocation are out before Lambda may freeze it.
        await logger?.flush?.();
      }
    });
}
