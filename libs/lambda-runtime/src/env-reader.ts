/**
 * Reading a function's configuration from its environment, once, at cold start. A bad
 * deployment fails the init phase with one message naming every missing or invalid
 * variable, instead of failing some requests later.
 */

/** A process environment, or any record of the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at cold start when the environment is incomplete or invalid. */
export class ConfigError extends Error {
  constructor(
    functionName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration of the ${functionName} function: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Bounds of {@link EnvReader.integer}. */
export interface IntegerRule {
  /** Value when the variable is unset or empty. */
  readonly fallback: number;
  /** Smallest accepted value; default 1. */
  readonly min?: number;
  readonly max: number;
}

/**
 * Reads variables and collects every problem, so that {@link readConfig} can report them
 * all at once.
 */
export class EnvReader {
  /** What is wrong so far, one entry per variable. */
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** A variable that must be set and not blank. */
  required(name: string): string {
    const value = this.env[name]?.trim();
    if (!value) {
      this.problems.push(`${name} is missing`);
      return '';
    }
    return value;
  }

  /** A variable that may be absent; blank counts as absent. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** A whole number within bounds, written in plain digits. */
  integer(name: string, rule: IntegerRule): number {
    const raw = this.env[name]?.trim();
    if (!raw) return rule.fallback;
    const min = rule.min ?? 1;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > rule.max) {
      this.problems.push(
        `${name} must be an integer from ${min} to ${rule.max}, got ${JSON.stringify(raw)}`,
      );
      return rule.fallback;
    }
    return value;
  }

  /** An absolute http(s) URL, without a trailing slash (an issuer must match `iss` exactly). */
  url(name: string): string {
    const value = this.required(name);
    if (value === '') return value;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || value.endsWith('/')) {
      this.invalid(
        name,
        `must be an http(s) URL without a trailing slash, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** Records a problem with a variable that a rule of the caller's found. */
  invalid(name: string, problem: string): void {
    this.problems.push(`${name} ${problem}`);
  }

  /** `true` or `false` (any case); unset means `false`. */
  flag(name: string): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw || raw === 'false') return false;
    if (raw === 'true') return true;
    this.problems.push(`${name} must be "true" or "false", got ${JSON.stringify(raw)}`);
    return false;
  }
}

/**
 * Reads a function's configuration with `read`, then fails with every problem at once.
 *
 * @throws ConfigError naming every missing or invalid variable.
 */
export function readConfig<Config>(
  functionName: string,
  env: Env,
  read: (reader: EnvReader) => Config,
): Config {
  const reader = new EnvReader(env);
  const config = read(reader);
  if (reader.problems.length > 0) throw new ConfigError(functionName, reader.problems);
  return config;
}
