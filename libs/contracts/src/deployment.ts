/**
 * The deployment contract shared by the stack, the local cloud and the integration
 * suite: how the environment suffix is chosen and checked, what every physical
 * resource is called, and which outputs a deployment publishes.
 */

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
  readonly bucket: string;
  readonly apiKeySecret: string;
  readonly cursorKeySecret: string;
  readonly httpApi: string;
  readonly healthFunction: string;
  readonly apiFunction: string;
  readonly authorizerFunction: string;
  readonly rotationFunction: string;
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
    bucket: `tap-files-${suffix}-${account}-${region}`,
    apiKeySecret: `tap-application-secrets-${suffix}`,
    cursorKeySecret: `tap-cursor-signing-key-${suffix}`,
    httpApi: `tap-http-api-${suffix}`,
    healthFunction: `tap-health-function-${suffix}`,
    apiFunction: `tap-api-function-${suffix}`,
    authorizerFunction: `tap-authorizer-function-${suffix}`,
    rotationFunction: `tap-key-rotation-function-${suffix}`,
    accessLogGroup: `/aws/apigateway/tap-http-api-${suffix}`,
    alarmTopic: `tap-alarms-${suffix}`,
    dashboard: `tap-dashboard-${suffix}`,
    kmsKeyAlias: `alias/tap-key-${suffix}`,
    stack: `TapStack-${suffix}`,
  };
}

/** Log group name of a Lambda function (the one Lambda writes to by default). */
export const functionLogGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** Outputs of a deployed stack, as `cdk deploy --outputs-file` writes them per stack. */
export interface StackOutputs {
  readonly ApiUrl: string;
  readonly TableName: string;
  readonly BucketName: string;
  readonly SecretArn: string;
  readonly KmsKeyArn: string;
  readonly EnvironmentSuffix: string;
}

/** Every key of {@link StackOutputs}, in the order the stack declares them. */
export const STACK_OUTPUT_KEYS: readonly (keyof StackOutputs)[] = [
  'ApiUrl',
  'TableName',
  'BucketName',
  'SecretArn',
  'KmsKeyArn',
  'EnvironmentSuffix',
];

/** Outputs of the local cloud: the stack's plus the API key, which it knows. */
export interface LocalCloudOutputs extends StackOutputs {
  readonly ApiKey: string;
}

/** Shape of the secret holding the API key (JSON in the secret string). */
export interface ApiKeySecretValue {
  readonly apiKey: string;
}

/** Shape of the secret holding the pagination cursor signing key. */
export interface CursorKeySecretValue {
  readonly signingKey: string;
}

/**
 * The Lambda functions of TAP. `health` and `api` serve routes (`x-tap-handler`);
 * `authorizer` guards them; `rotation` rotates the API key secret.
 */
export type FunctionName = 'health' | 'api' | 'authorizer' | 'rotation';

/** Per-function deployment settings, shared by the stack and the local cloud's emulation. */
export interface FunctionSettings {
  /** Folder of the built bundle (`index.mjs` exporting `handler`), from the workspace root. */
  readonly bundleDir: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * Whether the function reads secrets through the Parameters and Secrets extension
   * ({@link SECRETS_EXTENSION}): the stack gives it the layer, the local cloud the
   * emulated endpoint. The functions that read a secret per request have it.
   */
  readonly secretsExtension: boolean;
}

/** Every function's bundle folder, limits and layer. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSettings>> = {
  health: {
    bundleDir: 'dist/apps/health-handler/health',
    timeoutSeconds: 10,
    memoryMb: 256,
    secretsExtension: false,
  },
  // The cursor signing key (lists) through the extension: a container's first list does not
  // load the Secrets Manager client.
  api: {
    bundleDir: 'dist/apps/api-handlers/api',
    timeoutSeconds: 30,
    memoryMb: 512,
    secretsExtension: true,
  },
  // The current API key through the extension: no SDK client on a cold start with the
  // right key; forced refetches and AWSPREVIOUS still go through the SDK.
  authorizer: {
    bundleDir: 'dist/apps/api-handlers/authorizer',
    timeoutSeconds: 10,
    memoryMb: 256,
    secretsExtension: true,
  },
  rotation: {
    bundleDir: 'dist/apps/api-handlers/rotation',
    timeoutSeconds: 30,
    memoryMb: 256,
    secretsExtension: false,
  },
};

/** `POWERTOOLS_SERVICE_NAME` of a function, the same in the stack and the local cloud. */
export const serviceName = (fn: FunctionName): string => `tap-${fn}`;

/** CloudWatch namespace of TAP's custom metrics (Powertools Metrics, EMF). */
export const METRICS_NAMESPACE = 'TAP';

/** Default days between API key rotations. */
export const DEFAULT_ROTATION_DAYS = 30;

/** How long API Gateway caches an authorizer decision per `x-api-key` value. */
export const AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** Header the API key travels in (see the contract's `apiKey` security scheme). */
export const API_KEY_HEADER = 'x-api-key';

/** Default upload limit for presigned uploads, in bytes (10 MiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Lifetime of a presigned file URL, in seconds. The files bucket denies presigned
 * requests whose signature is older than this, so no URL can outlast it.
 */
export const PRESIGNED_URL_TTL_SECONDS = 900;

/** CORS policy of the HTTP API (origins come per environment). */
export const CORS_POLICY = {
  allowHeaders: ['content-type', 'x-api-key', 'if-match'],
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
  exposeHeaders: ['etag', 'location', 'x-request-id'],
  maxAgeSeconds: 3600,
  defaultAllowOrigins: ['*'],
} as const;

/**
 * Environment variables the functions read, set by the stack and by the local cloud.
 * Each handler validates its own at cold start.
 */
export const FUNCTION_ENV = {
  /** DynamoDB table name (health, api). */
  tableName: 'TABLE_NAME',
  /** S3 bucket name (health, api). */
  bucketName: 'BUCKET_NAME',
  /** `true` to address S3 path-style (the local S3 emulator needs it). */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** Per-dependency health check timeout in ms (health; default 2000). */
  healthCheckTimeoutMs: 'HEALTH_CHECK_TIMEOUT_MS',
  /** Name or ARN of the cursor signing key secret (api). */
  cursorKeySecretId: 'CURSOR_KEY_SECRET_ID',
  /** Largest upload a presigned URL is issued for, in bytes (api). */
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  /** Name or ARN of the API key secret (authorizer, rotation). */
  apiKeySecretId: 'API_KEY_SECRET_ID',
} as const;

/**
 * The AWS Parameters and Secrets Lambda Extension, as the authorizer and the API use it: an
 * AWS-managed layer serving Secrets Manager values, cached, on a loopback HTTP port inside
 * the execution environment. A read is a plain local GET (no SDK client, no signing), so
 * reading the API key (authorizer) or the cursor signing key (API) does not load the
 * Secrets Manager client. The stack adds the layer; the local cloud emulates its endpoint.
 */
export const SECRETS_EXTENSION = {
  /** Environment variable holding the port (AWS's own name; the layer reads it too). */
  portEnv: 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  /** The port the stack configures, the extension's default. */
  port: 2773,
  /** Path of a Secrets Manager read: `?secretId=…[&versionStage=…]`. */
  secretPath: '/secretsmanager/get',
  /** Header carrying the function's `AWS_SESSION_TOKEN`; requests without it are refused. */
  tokenHeader: 'x-aws-parameters-secrets-token',
  /**
   * How long the extension caches a secret, in seconds. Not longer than the functions' own
   * caches: after a forced refetch the authorizer must never read back an older value.
   */
  ttlSeconds: 300,
} as const;
