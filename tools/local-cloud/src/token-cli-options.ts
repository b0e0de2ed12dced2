import { parseDuration as parseCommonDuration, splitList } from './cli-values';

/** What the `token` command line asks for. */
export interface TokenCliOptions {
  /** Required unless `help`. */
  readonly user: string;
  readonly tenant: string | undefined;
  /** Scope names without the resource server prefix; undefined: all. */
  readonly scopes: readonly string[] | undefined;
  readonly expiresInSeconds: number | undefined;
  /** Print the ID token instead of the access token. */
  readonly idToken: boolean;
  /** `--outputs`, else `LOCAL_CLOUD_OUTPUTS_FILE`; undefined: the workspace's default. */
  readonly outputsFile: string | undefined;
  readonly help: boolean;
}

/** Usage text of the token command. */
export const TOKEN_USAGE = `Usage: npm run --silent token -- --user <name> [options]

Prints an access token of the running local cloud's issuer (and nothing else), e.g.
  curl -H "Authorization: Bearer $(npm run --silent token -- --user alice)" ...

Options:
  --user <name>         who signs in (required)
  --tenant <id>         the tenant, carried as the group tenant:<id>
  --scopes "<a b>"      scope names, space- or comma-separated (default: all)
  --expires-in <time>   lifetime: seconds, or 30m, 1h, 1d (default: the issuer's, 15m)
  --id-token            print the ID token instead of the access token
  --outputs <file>      the local cloud's outputs file (default: $LOCAL_CLOUD_OUTPUTS_FILE,
                        else cfn-outputs/local.json in the workspace)
  --help                show this help`;

/** The longest lifetime the issuer grants (one day). */
const MAX_SECONDS = 86_400;

/**
 * A lifetime as the command takes it: whole seconds (`3600`) or a number with a unit
 * (`90s`, `30m`, `1h`, `1d`).
 *
 * @throws Error unless it is 1 s to 1 d.
 */
export const parseDuration = (value: string, origin = '--expires-in'): number =>
  parseCommonDuration(value, origin, { min: 1, max: MAX_SECONDS });

/** Scope names from `items:read items:write` or `items:read,items:write`. */
export function parseScopes(value: string): readonly string[] {
  const scopes = splitList(value);
  if (scopes.length === 0) throw new Error('--scopes needs at least one scope name');
  return scopes;
}

/**
 * Reads flags (`--user alice`, `--user=alice`, ...) and `LOCAL_CLOUD_OUTPUTS_FILE`; the
 * flag wins.
 *
 * @throws Error naming an unknown flag, a missing value or a bad one.
 */
export function parseTokenCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TokenCliOptions {
  let user: string | undefined;
  let tenant: string | undefined;
  let scopes: readonly string[] | undefined;
  let expiresInSeconds: number | undefined;
  let idToken = false;
  let outputsFile = env['LOCAL_CLOUD_OUTPUTS_FILE'] || undefined;
  let help = false;
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = (): string => {
      const next = inline ?? args.shift();
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('--'))) {
        throw new Error(`${flag} needs a value\n${TOKEN_USAGE}`);
      }
      return next;
    };
    switch (flag) {
      case '--user':
        user = value();
        break;
      case '--tenant':
        tenant = value();
        break;
      case '--scopes':
        scopes = parseScopes(value());
        break;
      case '--expires-in':
        expiresInSeconds = parseDuration(value());
        break;
      case '--id-token':
        // Nx forwards boolean flags as `--id-token=true`.
        idToken = inline === undefined || inline === 'true';
        break;
      case '--outputs':
        outputsFile = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${TOKEN_USAGE}`);
    }
  }
  if (user === undefined && !help) throw new Error(`--user is required\n${TOKEN_USAGE}`);
  return {
    user: user ?? '',
    tenant,
    scopes,
    expiresInSeconds,
    idToken,
    outputsFile,
    help,
  };
}
