import { resolveFileQuotas, type FileQuotas } from '@tap/contracts';

/** What the `serve` command line asks for. */
export interface CliOptions {
  readonly port: number;
  /** Port of the OIDC issuer: fixed, so its URL (every token's `iss`) survives restarts. */
  readonly issuerPort: number;
  readonly inMemory: boolean;
  readonly dataDir: string | undefined;
  /** The functions' `POWERTOOLS_LOG_LEVEL` instead of the model's (`debug`: every request). */
  readonly logLevel: FunctionLogLevel | undefined;
  /** Whether the HTTP API enforces the stack's throttles (`--no-throttle`: not). */
  readonly throttle: boolean;
  /** Caps of an item's files lower than the contract's, as a stack may set them. */
  readonly fileQuotas: Partial<FileQuotas>;
  readonly help: boolean;
}

/** Levels Powertools Logger knows, as `POWERTOOLS_LOG_LEVEL` takes them. */
export const FUNCTION_LOG_LEVELS = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'SILENT',
] as const;

/** One of {@link FUNCTION_LOG_LEVELS}. */
export type FunctionLogLevel = (typeof FUNCTION_LOG_LEVELS)[number];

function parseLogLevel(value: string, origin: string): FunctionLogLevel {
  const level = value.trim().toUpperCase();
  if (!(FUNCTION_LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(
      `${origin} must be one of ${FUNCTION_LOG_LEVELS.join(', ').toLowerCase()}, got ${JSON.stringify(value)}`,
    );
  }
  return level as FunctionLogLevel;
}

/** Usage text of `npm start` / `nx run local-cloud:serve`. */
export const USAGE = `Usage: npm start -- [options]

Options:
  --port <n>          HTTP API port (default: $PORT, else 3000)
  --issuer-port <n>   port of the OIDC issuer, the user pool's stand-in (default:
                      $ISSUER_PORT, else 3001; 0 picks a free one)
  --in-memory         keep nothing after exit (also: LOCAL_CLOUD_IN_MEMORY=1)
  --data-dir <path>   where data persists (default: .local-cloud in the workspace)
  --log-level <level> the functions' log level (default: the stack's, info; debug also logs
                      every request served)
  --no-throttle       do not enforce the stack's throttles (default: 429 past them, as the
                      HTTP API answers)
  --max-files-per-item <n>  most files an item may hold (default: the contract's)
  --max-bytes-per-item <n>  most bytes an item's files may hold (default: the contract's)
  --help              show this help

Environment:
  PORT                      HTTP API port
  ISSUER_PORT               same as --issuer-port
  LOCAL_CLOUD_IN_MEMORY=1   same as --in-memory
  LOCAL_CLOUD_OUTPUTS_FILE  where to write the outputs (default: cfn-outputs/local.json)
  LOCAL_CLOUD_LOG_LEVEL     same as --log-level
  ENVIRONMENT_SUFFIX        environment whose resource names to use (default: dev)`;

function parsePort(value: string, origin: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`${origin} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  }
  return port;
}

function parseCount(value: string, origin: string): number {
  if (!/^[1-9]\d*$/.test(value)) {
    throw new Error(`${origin} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Reads flags (`--port 3001`, `--port=3001`, `--in-memory`, `--data-dir <path>`,
 * `--no-throttle`, ...) and the environment (`PORT`, `LOCAL_CLOUD_IN_MEMORY=1`); flags win.
 *
 * @throws Error naming an unknown flag or a bad value.
 */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  let port = env['PORT'] ? parsePort(env['PORT'], 'PORT') : 3000;
  let issuerPort = env['ISSUER_PORT'] ? parsePort(env['ISSUER_PORT'], 'ISSUER_PORT') : 3001;
  let inMemory = env['LOCAL_CLOUD_IN_MEMORY'] === '1' || env['LOCAL_CLOUD_IN_MEMORY'] === 'true';
  let dataDir: string | undefined;
  let logLevel = env['LOCAL_CLOUD_LOG_LEVEL']
    ? parseLogLevel(env['LOCAL_CLOUD_LOG_LEVEL'], 'LOCAL_CLOUD_LOG_LEVEL')
    : undefined;
  let throttle = true;
  const fileQuotas: { -readonly [K in keyof FileQuotas]?: FileQuotas[K] } = {};
  let help = false;
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = (): string => {
      const next = inline ?? args.shift();
      if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port':
        port = parsePort(value(), '--port');
        break;
      case '--issuer-port':
        issuerPort = parsePort(value(), '--issuer-port');
        break;
      case '--in-memory':
        // Nx forwards boolean flags as `--in-memory=true`.
        inMemory = inline === undefined || inline === 'true';
        break;
      case '--data-dir':
        dataDir = value();
        break;
      case '--log-level':
        logLevel = parseLogLevel(value(), '--log-level');
        break;
      case '--no-throttle':
        throttle = inline === 'false';
        break;
      case '--throttle':
        // Nx forwards `--no-throttle` as `--throttle=false`.
        throttle = inline === undefined || inline === 'true';
        break;
      case '--max-files-per-item':
        fileQuotas.maxFilesPerItem = parseCount(value(), '--max-files-per-item');
        break;
      case '--max-bytes-per-item':
        fileQuotas.maxBytesPerItem = parseCount(value(), '--max-bytes-per-item');
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  // Checked against the contract's caps here, so a cap too high is a usage error.
  resolveFileQuotas(fileQuotas);
  return { port, issuerPort, inMemory, dataDir, logLevel, throttle, fileQuotas, help };
}
