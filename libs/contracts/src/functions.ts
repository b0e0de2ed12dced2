/**
 * The one model of every deployed function: what it is called, how it runs, what its
 * environment holds and which routes it serves. The stack (`apps/infra`) and the local cloud
 * (`tools/local-cloud`) are thin translators of it, so neither can drift alone; a test in
 * infra compares the two environments variable by variable.
 */
import { maxBytesPerItem, maxFilesPerItem } from './generated/contract-facts';
import { FILES_PREFIX, jwksUriOf, METRICS_NAMESPACE, type ResourceNames } from './deployment';
import { routeTable, type Route } from './route-table';

/**
 * The Lambda functions of TAP. `health` and `api` serve routes (`x-tap-handler`);
 * `authorizer` guards them, establishing the principal of every other request; `files`
 * confirms uploads from the bucket's object-created events.
 */
export type FunctionName = 'health' | 'api' | 'authorizer' | 'files';

/** Every function, in a fixed order (the order the stack declares them). */
export const FUNCTION_NAMES: readonly FunctionName[] = ['health', 'api', 'authorizer', 'files'];

/**
 * The Lambda runtime of every function: a concrete Node.js version rather than "latest", so
 * an upgrade of the CDK never changes it unnoticed. The bundles' esbuild target
 * (`tools/scripts/lambda-bundle-options.mjs`) matches it; a test in infra checks both.
 */
export const LAMBDA_RUNTIME = 'nodejs24.x';

/** Instruction set of every function (Graviton: cheaper per millisecond than x86_64). */
export const LAMBDA_ARCHITECTURE = 'arm64';

/** Default per-dependency budget of the health checks, in ms: well inside its 10 s timeout. */
export const HEALTH_CHECK_TIMEOUT_MS = 2000;

/** Default upload limit for presigned uploads, in bytes (10 MiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Environment variables the functions read. Each handler validates its own at cold start.
 */
export const FUNCTION_ENV = {
  /** DynamoDB table name (health, api). */
  tableName: 'TABLE_NAME',
  /** S3 bucket name (health, api). */
  bucketName: 'BUCKET_NAME',
  /** `true` to address S3 path-style (the local S3 emulator needs it; AWS does not). */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** Per-dependency health check timeout in ms (health; default {@link HEALTH_CHECK_TIMEOUT_MS}). */
  healthCheckTimeoutMs: 'HEALTH_CHECK_TIMEOUT_MS',
  /** Name or ARN of the cursor signing key secret (api). */
  cursorKeySecretId: 'CURSOR_KEY_SECRET_ID',
  /** Largest upload a presigned URL is issued for, in bytes (api). */
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  /** Name of the file record table (api, files). */
  fileTableName: 'FILE_TABLE_NAME',
  /** Name of the idempotency record table (api). */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  /** Most files an item may hold (api; at most the contract's `x-tap-max-files-per-item`). */
  maxFilesPerItem: 'MAX_FILES_PER_ITEM',
  /** Most bytes an item's files may hold (api; at most `x-tap-max-bytes-per-item`). */
  maxBytesPerItem: 'MAX_BYTES_PER_ITEM',
  /** Name of the machine key table (authorizer). */
  keyTableName: 'KEY_TABLE_NAME',
  /** The user pool's issuer URL, the tokens' `iss` (authorizer). */
  tokenIssuer: 'TOKEN_ISSUER',
  /** Where the issuer's signing keys are, refetched for an unknown `kid` (authorizer). */
  tokenJwksUri: 'TOKEN_JWKS_URI',
  /** App client ids whose access tokens are accepted, comma-separated (authorizer). */
  tokenClientIds: 'TOKEN_CLIENT_IDS',
  /**
   * The issuer's JWKS as JSON, when known at deployment (authorizer; optional): the first
   * token is then verified without fetching it.
   */
  tokenJwks: 'TOKEN_JWKS',
} as const;

/**
 * The AWS Parameters and Secrets Lambda Extension, as the API uses it: an
 * AWS-managed layer serving Secrets Manager values, cached, on a loopback HTTP port inside
 * the execution environment. A read is a plain local GET (no SDK client, no signing), so
 * reading the cursor signing key (API) does not load the Secrets Manager client. The stack adds the layer; the local cloud emulates its endpoint.
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
  /**
   * WARN, not the default INFO: what an operator needs from the extension is its failures,
   * which still reach the function's log group; its routine INFO lines would only add
   * ingestion on the path of every API request.
   */
  logLevel: 'warn',
  /** Entries the extension caches (its default: the functions read one secret each). */
  cacheSize: 1000,
  /** Connections the extension keeps to Secrets Manager (its default). */
  maxConnections: 3,
} as const;

/**
 * The extension's own configuration, as the variables the layer reads. The stack's CDK
 * construct writes the same variables from the same settings (a test compares them).
 */
function secretsExtensionEnvironment(): Record<string, string> {
  return {
    PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
    PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE: String(SECRETS_EXTENSION.cacheSize),
    [SECRETS_EXTENSION.portEnv]: String(SECRETS_EXTENSION.port),
    PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: SECRETS_EXTENSION.logLevel,
    PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS: String(SECRETS_EXTENSION.maxConnections),
    // 0: the extension's default request timeout for each service.
    SECRETS_MANAGER_TIMEOUT_MILLIS: '0',
    SECRETS_MANAGER_TTL: String(SECRETS_EXTENSION.ttlSeconds),
    SSM_PARAMETER_STORE_TIMEOUT_MILLIS: '0',
    SSM_PARAMETER_STORE_TTL: String(SECRETS_EXTENSION.ttlSeconds),
  };
}

/** `POWERTOOLS_SERVICE_NAME` of a function, the same in the stack and the local cloud. */
export const serviceName = (fn: FunctionName): string => `tap-${fn}`;

/**
 * What a function's environment points at. The local cloud passes the physical names; the
 * stack passes CloudFormation tokens of the same resources (a `Ref` keeps the deployment
 * order and, for a secret, yields its ARN, which Secrets Manager accepts as an id too).
 */
export interface FunctionResourceRefs {
  readonly table: string;
  readonly keyTable: string;
  readonly fileTable: string;
  readonly idempotencyTable: string;
  readonly bucket: string;
  readonly cursorKeySecret: string;
}

/** Who issues the user tokens the authorizer accepts. */
export interface TokenIssuerSettings {
  /** The issuer URL (`userPoolIssuerUrl(...)`, or the local cloud's issuer). */
  readonly issuer: string;
  /** The app clients whose access tokens are accepted. */
  readonly clientIds: readonly string[];
  /** The issuer's JWKS as JSON, when known before the first request. */
  readonly jwks?: string;
}

/** Options of {@link deployedFunctions}. */
export interface DeployedFunctionsOptions {
  /** The environment's physical names (`resourceNames`). */
  readonly names: ResourceNames;
  /** References replacing the physical names in the environment (the stack's tokens). */
  readonly refs?: FunctionResourceRefs;
  /** The user token issuer (the stack's user pool, or the local cloud's issuer). */
  readonly tokens: TokenIssuerSettings;
  /** Largest upload the API presigns, in bytes; default {@link DEFAULT_MAX_UPLOAD_BYTES}. */
  readonly maxUploadBytes?: number;
  /** Caps of an item's files; default the contract's (`x-tap-max-files-per-item`, ...). */
  readonly fileQuotas?: Partial<FileQuotas>;
}

/** How much an item may hold: files, and bytes of all its files (granted uploads count). */
export interface FileQuotas {
  readonly maxFilesPerItem: number;
  readonly maxBytesPerItem: number;
}

/** The contract's caps, which a stack may lower but never raise. */
export const DEFAULT_FILE_QUOTAS: FileQuotas = {
  maxFilesPerItem,
  maxBytesPerItem,
};

/**
 * Checks caps a stack or the local cloud was given against the contract's.
 *
 * @throws Error naming the cap that is not a positive integer or is above the contract's.
 */
export function resolveFileQuotas(quotas: Partial<FileQuotas> = {}): FileQuotas {
  const resolved = { ...DEFAULT_FILE_QUOTAS, ...quotas };
  for (const key of ['maxFilesPerItem', 'maxBytesPerItem'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value <= 0 || value > DEFAULT_FILE_QUOTAS[key]) {
      throw new Error(
        `${key} must be a positive integer of at most ${DEFAULT_FILE_QUOTAS[key]} (the contract's), got ${String(value)}`,
      );
    }
  }
  return resolved;
}

/** Bucket events a function is notified of. */
export interface BucketEventSubscription {
  /** S3 event names (`s3:ObjectCreated:*`). */
  readonly events: readonly string[];
  /** Only objects whose key starts with it. */
  readonly prefix: string;
}

/** One deployed function, complete: everything the stack and the local cloud need of it. */
export interface DeployedFunction {
  readonly name: FunctionName;
  /** The function's physical name (`resourceNames(...).functions[name]`). */
  readonly physicalName: string;
  /** Shown in the Lambda console. */
  readonly description: string;
  /** Folder of the built bundle (`index.mjs` exporting `handler`), from the workspace root. */
  readonly bundleDir: string;
  /** `<file>.<export>` of the bundle Lambda calls. */
  readonly handler: 'index.handler';
  readonly runtime: typeof LAMBDA_RUNTIME;
  readonly architecture: typeof LAMBDA_ARCHITECTURE;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** `POWERTOOLS_SERVICE_NAME`: how its logs, traces and metrics name it. */
  readonly serviceName: string;
  /**
   * Whether it reads secrets through the Parameters and Secrets extension
   * ({@link SECRETS_EXTENSION}): the stack gives it the layer, the local cloud the
   * emulated endpoint.
   */
  readonly secretsExtension: boolean;
  /** Every variable it is deployed with (Lambda's own, such as `AWS_REGION`, excepted). */
  readonly environment: Readonly<Record<string, string>>;
  /** The routes it serves (`x-tap-handler`). */
  readonly routes: readonly Route[];
  /** The routes it authorizes (the authorizer: every route with a security requirement). */
  readonly authorizes: readonly Route[];
  /** The bucket's events it is invoked for (asynchronously, retried twice), if any. */
  readonly bucketEvents: BucketEventSubscription | undefined;
}

/** What differs from function to function, before names and references are known. */
interface FunctionDefinition {
  readonly description: string;
  readonly bundleDir: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly secretsExtension: boolean;
  readonly bucketEvents?: BucketEventSubscription;
  /** The function's own variables, from its resources. */
  readonly variables: (
    refs: FunctionResourceRefs,
    settings: { readonly maxUploadBytes: number; readonly fileQuotas: FileQuotas },
    tokens: TokenIssuerSettings,
  ) => Record<string, string>;
}

const DEFINITIONS: Readonly<Record<FunctionName, FunctionDefinition>> = {
  health: {
    description: 'GET /health: checks the table and the bucket',
    bundleDir: 'dist/apps/health-handler/health',
    timeoutSeconds: 10,
    memoryMb: 256,
    secretsExtension: false,
    variables: (refs) => ({
      [FUNCTION_ENV.tableName]: refs.table,
      [FUNCTION_ENV.bucketName]: refs.bucket,
      [FUNCTION_ENV.healthCheckTimeoutMs]: String(HEALTH_CHECK_TIMEOUT_MS),
    }),
  },
  // The cursor signing key (lists) through the extension: a container's first list does not
  // load the Secrets Manager client.
  api: {
    description: '/api routes: items and their files',
    bundleDir: 'dist/apps/api-handlers/api',
    timeoutSeconds: 30,
    memoryMb: 512,
    secretsExtension: true,
    variables: (refs, { maxUploadBytes, fileQuotas }) => ({
      [FUNCTION_ENV.tableName]: refs.table,
      [FUNCTION_ENV.fileTableName]: refs.fileTable,
      [FUNCTION_ENV.idempotencyTableName]: refs.idempotencyTable,
      [FUNCTION_ENV.bucketName]: refs.bucket,
      [FUNCTION_ENV.cursorKeySecretId]: refs.cursorKeySecret,
      [FUNCTION_ENV.maxUploadBytes]: String(maxUploadBytes),
      [FUNCTION_ENV.maxFilesPerItem]: String(fileQuotas.maxFilesPerItem),
      [FUNCTION_ENV.maxBytesPerItem]: String(fileQuotas.maxBytesPerItem),
    }),
  },
  // A user's token is verified in memory against the issuer's keys; a machine key is one
  // GetItem on the key table (cached for seconds). No secret is read.
  authorizer: {
    description: 'Authenticates /api requests: a user access token or a machine key',
    bundleDir: 'dist/apps/api-handlers/authorizer',
    timeoutSeconds: 10,
    memoryMb: 256,
    secretsExtension: false,
    variables: (refs, _settings, tokens) => ({
      [FUNCTION_ENV.keyTableName]: refs.keyTable,
      [FUNCTION_ENV.tokenIssuer]: tokens.issuer,
      [FUNCTION_ENV.tokenJwksUri]: jwksUriOf(tokens.issuer),
      [FUNCTION_ENV.tokenClientIds]: tokens.clientIds.join(','),
      ...(tokens.jwks === undefined ? {} : { [FUNCTION_ENV.tokenJwks]: tokens.jwks }),
    }),
  },
  // Confirms an upload against its grant (size, type), deletes a mismatch or an object
  // nobody granted, and releases a rejected file's share of the item's caps.
  files: {
    description: 'Confirms uploads: checks each new object against its grant',
    bundleDir: 'dist/apps/api-handlers/files',
    timeoutSeconds: 30,
    memoryMb: 256,
    secretsExtension: false,
    bucketEvents: { events: ['s3:ObjectCreated:*'], prefix: FILES_PREFIX },
    variables: (refs) => ({
      [FUNCTION_ENV.tableName]: refs.table,
      [FUNCTION_ENV.fileTableName]: refs.fileTable,
      [FUNCTION_ENV.bucketName]: refs.bucket,
    }),
  },
};

/** Every function's bundle folder, limits and layer: what is known before any environment. */
export const FUNCTIONS: Readonly<
  Record<FunctionName, Omit<FunctionDefinition, 'variables' | 'description'>>
> = /* @__PURE__ */ Object.fromEntries(
  FUNCTION_NAMES.map((name) => {
    const { bundleDir, memoryMb, timeoutSeconds, secretsExtension } = DEFINITIONS[name];
    return [name, { bundleDir, memoryMb, timeoutSeconds, secretsExtension }];
  }),
) as Record<FunctionName, Omit<FunctionDefinition, 'variables' | 'description'>>;

/**
 * Every function of one environment, complete. The stack passes its tokens as `refs`; the
 * local cloud passes nothing, so the environment holds the physical names.
 */
export function deployedFunctions(
  options: DeployedFunctionsOptions,
): Readonly<Record<FunctionName, DeployedFunction>> {
  const { names } = options;
  const refs: FunctionResourceRefs = options.refs ?? {
    table: names.table,
    keyTable: names.keyTable,
    fileTable: names.fileTable,
    idempotencyTable: names.idempotencyTable,
    bucket: names.bucket,
    cursorKeySecret: names.cursorKeySecret,
  };
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const fileQuotas = resolveFileQuotas(options.fileQuotas);
  const model = (name: FunctionName): DeployedFunction => {
    const definition = DEFINITIONS[name];
    return {
      name,
      physicalName: names.functions[name],
      description: definition.description,
      bundleDir: definition.bundleDir,
      handler: 'index.handler',
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memoryMb: definition.memoryMb,
      timeoutSeconds: definition.timeoutSeconds,
      serviceName: serviceName(name),
      secretsExtension: definition.secretsExtension,
      // No `NODE_OPTIONS=--enable-source-maps`: Node would read and parse every loaded
      // bundle's map at load, which costs each cold start 6 to 20 ms (bench/RESULTS.md, the
      // source maps table). The maps ship beside the bundles: an operator resolves a stack
      // trace from them, or sets the option on one function while debugging.
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName(name),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...definition.variables(refs, { maxUploadBytes, fileQuotas }, options.tokens),
        ...(definition.secretsExtension ? secretsExtensionEnvironment() : {}),
      },
      routes: routeTable.filter((route) => route.handler === name),
      authorizes:
        name === 'authorizer' ? routeTable.filter((route) => route.requiresAuthorization) : [],
      bucketEvents: definition.bucketEvents,
    };
  };
  return Object.fromEntries(FUNCTION_NAMES.map((name) => [name, model(name)])) as Record<
    FunctionName,
    DeployedFunction
  >;
}
