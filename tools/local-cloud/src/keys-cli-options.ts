/**
 * The `keys` command line: what to do with machine keys, and where. Pure, so it is tested
 * without a table.
 */
import { REVOCATION_BOUND_SECONDS, SCOPES, type Scope } from '@tap/contracts';
import { parseDuration as parseCommonDuration, splitList } from './cli-values';

/** One `keys` command. */
export type KeysCommand =
  | {
      readonly action: 'create';
      readonly tenant: string;
      readonly scopes: readonly Scope[];
      readonly client?: string;
      readonly expiresInSeconds?: number;
    }
  | { readonly action: 'list'; readonly tenant?: string; readonly json: boolean }
  | { readonly action: 'revoke'; readonly keyId: string }
  | { readonly action: 'rotate'; readonly keyId: string; readonly overlapSeconds: number }
  | { readonly action: 'help' };

/** A parsed command line. */
export interface KeysCliOptions {
  readonly command: KeysCommand;
  /** The outputs file naming the key table (`cfn-outputs/<suffix>.json`); default local. */
  readonly outputs?: string;
}

/** Default overlap of a rotation: an hour for clients to pick up the new key. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 3600;

/** Usage of `npm run keys`. */
export const KEYS_USAGE = `Usage: npm run --silent keys -- <command> [options]

Machine keys of the local cloud (default) or of a deployed stack (--outputs).

Commands:
  create --tenant <id> --scopes <s,...> [--name <client>] [--expires-in <30d|12h|90m|3600>]
                     issue a key; prints only the key, which is never shown again
  list [--tenant <id>] [--json]
                     every key: id, tenant, client, scopes, status, expiry (no secrets)
  revoke <key id>    refuse the key from now on (within ${REVOCATION_BOUND_SECONDS} s); other keys are untouched
  rotate <key id> [--overlap <1h>]
                     issue a successor (printed) with the same tenant, client and scopes;
                     the old key keeps working for the overlap (default 1h; at least the
                     authorizer's 5 s record cache in effect), then expires

Options:
  --outputs <file>   outputs of the target: cfn-outputs/local.json (default, the local
                     cloud, written by npm start) or a deployed stack's cfn-outputs/<suffix>.json
                     (uses your AWS credentials)

Scopes: ${SCOPES.join(', ')}`;

/** Longest expiry or overlap the command takes: ten years. */
const MAX_DURATION_SECONDS = 3650 * 86_400;

/**
 * A duration: plain seconds, or a number with `s`, `m`, `h` or `d`, up to ten years.
 *
 * @throws Error naming the flag when it is not one.
 */
export const parseDuration = (value: string, flag: string, min = 1): number =>
  parseCommonDuration(value, flag, { min, max: MAX_DURATION_SECONDS });

/**
 * Scopes separated by commas or spaces.
 *
 * @throws Error naming an unknown scope.
 */
export function parseScopes(value: string): Scope[] {
  const listed = splitList(value);
  const unknown = listed.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0 || listed.length === 0) {
    throw new Error(
      `--scopes must list some of ${SCOPES.join(', ')}; got ${JSON.stringify(value)}`,
    );
  }
  return SCOPES.filter((scope) => listed.includes(scope));
}

/**
 * Reads `keys` arguments.
 *
 * @throws Error naming what is missing or wrong.
 */
export function parseKeysCli(argv: readonly string[]): KeysCliOptions {
  const args = [...argv];
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    if (name === '--json' || name === '--help') {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? args.shift();
    if (value === undefined || value === '') throw new Error(`${name} needs a value`);
    flags.set(name, value);
  }
  const text = (name: string): string | undefined => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const outputs = text('--outputs');
  const withOutputs = (command: KeysCommand): KeysCliOptions =>
    outputs === undefined ? { command } : { command, outputs };
  const allowed = (action: string, names: readonly string[]): void => {
    for (const name of flags.keys()) {
      if (![...names, '--outputs', '--help'].includes(name)) {
        throw new Error(`${action} does not take ${name}\n${KEYS_USAGE}`);
      }
    }
  };
  const [action, target, ...extra] = positional;
  if (flags.has('--help') || action === undefined || action === 'help') {
    return { command: { action: 'help' } };
  }
  if (extra.length > 0) throw new Error(`unexpected ${extra.join(' ')}\n${KEYS_USAGE}`);
  switch (action) {
    case 'create': {
      allowed(action, ['--tenant', '--scopes', '--name', '--expires-in']);
      const tenant = text('--tenant');
      const scopes = text('--scopes');
      if (tenant === undefined || scopes === undefined) {
        throw new Error('create needs --tenant <id> and --scopes <scope,...>');
      }
      const client = text('--name');
      const expires = text('--expires-in');
      return withOutputs({
        action,
        tenant,
        scopes: parseScopes(scopes),
        ...(client === undefined ? {} : { client }),
        ...(expires === undefined
          ? {}
          : { expiresInSeconds: parseDuration(expires, '--expires-in') }),
      });
    }
    case 'list': {
      allowed(action, ['--tenant', '--json']);
      const tenant = text('--tenant');
      return withOutputs({
        action,
        json: flags.has('--json'),
        ...(tenant === undefined ? {} : { tenant }),
      });
    }
    case 'revoke':
    case 'rotate': {
      allowed(action, action === 'rotate' ? ['--overlap'] : []);
      if (target === undefined) throw new Error(`${action} needs a key id (see: keys list)`);
      if (action === 'revoke') return withOutputs({ action, keyId: target });
      const overlap = text('--overlap');
      return withOutputs({
        action,
        keyId: target,
        overlapSeconds:
          overlap === undefined
            ? DEFAULT_ROTATION_OVERLAP_SECONDS
            : parseDuration(overlap, '--overlap', 0),
      });
    }
    default:
      throw new Error(`unknown command ${action}\n${KEYS_USAGE}`);
  }
}
