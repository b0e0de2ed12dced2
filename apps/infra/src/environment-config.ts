import {
  CORS_POLICY,
  DEFAULT_THROTTLES,
  resolveFileQuotas,
  routeTable,
  type FileQuotas,
  type ThrottleLimits,
  type ThrottleSettings,
} from '@tap/contracts';

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
 *   "disposableEnvironments": ["release-notes"],
 *   "accounts": { "staging": "111111111111", "prod": "222222222222" },
 *   "corsAllowOrigins": ["https://app.example.com"],
 *   "throttle": {
 *     "stage": { "rateLimit": 50, "burstLimit": 100 },
 *     "routes": { "POST /api/items": { "rateLimit": 20, "burstLimit": 40 } }
 *   },
 *   "alarms": { "serverErrorRatePercent": 5 },
 *   "alarmEmails": ["oncall@example.com"],
 *   "authCallbackUrls": ["https://app.example.com/callback"],
 *   "authLogoutUrls": ["https://app.example.com/"],
 *   "apiReservedConcurrency": 100,
 *   "fileQuotas": { "maxFilesPerItem": 20 },
 *   "noncurrentVersionExpirationDays": 30,
 *   "abortIncompleteMultipartUploadDays": 1,
 *   "logRetentionDays": 30,
 *   "deployment": { "strategy": "linear10-1min" },
 *   "environments": {
 *     "prod": { "corsAllowOrigins": ["https://app.example.com"], "account": "222222222222" }
 *   }
 * }
 * ```
 *
 * Top-level keys apply to every environment; `environments.<suffix>` overrides them for
 * one environment (objects field by field). `protectedEnvironments`,
 * `disposableEnvironments` and `accounts` are top-level only; `account` is
 * `environments.<suffix>` only (it overrides `accounts.<suffix>`).
 */

/** CDK context keys read by {@link readEnvironmentConfig}. */
export const CONTEXT_KEYS = {
  protectedEnvironments: 'protectedEnvironments',
  disposableEnvironments: 'disposableEnvironments',
  accounts: 'accounts',
  account: 'account',
  corsAllowOrigins: 'corsAllowOrigins',
  throttle: 'throttle',
  alarms: 'alarms',
  alarmEmails: 'alarmEmails',
  authCallbackUrls: 'authCallbackUrls',
  authLogoutUrls: 'authLogoutUrls',
  apiReservedConcurrency: 'apiReservedConcurrency',
  fileQuotas: 'fileQuotas',
  noncurrentVersionExpirationDays: 'noncurrentVersionExpirationDays',
  abortIncompleteMultipartUploadDays: 'abortIncompleteMultipartUploadDays',
  logRetentionDays: 'logRetentionDays',
  deployment: 'deployment',
  environments: 'environments',
} as const;

/** Suffixes treated as protected when context `protectedEnvironments` is not set. */
export const DEFAULT_PROTECTED_ENVIRONMENTS: readonly string[] = ['prod', 'staging'];

/**
 * Words that make a suffix look like production: a hyphen-separated word of the suffix
 * that is one of these, case-insensitively, optionally followed by digits (`prod`,
 * `prod2`, `eu-production`, `live`, `release-1`...). Such a suffix is refused unless it is
 * listed in `protectedEnvironments` or, deliberately, in `disposableEnvironments`: a typo
 * (`production` for `prod`) or a hopeful name must not give production's name to a
 * stack that keeps nothing and trusts any origin.
 */
export const PRODUCTION_LIKE_WORDS: readonly string[] = [
  'prod',
  'prd',
  'production',
  'live',
  'main',
  'master',
  'release',
];

/**
 * The retention periods CloudWatch Logs accepts (`PutRetentionPolicy`), in days. Never
 * expiring is not among them: every TAP log group expires.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** Days a disposable developer stack keeps its logs: a week of debugging. */
export const DEFAULT_DISPOSABLE_LOG_RETENTION_DAYS = 7;

/**
 * Days a protected environment keeps its logs by default: a year, so an incident or an
 * audit question can be traced back through every season's traffic (access logs record
 * who called what; function logs why it failed).
 */
export const DEFAULT_PROTECTED_LOG_RETENTION_DAYS = 365;

/**
 * How a new version of the functions takes traffic: CodeDeploy's predefined Lambda
 * configurations (`canary10-5min`: 10% for 5 minutes, then everything; `linear10-1min`:
 * 10% more every minute), or `all-at-once`: the alias moves with the CloudFormation update
 * and no CodeDeploy deployment group exists.
 */
export const DEPLOYMENT_STRATEGIES = [
  'canary10-5min',
  'canary10-10min',
  'canary10-15min',
  'canary10-30min',
  'linear10-1min',
  'linear10-2min',
  'linear10-3min',
  'linear10-10min',
  'all-at-once',
] as const;

/** One of {@link DEPLOYMENT_STRATEGIES}. */
export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number];

/** The strategy of a protected environment unless context says otherwise. */
export const DEFAULT_PROTECTED_DEPLOYMENT_STRATEGY: DeploymentStrategy = 'canary10-5min';

/** The strategy of a disposable stack unless context says otherwise: no CodeDeploy. */
export const DEFAULT_DISPOSABLE_DEPLOYMENT_STRATEGY: DeploymentStrategy = 'all-at-once';

/** How the functions' new versions are deployed. */
export interface DeploymentSettings {
  readonly strategy: DeploymentStrategy;
}

/**
 * Where the user pool's SPA client may send a user after sign-in and sign-out when the
 * environment names none: a developer's SPA dev server on this machine (Vite's default
 * port; the local cloud's API is on 3000). Protected environments must name their own.
 */
export const DEFAULT_AUTH_CALLBACK_URLS: readonly string[] = ['http://localhost:5173/callback'];

/** Sign-out counterpart of {@link DEFAULT_AUTH_CALLBACK_URLS}. */
export const DEFAULT_AUTH_LOGOUT_URLS: readonly string[] = ['http://localhost:5173/'];

/**
 * The HTTP API's throttles: the `$default` stage's limit of every route, and tighter ones
 * per route key. The defaults are the contract's (`DEFAULT_THROTTLES`), which the local
 * cloud enforces too.
 */
export type ThrottleConfig = ThrottleSettings;

/** Default throttles: the contract's. */
export const DEFAULT_THROTTLE: ThrottleConfig = DEFAULT_THROTTLES;

/** Days a noncurrent (overwritten or deleted) object version is kept before S3 expires it. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30;

/**
 * Days after which S3 aborts a multipart upload never completed, dropping its parts (which
 * are billed as storage yet invisible as objects).
 */
export const DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 1;

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
   * goes, refuses `destroy`, must name its CORS origins (https only) and its account.
   */
  readonly isProtected: boolean;
  /**
   * The AWS account the environment is listed in (`environments.<suffix>.account`, else
   * `accounts.<suffix>`); `undefined` when it is not listed. See
   * {@link assertDeploymentAccount}.
   */
  readonly account: AccountListing | undefined;
  /** The accounts listed for the protected environments, by suffix. */
  readonly protectedAccounts: Readonly<Record<string, AccountListing>>;
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
  /**
   * Concurrent executions reserved for the api function: a ceiling on its share of the
   * account's concurrency (and a floor the others cannot take). `undefined`: unreserved.
   */
  readonly apiReservedConcurrency: number | undefined;
  /** Caps of an item's files, checked against the contract's (`resolveFileQuotas`). */
  readonly fileQuotas: FileQuotas;
  /** Days a noncurrent object version of the files bucket is kept. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days after which an incomplete multipart upload to the files bucket is aborted. */
  readonly abortIncompleteMultipartUploadDays: number;
  /** Days every log group of the stack keeps its events (one of {@link LOG_RETENTION_DAYS}). */
  readonly logRetentionDays: number;
  /** How the functions' new versions take traffic. */
  readonly deployment: DeploymentSettings;
}

/** An account id from context, and the context key it came from (for error messages). */
export interface AccountListing {
  readonly account: string;
  /** `context accounts.<suffix>` or `context environments.<suffix>.account`. */
  readonly key: string;
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
  readonly throttle?: ThrottleLayer;
  readonly alarms?: Partial<AlarmThresholds>;
  readonly alarmEmails?: readonly string[];
  readonly authCallbackUrls?: readonly string[];
  readonly authLogoutUrls?: readonly string[];
  readonly apiReservedConcurrency?: number;
  readonly fileQuotas?: Partial<FileQuotas>;
  readonly noncurrentVersionExpirationDays?: number;
  readonly abortIncompleteMultipartUploadDays?: number;
  readonly logRetentionDays?: number;
  readonly deployment?: Partial<DeploymentSettings>;
}

/** Throttles one layer of context gives: any field of the stage, any route's. */
interface ThrottleLayer {
  readonly stage?: Partial<ThrottleLimits>;
  readonly routes?: Readonly<Record<string, Partial<ThrottleLimits>>>;
}

const LAYER_KEYS = [
  CONTEXT_KEYS.corsAllowOrigins,
  CONTEXT_KEYS.throttle,
  CONTEXT_KEYS.alarms,
  CONTEXT_KEYS.alarmEmails,
  CONTEXT_KEYS.authCallbackUrls,
  CONTEXT_KEYS.authLogoutUrls,
  CONTEXT_KEYS.apiReservedConcurrency,
  CONTEXT_KEYS.fileQuotas,
  CONTEXT_KEYS.noncurrentVersionExpirationDays,
  CONTEXT_KEYS.abortIncompleteMultipartUploadDays,
  CONTEXT_KEYS.logRetentionDays,
  CONTEXT_KEYS.deployment,
] as const;

/** What `environments.<suffix>` may hold: the layer's keys, and the environment's account. */
const ENVIRONMENT_KEYS = [...LAYER_KEYS, CONTEXT_KEYS.account] as const;

/** An AWS account id: twelve digits, leading zeros included (hence a string). */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** The route keys throttles may name: the contract's routes. */
const ROUTE_KEYS: readonly string[] = routeTable.map((route) => route.routeKey);

/** One token bucket (`{ rateLimit, burstLimit }`), either field optional. */
function readThrottleLimits(value: unknown, origin: string): Partial<ThrottleLimits> | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, ['rateLimit', 'burstLimit'], origin);
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

/**
 * `{ stage, routes }`: the stage's limits, and limits by route key, each key a route of the
 * contract (a misspelt or removed route must not be throttled silently nowhere).
 */
function readThrottle(value: unknown, origin: string): ThrottleLayer | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, ['stage', 'routes'], origin);
  const routes = readObject(object.routes, `${origin}.routes`);
  const unknownRoutes = Object.keys(routes ?? {}).filter((key) => !ROUTE_KEYS.includes(key));
  if (unknownRoutes.length > 0) {
    throw new Error(
      `Unknown route key(s) ${unknownRoutes.map((key) => JSON.stringify(key)).join(', ')} in ` +
        `${origin}.routes: expected routes of the contract, ${ROUTE_KEYS.join(', ')}`,
    );
  }
  return {
    stage: readThrottleLimits(object.stage, `${origin}.stage`),
    routes:
      routes === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(routes).map(([key, limits]) => [
              key,
              readThrottleLimits(limits, `${origin}.routes.${key}`) ?? {},
            ]),
          ),
  };
}

/**
 * The caps of an item's files, each at most the contract's.
 *
 * @throws Error naming `origin` for an unknown key or a cap `resolveFileQuotas` refuses.
 */
function readFileQuotas(value: unknown, origin: string): Partial<FileQuotas> | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, ['maxFilesPerItem', 'maxBytesPerItem'], origin);
  const quotas = defined({
    maxFilesPerItem: readNumber(object.maxFilesPerItem, `${origin}.maxFilesPerItem`, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
    }),
    maxBytesPerItem: readNumber(object.maxBytesPerItem, `${origin}.maxBytesPerItem`, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
    }),
  });
  try {
    resolveFileQuotas(quotas);
  } catch (error) {
    throw new Error(`Invalid ${origin}: ${(error as Error).message}`);
  }
  return quotas;
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
 * A retention period from context, one CloudWatch Logs accepts.
 *
 * @throws Error naming `origin` for any other number of days.
 */
function readLogRetentionDays(value: unknown, origin: string): number | undefined {
  if (isBlank(value)) return undefined;
  const days = typeof value === 'string' ? Number(value) : value;
  if (typeof days !== 'number' || !LOG_RETENTION_DAYS.includes(days)) {
    throw new Error(
      `Invalid ${origin} ${JSON.stringify(value)}: expected one of the retention periods ` +
        `CloudWatch Logs accepts, ${LOG_RETENTION_DAYS.join(', ')} (days)`,
    );
  }
  return days;
}

/** `{ strategy }`: how new function versions take traffic. */
function readDeployment(value: unknown, origin: string): Partial<DeploymentSettings> | undefined {
  const object = readObject(value, origin);
  if (object === undefined) return undefined;
  assertKnownKeys(object, ['strategy'], origin);
  const { strategy } = object;
  if (isBlank(strategy)) return {};
  if (!(DEPLOYMENT_STRATEGIES as readonly unknown[]).includes(strategy)) {
    throw new Error(
      `Invalid ${origin}.strategy ${JSON.stringify(strategy)}: expected one of ` +
        DEPLOYMENT_STRATEGIES.join(', '),
    );
  }
  return { strategy: strategy as DeploymentStrategy };
}

/**
 * An account id from context: a string of twelve digits (a number would lose leading
 * zeros, so it is refused too).
 *
 * @throws Error naming `origin` for anything else.
 */
function readAccountId(value: unknown, origin: string): string | undefined {
  if (isBlank(value)) return undefined;
  if (typeof value !== 'string' || !ACCOUNT_ID_PATTERN.test(value)) {
    throw new Error(
      `Invalid ${origin} ${JSON.stringify(value)}: expected an AWS account id, twelve digits ` +
        'as a string (e.g. "111111111111")',
    );
  }
  return value;
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
    // Lambda keeps 100 of an account's concurrency unreserved; the default quota is 1000.
    apiReservedConcurrency: readNumber(
      get(CONTEXT_KEYS.apiReservedConcurrency),
      `${prefix}apiReservedConcurrency`,
      { min: 1, max: 100000, integer: true },
    ),
    fileQuotas: readFileQuotas(get(CONTEXT_KEYS.fileQuotas), `${prefix}fileQuotas`),
    noncurrentVersionExpirationDays: readNumber(
      get(CONTEXT_KEYS.noncurrentVersionExpirationDays),
      `${prefix}noncurrentVersionExpirationDays`,
      { min: 1, max: 3650, integer: true },
    ),
    abortIncompleteMultipartUploadDays: readNumber(
      get(CONTEXT_KEYS.abortIncompleteMultipartUploadDays),
      `${prefix}abortIncompleteMultipartUploadDays`,
      { min: 1, max: 365, integer: true },
    ),
    logRetentionDays: readLogRetentionDays(
      get(CONTEXT_KEYS.logRetentionDays),
      `${prefix}logRetentionDays`,
    ),
    deployment: readDeployment(get(CONTEXT_KEYS.deployment), `${prefix}deployment`),
  };
}

/**
 * The throttles of an environment: the defaults, then the top level, then the
 * environment's, the stage field by field and each route field by field (a route the
 * defaults do not throttle starts from the stage's limits).
 */
function mergeThrottles(...layers: (ThrottleLayer | undefined)[]): ThrottleConfig {
  let stage: ThrottleLimits = DEFAULT_THROTTLE.stage;
  const routes: Record<string, ThrottleLimits> = { ...DEFAULT_THROTTLE.routes };
  for (const layer of layers) {
    stage = { ...stage, ...defined(layer?.stage) };
  }
  for (const layer of layers) {
    for (const [key, limits] of Object.entries(layer?.routes ?? {})) {
      routes[key] = { ...(routes[key] ?? stage), ...defined(limits) };
    }
  }
  return { stage, routes };
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
 * The suffixes context `disposableEnvironments` lists: disposable even though their name
 * looks like production (see {@link PRODUCTION_LIKE_WORDS}). Default: none.
 *
 * @throws Error when the context value is not a list of strings.
 */
export function readDisposableEnvironments(value: unknown): readonly string[] {
  return readList(value, `context ${CONTEXT_KEYS.disposableEnvironments}`) ?? [];
}

/**
 * The word of `suffix` that makes it look like production, if any: a hyphen-separated
 * word that is one of {@link PRODUCTION_LIKE_WORDS}, optionally followed by digits,
 * whatever its case.
 */
export function productionLikeWord(suffix: string): string | undefined {
  return suffix
    .toLowerCase()
    .split(/[-_.]/)
    .find((word) => PRODUCTION_LIKE_WORDS.includes(word.replace(/\d+$/, '')));
}

/**
 * The accounts context lists, by suffix: `accounts.<suffix>`, overridden by
 * `environments.<suffix>.account`, each validated.
 */
function readAccounts(
  accounts: unknown,
  environments: Record<string, unknown>,
): Record<string, AccountListing> {
  const topLevel = readObject(accounts, `context ${CONTEXT_KEYS.accounts}`) ?? {};
  const listed: Record<string, AccountListing> = {};
  for (const [suffix, value] of Object.entries(topLevel)) {
    const key = `context ${CONTEXT_KEYS.accounts}.${suffix}`;
    const account = readAccountId(value, key);
    if (account !== undefined) listed[suffix] = { account, key };
  }
  for (const [suffix, layer] of Object.entries(environments)) {
    const own = readObject(layer, `context environments.${suffix}`);
    const key = `context environments.${suffix}.${CONTEXT_KEYS.account}`;
    const account = readAccountId(own?.[CONTEXT_KEYS.account], key);
    if (account !== undefined) listed[suffix] = { account, key };
  }
  return listed;
}

/**
 * Resolves the settings of environment `environmentSuffix`: code overrides, then context
 * `environments.<suffix>`, then top-level context, then the defaults.
 *
 * @throws Error naming the context key at fault: a malformed value, an unknown key, a
 *   suffix that looks like production but is listed as neither protected nor disposable,
 *   or a protected environment whose CORS origins are missing, `*` or not all `https`, or
 *   whose sign-in and sign-out URLs are missing or not all `https`. Which account the
 *   stack may be synthesized for is {@link assertDeploymentAccount}'s.
 */
export function readEnvironmentConfig(
  environmentSuffix: string,
  context: ContextReader,
  overrides: EnvironmentConfigOverrides = {},
): EnvironmentConfig {
  const protectedEnvironments = readProtectedEnvironments(
    context(CONTEXT_KEYS.protectedEnvironments),
  );
  const disposableEnvironments = readDisposableEnvironments(
    context(CONTEXT_KEYS.disposableEnvironments),
  );
  const both = protectedEnvironments.filter((suffix) => disposableEnvironments.includes(suffix));
  if (both.length > 0) {
    throw new Error(
      `Environment(s) ${both.map((suffix) => JSON.stringify(suffix)).join(', ')} listed in both ` +
        `context ${CONTEXT_KEYS.protectedEnvironments} and context ` +
        `${CONTEXT_KEYS.disposableEnvironments}: an environment is one or the other.`,
    );
  }
  const isProtected = protectedEnvironments.includes(environmentSuffix);
  const productionWord = productionLikeWord(environmentSuffix);
  if (
    !isProtected &&
    productionWord !== undefined &&
    !disposableEnvironments.includes(environmentSuffix)
  ) {
    throw new Error(
      `Environment ${JSON.stringify(environmentSuffix)} looks like production (the word ` +
        `${JSON.stringify(productionWord)}) but is not protected: list it in context ` +
        `${CONTEXT_KEYS.protectedEnvironments} to protect it, or in context ` +
        `${CONTEXT_KEYS.disposableEnvironments} if it really is a disposable stack.`,
    );
  }

  const topLevel = readLayer(context, 'context ');
  const environments = readObject(context(CONTEXT_KEYS.environments), 'context environments') ?? {};
  const ownPrefix = `context environments.${environmentSuffix}.`;
  const own = readObject(
    environments[environmentSuffix],
    `context environments.${environmentSuffix}`,
  );
  if (own !== undefined)
    assertKnownKeys(own, ENVIRONMENT_KEYS, `context environments.${environmentSuffix}`);
  const perEnvironment = readLayer((key) => own?.[key], ownPrefix);
  const accounts = readAccounts(context(CONTEXT_KEYS.accounts), environments);
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
  // A page served over plain http can be rewritten on the way: its origin must not be able
  // to call a protected environment's API (or upload to its bucket) with a user's token.
  const insecureOrigins = isProtected
    ? (explicitOrigins ?? []).filter((origin) => !origin.startsWith('https://'))
    : [];
  if (insecureOrigins.length > 0) {
    throw new Error(
      `Environment ${JSON.stringify(environmentSuffix)} is protected: its CORS origins ` +
        `(context environments.${environmentSuffix}.corsAllowOrigins or corsAllowOrigins) ` +
        `must all be https origins, not ${insecureOrigins.map((origin) => JSON.stringify(origin)).join(', ')}. ` +
        'Plain http origins are for disposable developer stacks only.',
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
    account: accounts[environmentSuffix],
    protectedAccounts: Object.fromEntries(
      Object.entries(accounts).filter(([suffix]) => protectedEnvironments.includes(suffix)),
    ),
    corsAllowOrigins: explicitOrigins ?? CORS_POLICY.defaultAllowOrigins,
    throttle: mergeThrottles(topLevel.throttle, perEnvironment.throttle),
    alarms: {
      ...DEFAULT_ALARM_THRESHOLDS,
      ...defined(topLevel.alarms),
      ...defined(perEnvironment.alarms),
    },
    alarmEmails: perEnvironment.alarmEmails ?? topLevel.alarmEmails ?? [],
    authCallbackUrls: authUrls(CONTEXT_KEYS.authCallbackUrls, DEFAULT_AUTH_CALLBACK_URLS),
    authLogoutUrls: authUrls(CONTEXT_KEYS.authLogoutUrls, DEFAULT_AUTH_LOGOUT_URLS),
    apiReservedConcurrency:
      perEnvironment.apiReservedConcurrency ?? topLevel.apiReservedConcurrency,
    fileQuotas: resolveFileQuotas({
      ...defined(topLevel.fileQuotas),
      ...defined(perEnvironment.fileQuotas),
    }),
    noncurrentVersionExpirationDays:
      perEnvironment.noncurrentVersionExpirationDays ??
      topLevel.noncurrentVersionExpirationDays ??
      DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS,
    abortIncompleteMultipartUploadDays:
      perEnvironment.abortIncompleteMultipartUploadDays ??
      topLevel.abortIncompleteMultipartUploadDays ??
      DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS,
    logRetentionDays:
      perEnvironment.logRetentionDays ??
      topLevel.logRetentionDays ??
      (isProtected ? DEFAULT_PROTECTED_LOG_RETENTION_DAYS : DEFAULT_DISPOSABLE_LOG_RETENTION_DAYS),
    deployment: {
      strategy:
        perEnvironment.deployment?.strategy ??
        topLevel.deployment?.strategy ??
        (isProtected
          ? DEFAULT_PROTECTED_DEPLOYMENT_STRATEGY
          : DEFAULT_DISPOSABLE_DEPLOYMENT_STRATEGY),
    },
  };
}

/**
 * Checks the account a stack of `config`'s environment is synthesized for, `account`
 * (the app's: `CDK_DEFAULT_ACCOUNT`, or the stack's `env.account`; `undefined` when
 * unresolved, an environment-agnostic stack):
 *
 * - a protected environment must be listed (`accounts.<suffix>` or
 *   `environments.<suffix>.account`) and synthesized for exactly that account;
 * - any listed environment, protected or not, only for its account;
 * - a disposable stack never for an account listed for a protected environment, so a
 *   developer's or a pull request's credentials can never aim a throwaway stack at
 *   production.
 *
 * A disposable stack of unresolved account passes: `cdk deploy` resolves the account from
 * the credentials and gives it to the app as `CDK_DEFAULT_ACCOUNT`, so the deploy's own
 * synthesis is checked.
 *
 * @throws Error naming the context key that lists the account.
 */
export function assertDeploymentAccount(
  config: Pick<
    EnvironmentConfig,
    'environmentSuffix' | 'isProtected' | 'account' | 'protectedAccounts'
  >,
  account: string | undefined,
): void {
  const name = JSON.stringify(config.environmentSuffix);
  const { environmentSuffix: suffix } = config;
  if (config.isProtected && config.account === undefined) {
    throw new Error(
      `Environment ${name} is protected: list its AWS account in context ` +
        `${CONTEXT_KEYS.accounts}.${suffix} (or environments.${suffix}.${CONTEXT_KEYS.account}), ` +
        'so that it can only be synthesized for that account.',
    );
  }
  if (config.account !== undefined) {
    const listed = `${config.account.account} (${config.account.key})`;
    if (account === undefined) {
      if (!config.isProtected) return;
      throw new Error(
        `Environment ${name} is protected and lives in account ${listed}, but the app's ` +
          'account is unresolved: set CDK_DEFAULT_ACCOUNT (the CDK CLI sets it from the ' +
          "credentials) or the stack's env.account.",
      );
    }
    if (account !== config.account.account) {
      throw new Error(
        `Environment ${name} lives in account ${listed}, not in ${account}, the app's account ` +
          "(CDK_DEFAULT_ACCOUNT or the stack's env.account): use that account's credentials.",
      );
    }
  }
  if (config.isProtected || account === undefined) return;
  const owner = Object.entries(config.protectedAccounts).find(
    ([, listing]) => listing.account === account,
  );
  if (owner !== undefined) {
    const [protectedSuffix, listing] = owner;
    throw new Error(
      `Environment ${name} is disposable, but its account ${account} is the protected ` +
        `environment ${JSON.stringify(protectedSuffix)}'s (${listing.key}): a disposable ` +
        "stack never goes to a protected environment's account.",
    );
  }
}
