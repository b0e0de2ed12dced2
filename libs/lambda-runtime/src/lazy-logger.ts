/**
 * A Powertools Logger loaded with its first line, for functions whose normal path writes no
 * log line at all (the authorizer logs only failures, refetches and fallbacks). Their cold
 * start then does not parse and build the Logger; the first line pays for it, once.
 *
 * Lines are written in the order they were asked for, each as the Logger writes it. The
 * load is asynchronous, so a handler awaits {@link LazyLogger.flush} before it returns:
 * Lambda may freeze the environment as soon as the handler settles, and a line still
 * waiting for the Logger would be written late or never.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/** Extra keys of a log line, as Powertools takes them. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/** The levels a function writes through a {@link LazyLogger}. */
export type LazyLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Powertools' level numbers: a line below the configured level is not written. */
const LEVEL_NUMBERS: Readonly<Record<string, number>> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};

/** The part of Powertools' Logger a {@link LazyLogger} writes through. */
export type LogWriter = Pick<Logger, LazyLogLevel> &
  Partial<Pick<Logger, 'addContext' | 'appendKeys' | 'resetKeys'>>;

/** A logger whose implementation is loaded by its first line. */
export interface LazyLogger {
  /** Dropped, without loading the Logger, below the configured level (INFO by default). */
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /**
   * The Lambda context, for every later line (Powertools' `addContext`); held until the
   * Logger is loaded, so an invocation that writes nothing never loads it.
   */
  addContext(context: Context): void;
  /** Keys every later line carries, until {@link resetKeys}; held likewise. */
  appendKeys(keys: Record<string, string>): void;
  /** Forgets the keys of {@link appendKeys}. */
  resetKeys(): void;
  /** Resolves once every line asked for so far is written. Never rejects. */
  flush(): Promise<void>;
}

/** Options of {@link createLazyLogger}. */
export interface LazyLoggerOptions {
  /** `POWERTOOLS_SERVICE_NAME` of the function. */
  readonly serviceName: string;
  /** Builds the Logger; tests replace it. Default: imports Powertools Logger. */
  readonly load?: (serviceName: string) => Promise<LogWriter>;
  /**
   * Where the level is read (`POWERTOOLS_LOG_LEVEL`, as Powertools reads it); default
   * `process.env`. An unknown level filters nothing here and is left to Powertools.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

async function loadPowertoolsLogger(serviceName: string): Promise<LogWriter> {
  const { Logger: PowertoolsLogger } = await import('@aws-lambda-powertools/logger');
  return new PowertoolsLogger({ serviceName });
}

/** A line the Logger could not write, as plain JSON on the console: errors by name and message. */
function writeFallback(
  level: LazyLogLevel,
  message: string,
  serviceName: string,
  attributes: LogAttributes | undefined,
  loggerError: unknown,
): void {
  const plain = (_key: string, value: unknown): unknown =>
    value instanceof Error ? { name: value.name, message: value.message } : value;
  let text: string;
  try {
    text = JSON.stringify(
      { level: level.toUpperCase(), message, service: serviceName, ...attributes, loggerError },
      plain,
    );
  } catch {
    // Attributes that do not serialise (a cycle): the message still gets out.
    text = JSON.stringify({ level: level.toUpperCase(), message, service: serviceName });
  }
  console[level === 'info' ? 'log' : level](text);
}

/**
 * Creates a {@link LazyLogger}. Should the Logger fail to load, its lines are written as
 * plain JSON to the console instead of being lost, and the next line tries the load again.
 */
export function createLazyLogger(options: LazyLoggerOptions): LazyLogger {
  const load = options.load ?? loadPowertoolsLogger;
  const env = options.env ?? process.env;
  const configured = LEVEL_NUMBERS[(env['POWERTOOLS_LOG_LEVEL'] ?? 'INFO').trim().toUpperCase()];
  // A line Powertools would drop is not worth loading Powertools for.
  const dropped = (level: LazyLogLevel): boolean =>
    configured !== undefined && (LEVEL_NUMBERS[level.toUpperCase()] ?? 0) < configured;
  let writer: Promise<LogWriter> | undefined;
  let written: Promise<void> = Promise.resolve();
  // What the Logger is given once loaded; until then, the last context and the keys.
  let context: Context | undefined;
  let keys: Record<string, string> = {};

  /** Gives a Logger already asked for the new context, after every line asked for before. */
  const reconfigure = (next: Context): void => {
    const pending = writer;
    if (pending === undefined) return;
    written = written.then(async () => {
      try {
        (await pending).addContext?.(next);
      } catch {
        // A Logger that failed to load: its lines fall back; there is nothing to configure.
      }
    });
  };

  const line =
    (level: LazyLogLevel) =>
    (message: string, attributes?: LogAttributes): void => {
      if (dropped(level)) return;
      // The keys as they are now: a line asked for during an invocation carries that
      // invocation's keys, even if it is written after they were reset.
      const keysNow = { ...keys };
      const contextNow = context;
      written = written.then(async () => {
        try {
          if (writer === undefined) {
            writer = load(options.serviceName);
            const logger = await writer;
            if (contextNow) logger.addContext?.(contextNow);
          }
          const logger = await writer;
          logger.resetKeys?.();
          logger.appendKeys?.(keysNow);
          if (attributes === undefined) logger[level](message);
          else logger[level](message, attributes);
        } catch (error) {
          writer = undefined;
          writeFallback(level, message, options.serviceName, { ...keysNow, ...attributes }, error);
        }
      });
    };

  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    addContext(next) {
      context = next;
      reconfigure(next);
    },
    appendKeys(next) {
      keys = { ...keys, ...next };
    },
    resetKeys() {
      keys = {};
    },
    flush: () => written,
  };
}
