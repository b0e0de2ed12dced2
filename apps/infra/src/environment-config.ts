import { CORS_POLICY } from '@tap/contracts';

/**
 * Per-environment settings of the stack, read from CDK context once and validated, so a
 * typo in `cdk.json` or on the command line fails the synth with the key it concerns
 * instead of deploying a default.
 *
 * Context layout (every key optional; `-c key=value` gives strings, so lists may be
 * comma-separated and objects JSON):
 *
 * ```json
 * {
 *   "protectedEnvironments": ["prod", "staging"],
 *   "corsAllowOrigins": ["https://app.example.com"],
 *   "throttle": { "rateLimit": 50, "burstLimit": 100 },
 *   "alarms": { "serverErrorRatePercent": 5 },
 *   "alarmEmails": ["oncall@example.com"],
 *   "authCallbackUrls": ["https://app.example.com/callback"],
 *   "authLogoutUrls": ["https://app.example.com/"],
 *   "environments": { "prod": { "corsAllowOrigins": ["https://app.example.com"] } }
 * }
 * ```
 *
 * Top-level keys apply to every environment; `environments.<suffix>` overrides them for
 * one environment (objects field by field).
 */

/** CDK context keys read by {@link readEnvironmentConfig}. */
export const CONTEXT_KEYS = {
  protectedEnvironments: 'protectedEnvironments',
  corsAllowOrigins: 'corsAllowOrigins',
  throttle: 'throttle',
  alarms: 'alarms',
  alarmEmails: 'alarmEmails',
  authCallbackUrls: 'authCallbackUrls',
  authLogoutUrls: 'authLogoutUrls',
  environments: 'environments',
} as const;

/** Suffixes treated as protected when context `protectedEnvironments` is not set. */
export const DEFAULT_PROTECTED_ENVIRONMENTS: readonly string[] = ['prod', 'staging'];

/**
 * Where the user pool's SPA client may send a user after sign-in and sign-out when the
 * environment names none: a developer's SPA dev server on this machine (Vite's default
 * port; the local cloud's API is on 3000). Protected environments must name their own.
 */
export const DEFAULT_AUTH_CALLBACK_URLS: readonly string[] = ['http://localhost:5173/callback'];

/** Sign-out counterpart of {@link DEFAULT_AUTH_CALLBACK_URLS}. */
export const DEFAULT_AUTH_LOGOUT_URLS: readonly string[] = ['http://localhost:5173/'];

/** Default route throttling of the HTTP API's `$default` stage. */
export interface ThrottleConfig {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst. */
  readonly burstLimit: number;
}

/** Default throttling: enough for a team's traffic, low enough to cap a runaway client. */
export const DEFAULT_THROTTLE: ThrottleConfig = { rateLimit: 50, burstLimit: 100 };

/** Alarm thresholds, each evaluated over one 5-minute period. */
export interface AlarmThresholds {
  /** HTTP API 5xx responses as a percentage of requests. */
  readonly serverErrorRatePercent: number;
  /** Errors of one function. */
  readonly functionErrors: number;
  /** Throttled invocations of one function. */
  readonly functionThrottles: number;
  /** Throttled DynamoDB requests (reads and writes) on the table. */
  readonly tableThrottles: number;
}

/** Default thresholds: any function error, throttle or table throttle pages; 5% of 5xx. */
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  serverErrorRatePercent: 5,
  functionErrors: 1,
  functionThrottles: 1,
  tableThrottles: 1,
};

/** Everything the stack takes from context for one environment. */
export interface EnvironmentConfig {
  readonly environmentSuffix: string;
  /**
   * A protected environment (`prod`, `staging` by default) keeps its data when the stack
   * goes, refuses `destroy`, and must name its CORS origins.
   */
  readonly isProtected: boolean;
  /** Origins allowed by CORS, on the API and on the files bucket. */
  readonly corsAllowOrigins: readonly string[];
  readonly throttle: ThrottleConfig;
  readonly alarms: AlarmThresholds;
  /** Addresses subscribed to the alarm topic. */
  readonly alarmEmails: readonly string[];
  /**
   * Where the user pool's SPA client may redirect after sign-in (the OAuth `redirect_uri`
   * values): `https` URLs, or `http://localhost` in developer stacks.
   */
  readonly authCallbackUrls: readonly string[];
  /** Where it may redirect after sign-out (`logout_uri`), under the same rules. */
  readonly authLogoutUrls: readonly string[];
}

/** Reads a context value; `Construct.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

/** Values given by code (`createApp` options), which beat context. */
export interface EnvironmentConfigOverrides {
  readonly corsAllowOrigins?: readonly string[];
}

/** Cognito's limit on the callback URLs (and on the sign-out URLs) of an app client. */
const MAX_AUTH_URLS = 100;

/** Cognito's limit on the length of one callback or sign-out URL. */
const MAX_AUTH_URL_LENGTH = 1024;

const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';

/** An origin as browsers send it: scheme, host, optional port; no path, no trailing slash. */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * A list from context: a JSON list, or (from the command line) a comma-separated string.
 *
 * @throws Error naming `origin` unless the value is a list of strings.
 */
function readList(value: unknown, origin: string): readonly string[] | undefined {
  if (isBlank(value)) return undefined;
  const list =
    typeof value === 'string' ? value.split(',').map((entry) => entry.trim()) : (value as unknown);
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new Error(`Invalid ${origin} ${JSON.stringify(value)}: expected a list of strings`);
  }
  return list as string[];
}

/**
 * An object from context: an object, or (from the command line) its JSON.
 *
 * @throws Error naming `origin` unless the value is an object.
 */
function readObject(value: unknown, origin: string): Record<string, unknown> | undefined {
  if (isBlank(value)) return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      throw new Error(`Invalid ${origin} ${JSON.stringify(value)}: expected a JSON object`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Invalid ${origin} ${JSON.stringify(value)}: expected an object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A positive number from context (a number, or a numeric string from the command line).
 *
 * @throws Error naming `origin` unless the value is a number in `[min, max]`.
 */
function readNumber(
  value: unknown,
  origin: string,
  { min, max, integer }: { min: number; max: number; integer: boolean },
): number | undefined {
  if (isBlank(value)) return undefined;
  const parsed = typeof value === 'string' ? Number(value) : value;
  const kind = integer ? 'an integer' : 'a number';
  if (
    typeof parsed !== 'number' ||
    !Number.isFinite(parsed) ||
    (integer && !Number.isInteger(parsed)) ||
    parsed < min ||
    parsed > max
  ) {
    throw new Error(
      `Invalid ${origin} ${JSON.stringify(value)}: expected ${kind} from ${min} to ${max}`,
    );
  }
  return parsed;
}

/** Refuses keys of `object` not in `known`: a misspelt threshold must not fall back silently. */
function assertKnownKeys(
  object: Record<string, unknown>,
  known: readonly string[],
  origin: string,
): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown key(s) ${unknown.map((key) => JSON.stringify(key)).join(', ')} in ${origin}: ` +
        `expected ${known.join(', ')}`,
    );
  }
}

/** Settings one layer of context (top level, or `environments.<suffix>`) may give. */
interface ConfigLayer {
  readonly corsAllowOrigins?: readonly string[];
  readonly throttle?: Partial<ThrottleConfig>;
  readonly alarms?: Partial<AlarmThresholds>;
  readonly alarmEmails?: readonly string[];
  readonly authCallbackUrls?: readonly string[];
  readonly authLogoutUrls?: readonly string[];
}

const LAYER_KEYS = [
  CONTEXT_KEYS.corsAllowOrigins,
  CONTEXT_KEYS.throttle,
  CONTEXT_KEYS.alarms,
  CONTEXT_KEYS.alarmEmails,
  CONTEXT_KEYS.authCallbackUrls,
  CONTEXT_KEYS.authLogoutUrls,
] as const;

function readThrottle(value: unknown, origin: string): Partial<ThrottleConfig> | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, Object.keys(DEFAULT_THROTTLE), origin);
  return {
    rateLimit: readNumber(object.rateLimit, `${origin}.rateLimit`, {
      min: 1,
      max: 10000,
      integer: false,
    }),
    burstLimit: readNumber(object.burstLimit, `${origin}.burstLimit`, {
      min: 1,
      max: 5000,
      integer: true,
    }),
  };
}

function readAlarms(value: unknown, origin: string): Partial<AlarmThresholds> | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, Object.keys(DEFAULT_ALARM_THRESHOLDS), origin);
  const count = (key: keyof AlarmThresholds): number | undefined =>
    readNumber(object[key], `${origin}.${key}`, { min: 1, max: 1e6, integer: true });
  return {
    serverErrorRatePercent: readNumber(
      object.serverErrorRatePercent,
      `${origin}.serverErrorRatePercent`,
      { min: 0.01, max: 100, integer: false },
    ),
    functionErrors: count('functionErrors'),
    functionThrottles: count('functionThrottles'),
    tableThrottles: count('tableThrottles'),
  };
}

function readOrigins(value: unknown, origin: string): readonly string[] | undefined {
  const origins = readList(value, origin);
  if (origins === undefined) return undefined;
  if (origins.length === 0) throw new Error(`Invalid ${origin}: list at least one origin`);
  for (const entry of origins) {
    if (entry !== '*' && !ORIGIN_PATTERN.test(entry)) {
      throw new Error(
        `Invalid ${origin} entry ${JSON.stringify(entry)}: expected "*" or an origin such as ` +
          '"https://app.example.com" (scheme, host, optional port; no path or trailing slash)',
      );
    }
  }
  return origins;
}

function readEmails(value: unknown, origin: string): readonly string[] | undefined {
  const emails = readList(value, origin);
  for (const email of emails ?? []) {
    if (!EMAIL_PATTERN.test(email)) {
      throw new Error(
        `Invalid ${origin} entry ${JSON.stringify(email)}: expected an email address`,
      );
    }
  }
  return emails;
}

/**
 * Redirect URLs of the SPA client from context: absolute `https` URLs without a fragment,
 * as OAuth 2.0 requires of a redirect URI, or `http://localhost` (the only plain-HTTP host
 * Cognito accepts). Which of them an environment may use is {@link assertAuthUrlsAllowed}'s.
 */
function readAuthUrls(value: unknown, origin: string): readonly string[] | undefined {
  const urls = readList(value, origin);
  if (urls === undefined) return undefined;
  if (urls.length === 0) throw new Error(`Invalid ${origin}: list at least one URL`);
  if (urls.length > MAX_AUTH_URLS) {
    throw new Error(`Invalid ${origin}: Cognito accepts at most ${MAX_AUTH_URLS} URLs`);
  }
  for (const entry of urls) {
    const fail = (rule: string): never => {
      throw new Error(`Invalid ${origin} entry ${JSON.stringify(entry)}: ${rule}`);
    };
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return fail('expected an absolute URL such as "https://app.example.com/callback"');
    }
    if (entry.length > MAX_AUTH_URL_LENGTH) fail(`longer than ${MAX_AUTH_URL_LENGTH} characters`);
    if (url.hash !== '' || entry.includes('#')) fail('a redirect URL must not have a fragment');
    if (url.username !== '' || url.password !== '')
      fail('a redirect URL must not hold credentials');
    const isLocalhost = url.protocol === 'http:' && url.hostname === 'localhost';
    if (url.protocol !== 'https:' && !isLocalhost) {
      fail('expected https (plain http only for http://localhost)');
    }
  }
  return urls;
}

/**
 * Refuses plain-HTTP redirect URLs in a protected environment: only a developer's own
 * machine may receive authorization codes over http.
 */
function assertAuthUrlsAllowed(
  urls: readonly string[],
  environmentSuffix: string,
  key: string,
): void {
  const insecure = urls.filter((url) => !url.startsWith('https://'));
  if (insecure.length > 0) {
    throw new Error(
      `Environment ${JSON.stringify(environmentSuffix)} is protected: its ${key} must all be ` +
        `https URLs, not ${insecure.map((url) => JSON.stringify(url)).join(', ')} ` +
        '(http://localhost is for disposable developer stacks only).',
    );
  }
}

/** Reads one layer of settings from `get`, naming values `<prefix><key>` in errors. */
function readLayer(get: (key: string) => unknown, prefix: string): ConfigLayer {
  return {
    corsAllowOrigins: readOrigins(get(CONTEXT_KEYS.corsAllowOrigins), `${prefix}corsAllowOrigins`),
    throttle: readThrottle(get(CONTEXT_KEYS.throttle), `${prefix}throttle`),
    alarms: readAlarms(get(CONTEXT_KEYS.alarms), `${prefix}alarms`),
    alarmEmails: readEmails(get(CONTEXT_KEYS.alarmEmails), `${prefix}alarmEmails`),
    authCallbackUrls: readAuthUrls(get(CONTEXT_KEYS.authCallbackUrls), `${prefix}authCallbackUrls`),
    authLogoutUrls: readAuthUrls(get(CONTEXT_KEYS.authLogoutUrls), `${prefix}authLogoutUrls`),
  };
}

/** Drops `undefined` fields so spreading a layer never erases a lower one. */
function defined<T extends object>(object: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(object ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * The protected suffixes: context `protectedEnvironments` (a list, or comma-separated),
 * else {@link DEFAULT_PROTECTED_ENVIRONMENTS}.
 *
 * @throws Error when the context value is not a list of strings.
 */
export function readProtectedEnvironments(value: unknown): readonly string[] {
  return (
    readList(value, `context ${CONTEXT_KEYS.protectedEnvironments}`) ??
    DEFAULT_PROTECTED_ENVIRONMENTS
  );
}

/**
 * Resolves the settings of environment `environmentSuffix`: code overrides, then context
 * `environments.<suffix>`, then top-level context, then the defaults.
 *
 * @throws Error naming the context key at fault: a malformed value, an unknown key, or a
 *   protected environment whose CORS origins are missing or `*`, or whose sign-in and
 *   sign-out URLs are missing or not all `https`.
 */
export function readEnvironmentConfig(
  environmentSuffix: string,
  context: ContextReader,
  overrides: EnvironmentConfigOverrides = {},
): EnvironmentConfig {
  const protectedEnvironments = readProtectedEnvironments(
    context(CONTEXT_KEYS.protectedEnvironments),
  );
  const isProtected = protectedEnvironments.includes(environmentSuffix);

  const topLevel = readLayer(context, 'context ');
  const environments = readObject(context(CONTEXT_KEYS.environments), 'context environments') ?? {};
  const ownPrefix = `context environments.${environmentSuffix}.`;
  const own = readObject(
    environments[environmentSuffix],
    `context environments.${environmentSuffix}`,
  );
  if (own !== undefined)
    assertKnownKeys(own, LAYER_KEYS, `context environments.${environmentSuffix}`);
  const perEnvironment = readLayer((key) => own?.[key], ownPrefix);
  const fromCode =
    overrides.corsAllowOrigins === undefined
      ? undefined
      : readOrigins(overrides.corsAllowOrigins, 'corsAllowOrigins option');

  const explicitOrigins = fromCode ?? perEnvironment.corsAllowOrigins ?? topLevel.corsAllowOrigins;
  if (isProtected && (explicitOrigins === undefined || explicitOrigins.includes('*'))) {
    throw new Error(
      `Environment ${JSON.stringify(environmentSuffix)} is protected: list its CORS origins ` +
        `explicitly (context environments.${environmentSuffix}.corsAllowOrigins or ` +
        'corsAllowOrigins), without "*". Any origin ("*") is for disposable developer stacks only.',
    );
  }

  const authUrls = (key: 'authCallbackUrls' | 'authLogoutUrls', fallback: readonly string[]) => {
    const explicit = perEnvironment[key] ?? topLevel[key];
    if (!isProtected) return explicit ?? fallback;
    if (explicit === undefined) {
      throw new Error(
        `Environment ${JSON.stringify(environmentSuffix)} is protected: list the ${key} of ` +
          `its sign-in client explicitly (context environments.${environmentSuffix}.${key} or ` +
          `${key}), as https URLs. The localhost default is for disposable developer stacks only.`,
      );
    }
    assertAuthUrlsAllowed(explicit, environmentSuffix, key);
    return explicit;
  };

  return {
    environmentSuffix,
    isProtected,
    corsAllowOrigins: explicitOrigins ?? CORS_POLICY.defaultAllowOrigins,
    throttle: {
      ...DEFAULT_THROTTLE,
      ...defined(topLevel.throttle),
      ...defined(perEnvironment.throttle),
    },
    alarms: {
      ...DEFAULT_ALARM_THRESHOLDS,
      ...defined(topLevel.alarms),
      ...defined(perEnvironment.alarms),
    },
    alarmEmails: perEnvironment.alarmEmails ?? topLevel.alarmEmails ?? [],
    authCallbackUrls: authUrls(CONTEXT_KEYS.authCallbackUrls, DEFAULT_AUTH_CALLBACK_URLS),
    authLogoutUrls: authUrls(CONTEXT_KEYS.authLogoutUrls, DEFAULT_AUTH_LOGOUT_URLS),
  };
}
