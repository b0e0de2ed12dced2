/**
 * Function configuration, read from the environment once at cold start. A bad deployment
 * fails the init phase with one message naming every missing or invalid variable, instead
 * of failing some requests later.
 */
import {
  DEFAULT_FILE_QUOTAS,
  DEFAULT_MAX_UPLOAD_BYTES,
  FUNCTION_ENV,
  MAX_UPLOAD_BYTES_LIMIT,
  SECRETS_EXTENSION,
  type FileQuotas,
} from '@tap/contracts';
import { readConfig, type Env, type EnvReader } from '@tap/lambda-runtime';

/** How a function reaches the Parameters and Secrets extension (api, authorizer). */
export interface SecretsExtensionConfig {
  /** Port of the extension (its default when unset). */
  readonly secretsExtensionPort: number;
  /** The function's session token, which the extension asks for; empty when absent. */
  readonly sessionToken: string;
}

/** Settings of the `api` function. */
export interface ApiConfig extends SecretsExtensionConfig {
  readonly tableName: string;
  /** The idempotency record table (`IDEMPOTENCY_TABLE_SCHEMA`). */
  readonly idempotencyTableName: string;
  /** The file record table (`FILE_TABLE_SCHEMA`). */
  readonly fileTableName: string;
  readonly bucketName: string;
  readonly cursorKeySecretId: string;
  /** Largest upload a presigned URL is issued for, in bytes. */
  readonly maxUploadBytes: number;
  /** How much an item may hold; at most the contract's caps. */
  readonly fileQuotas: FileQuotas;
  /** Address S3 path-style (needed by local S3 emulators). */
  readonly s3ForcePathStyle: boolean;
}

/** Settings of the `files` function. */
export interface FilesConfig {
  readonly tableName: string;
  readonly fileTableName: string;
  readonly bucketName: string;
  /** Address S3 path-style (needed by local S3 emulators). */
  readonly s3ForcePathStyle: boolean;
}

/** Settings of the `authorizer` function. */
export interface AuthorizerConfig {
  readonly keyTableName: string;
  /** The user tokens' `iss`. */
  readonly tokenIssuer: string;
  readonly tokenJwksUri: string;
  /** App clients whose access tokens are accepted. */
  readonly tokenClientIds: readonly string[];
  /** The issuer's JWKS when deployed with it (`{"keys": [...]}`). */
  readonly tokenJwks: { readonly keys: readonly Record<string, unknown>[] } | undefined;
}

/** The extension's port and the session token Lambda sets. */
function secretsExtensionConfig(reader: EnvReader): SecretsExtensionConfig {
  return {
    secretsExtensionPort: reader.integer(SECRETS_EXTENSION.portEnv, {
      fallback: SECRETS_EXTENSION.port,
      max: 65535,
    }),
    // Lambda always sets it; without one the extension refuses and the SDK answers instead.
    sessionToken: reader.optional('AWS_SESSION_TOKEN') ?? '',
  };
}

/**
 * Reads and validates the `api` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadApiConfig(env: Env): ApiConfig {
  return readConfig('api', env, (reader) => ({
    tableName: reader.required(FUNCTION_ENV.tableName),
    idempotencyTableName: reader.required(FUNCTION_ENV.idempotencyTableName),
    fileTableName: reader.required(FUNCTION_ENV.fileTableName),
    bucketName: reader.required(FUNCTION_ENV.bucketName),
    cursorKeySecretId: reader.required(FUNCTION_ENV.cursorKeySecretId),
    maxUploadBytes: reader.integer(FUNCTION_ENV.maxUploadBytes, {
      fallback: DEFAULT_MAX_UPLOAD_BYTES,
      // The contract's own ceiling for `contentLength`: a larger limit could never be used.
      max: MAX_UPLOAD_BYTES_LIMIT,
    }),
    // A stack may lower the contract's caps, never raise them.
    fileQuotas: {
      maxFilesPerItem: reader.integer(FUNCTION_ENV.maxFilesPerItem, {
        fallback: DEFAULT_FILE_QUOTAS.maxFilesPerItem,
        max: DEFAULT_FILE_QUOTAS.maxFilesPerItem,
      }),
      maxBytesPerItem: reader.integer(FUNCTION_ENV.maxBytesPerItem, {
        fallback: DEFAULT_FILE_QUOTAS.maxBytesPerItem,
        max: DEFAULT_FILE_QUOTAS.maxBytesPerItem,
      }),
    },
    s3ForcePathStyle: reader.flag(FUNCTION_ENV.s3ForcePathStyle),
    ...secretsExtensionConfig(reader),
  }));
}

/**
 * Reads and validates the `files` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadFilesConfig(env: Env): FilesConfig {
  return readConfig('files', env, (reader) => ({
    tableName: reader.required(FUNCTION_ENV.tableName),
    fileTableName: reader.required(FUNCTION_ENV.fileTableName),
    bucketName: reader.required(FUNCTION_ENV.bucketName),
    s3ForcePathStyle: reader.flag(FUNCTION_ENV.s3ForcePathStyle),
  }));
}

/**
 * Reads and validates the `authorizer` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadAuthorizerConfig(env: Env): AuthorizerConfig {
  return readConfig('authorizer', env, (reader) => {
    const keyTableName = reader.required(FUNCTION_ENV.keyTableName);
    const tokenIssuer = reader.url(FUNCTION_ENV.tokenIssuer);
    const tokenJwksUri = reader.url(FUNCTION_ENV.tokenJwksUri);
    const listed = reader.required(FUNCTION_ENV.tokenClientIds);
    const clientIds = listed
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    if (listed !== '' && clientIds.length === 0) {
      reader.invalid(FUNCTION_ENV.tokenClientIds, 'names no app client');
    }
    const jwks = reader.optional(FUNCTION_ENV.tokenJwks);
    return {
      keyTableName,
      tokenIssuer,
      tokenJwksUri,
      tokenClientIds: clientIds,
      tokenJwks: jwks === undefined ? undefined : parseJwks(reader, jwks),
    };
  });
}

/** A JWKS document, or an invalid-variable report. */
function parseJwks(
  reader: EnvReader,
  value: string,
): { readonly keys: readonly Record<string, unknown>[] } | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    const keys = (parsed as { keys?: unknown }).keys;
    if (Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key !== null)) {
      return { keys: keys as Record<string, unknown>[] };
    }
  } catch {
    // Reported below.
  }
  reader.invalid(FUNCTION_ENV.tokenJwks, 'is not a JWKS document ({"keys": [...]})');
  return undefined;
}
