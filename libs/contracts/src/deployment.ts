/**
 * The deployment contract shared by the stack, the local cloud and the integration
 * suite: how the environment suffix is chosen and checked, what every physical
 * resource is called, and which outputs a deployment publishes.
 */
import type { FunctionName } from './functions';
import {
  apiKeyHeader,
  corsAllowHeaders,
  corsAllowMethods,
  corsExposeHeaders,
} from './generated/contract-facts';

/** The suffix used when none is given anywhere. */
export const DEFAULT_ENVIRONMENT_SUFFIX = 'dev';

/** Longest suffix: keeps every name within its service's limit (S3 buckets: 63). */
export const MAX_ENVIRONMENT_SUFFIX_LENGTH = 20;

/** Region the stack deploys to. */
export const TAP_REGION = 'us-west-2';

/** Where an environment suffix may come from, in order of precedence. */
export interface EnvironmentSuffixSources {
  /** Passed by code (stack props). */
  readonly props?: string | undefined;
  /** CDK context `environmentSuffix`. */
  readonly context?: unknown;
  /** Environment variable `ENVIRONMENT_SUFFIX`. */
  readonly env?: string | undefined;
}

/**
 * Picks the environment suffix: props, then context `environmentSuffix`, then env
 * `ENVIRONMENT_SUFFIX`, then {@link DEFAULT_ENVIRONMENT_SUFFIX}, and validates it.
 *
 * @throws Error naming the rule the chosen suffix breaks.
 */
export function resolveEnvironmentSuffix(sources: EnvironmentSuffixSources): string {
  const candidates: [string, unknown][] = [
    ['props', sources.props],
    ['context environmentSuffix', sources.context],
    ['env ENVIRONMENT_SUFFIX', sources.env],
  ];
  for (const [origin, value] of candidates) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw new Error(`Environment suffix from ${origin} must be a string, got ${typeof value}`);
    }
    assertValidEnvironmentSuffix(value, origin);
    return value;
  }
  return DEFAULT_ENVIRONMENT_SUFFIX;
}

/**
 * Checks a suffix against the rules that keep every physical name valid on AWS.
 *
 * @throws Error whose message names the broken rule.
 */
export function assertValidEnvironmentSuffix(suffix: string, origin = 'environment suffix'): void {
  const fail = (rule: string): never => {
    throw new Error(
      `Invalid environment suffix ${JSON.stringify(suffix)} (from ${origin}): ${rule}`,
    );
  };
  if (suffix.length === 0) fail('it must not be empty');
  if (suffix.length > MAX_ENVIRONMENT_SUFFIX_LENGTH) {
    fail(
      `it must be at most ${MAX_ENVIRONMENT_SUFFIX_LENGTH} characters, so the S3 bucket name stays within 63`,
    );
  }
  if (!/^[a-z0-9-]+$/.test(suffix)) {
    fail('only lowercase letters, digits and hyphens are allowed (S3 bucket names are lowercase)');
  }
  if (!/^[a-z]/.test(suffix)) fail('it must start with a lowercase letter');
  if (suffix.endsWith('-')) fail('it must not end with a hyphen');
  if (suffix.includes('--')) fail('it must not contain two hyphens in a row');
}

/** Physical names of TAP's resources for one environment. */
export interface ResourceNames {
  readonly table: string;
  /** The machine key table (`KEY_TABLE_SCHEMA`). */
  readonly keyTable: string;
  /** The file record table (`FILE_TABLE_SCHEMA`). */
  readonly fileTable: string;
  /** The idempotency record table (`IDEMPOTENCY_TABLE_SCHEMA`). */
  readonly idempotencyTable: string;
  readonly bucket: string;
  readonly cursorKeySecret: string;
  /** The Cognito user pool of the environment's users. */
  readonly userPool: string;
  /** Its app client for browser SPAs (authorization code with PKCE, no secret). */
  readonly userPoolClient: string;
  /**
   * Prefix of the user pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`),
   * which must be unique in the region: it carries the account.
   */
  readonly userPoolDomainPrefix: string;
  readonly httpApi: string;
  /** Physical name of each Lambda function. */
  readonly functions: Readonly<Record<FunctionName, string>>;
  readonly accessLogGroup: string;
  readonly alarmTopic: string;
  readonly dashboard: string;
  readonly kmsKeyAlias: string;
  readonly stack: string;
}

/**
 * Names every resource for an environment. The bucket name carries the account and
 * region because S3 names are global.
 */
export function resourceNames(
  suffix: string,
  account: string,
  region: string = TAP_REGION,
): ResourceNames {
  assertValidEnvironmentSuffix(suffix);
  return {
    table: `tap-data-table-${suffix}`,
    keyTable: `tap-api-keys-${suffix}`,
    fileTable: `tap-file-records-${suffix}`,
    idempotencyTable: `tap-idempotency-${suffix}`,
    bucket: `tap-files-${suffix}-${account}-${region}`,
    cursorKeySecret: `tap-cursor-signing-key-${suffix}`,
    userPool: `tap-users-${suffix}`,
    userPoolClient: `tap-web-client-${suffix}`,
    userPoolDomainPrefix: `tap-${suffix}-${account}`,
    httpApi: `tap-http-api-${suffix}`,
    functions: {
      health: `tap-health-function-${suffix}`,
      api: `tap-api-function-${suffix}`,
      authorizer: `tap-authorizer-function-${suffix}`,
      files: `tap-file-events-function-${suffix}`,
    },
    accessLogGroup: `/aws/apigateway/tap-http-api-${suffix}`,
    alarmTopic: `tap-alarms-${suffix}`,
    dashboard: `tap-dashboard-${suffix}`,
    kmsKeyAlias: `alias/tap-key-${suffix}`,
    stack: `TapStack-${suffix}`,
  };
}

/**
 * Prefix of every object in the files bucket: `tenants/<tenant>/items/<id>/…`. The API
 * builds keys under it and the stack grants the API function exactly this prefix.
 */
export const FILES_PREFIX = 'tenants/';

/** Log group name of a Lambda function (the one Lambda writes to by default). */
export const functionLogGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** Outputs of a deployed stack, as `cdk deploy --outputs-file` writes them per stack. */
export interface StackOutputs {
  readonly ApiUrl: string;
  readonly TableName: string;
  /** The machine key table, which the key command writes to. */
  readonly KeyTableName: string;
  readonly BucketName: string;
  /** What a client needs to sign a user in: the pool, its app client, the token issuer. */
  readonly UserPoolId: string;
  readonly UserPoolClientId: string;
  /** The tokens' `iss`; its discovery document names the authorize and token endpoints. */
  readonly IssuerUrl: string;
  readonly KmsKeyArn: string;
  readonly EnvironmentSuffix: string;
}

/** Every key of {@link StackOutputs}, in the order the stack declares them. */
export const STACK_OUTPUT_KEYS: readonly (keyof StackOutputs)[] = [
  'ApiUrl',
  'TableName',
  'KeyTableName',
  'BucketName',
  'UserPoolId',
  'UserPoolClientId',
  'IssuerUrl',
  'KmsKeyArn',
  'EnvironmentSuffix',
];

/**
 * Outputs of the local cloud: the stack's plus a machine key of the default tenant, which
 * the local cloud creates so `npm start` works with no extra step.
 */
export interface LocalCloudOutputs extends StackOutputs {
  readonly ApiKey: string;
  /** The DynamoDB emulator, where the key command issues and revokes machine keys. */
  readonly DynamoDbEndpoint: string;
}

/**
 * Lifetime of a user's access token, in minutes: the user pool's and the local issuer's.
 * The authorizer verifies tokens offline, so this bounds how long a signed-out user's token
 * still opens the API.
 */
export const USER_ACCESS_TOKEN_MINUTES = 15;

/** The tenant of the local cloud's default machine key. */
export const DEFAULT_LOCAL_TENANT = 'default';

/** The issuer URL of a Cognito user pool: its tokens' `iss`. */
export const userPoolIssuerUrl = (region: string, userPoolId: string): string =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/** Where an issuer publishes its signing keys (Cognito's and the local issuer's path). */
export const jwksUriOf = (issuerUrl: string): string => `${issuerUrl}/.well-known/jwks.json`;

/** Shape of the secret holding the pagination cursor signing key. */
export interface CursorKeySecretValue {
  readonly signingKey: string;
}

/** CloudWatch namespace of TAP's custom metrics (Powertools Metrics, EMF). */
export const METRICS_NAMESPACE = 'TAP';

/**
 * How long API Gateway caches an authorizer decision: not at all. Verifying a token is a
 * signature check in memory, and the authorizer keeps machine key records for
 * `MACHINE_KEY_CACHE_SECONDS` itself, so a revoked key is refused within seconds instead of
 * a gateway cache's minutes. Without caching the authorizer needs no identity source, which
 * lets one authorizer accept either credential.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = 0;

/** Header the API key travels in: the contract's `apiKey` security scheme, in lower case. */
export const API_KEY_HEADER = apiKeyHeader;

/**
 * Lifetime of a presigned file URL, in seconds. The files bucket denies presigned
 * requests whose signature is older than this, so no URL can outlast it.
 */
export const PRESIGNED_URL_TTL_SECONDS = 900;

/**
 * CORS policy of the HTTP API (origins come per environment). Headers and methods are the
 * contract's: its operations' methods, header parameters and response headers.
 */
export const CORS_POLICY = {
  allowHeaders: corsAllowHeaders,
  allowMethods: corsAllowMethods,
  exposeHeaders: corsExposeHeaders,
  maxAgeSeconds: 3600,
  defaultAllowOrigins: ['*'],
} as const;

/** A token bucket of API Gateway's throttling: steady requests per second and burst. */
export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The HTTP API's throttles: the stage's default, and tighter ones per route key. */
export interface ThrottleSettings {
  /** Every route's limit unless it has its own. */
  readonly stage: ThrottleLimits;
  /** By route key (`POST /api/items`); each must be a route of the contract. */
  readonly routes: Readonly<Record<string, ThrottleLimits>>;
}

/**
 * The throttles an environment gets unless its context sets others (`throttle` in
 * `cdk.json`): the stage bounds every route, and the routes that cost the most (writes,
 * presigns, the health check that touches both stores) get less. The local cloud enforces
 * the same limits, answering 429 as API Gateway does.
 */
export const DEFAULT_THROTTLES: ThrottleSettings = {
  stage: { rateLimit: 50, burstLimit: 100 },
  routes: {
    'GET /health': { rateLimit: 5, burstLimit: 10 },
    'POST /api/items': { rateLimit: 20, burstLimit: 40 },
    'PATCH /api/items/{id}': { rateLimit: 20, burstLimit: 40 },
    'DELETE /api/items/{id}': { rateLimit: 10, burstLimit: 20 },
    'POST /api/items/{id}/files': { rateLimit: 10, burstLimit: 20 },
    'GET /api/items/{id}/files/{fileId}': { rateLimit: 20, burstLimit: 40 },
    'DELETE /api/items/{id}/files/{fileId}': { rateLimit: 10, burstLimit: 20 },
  },
};

/** API Gateway's own answer to a throttled request (status 429). */
export const THROTTLED_RESPONSE_BODY = { message: 'Too Many Requests' } as const;
