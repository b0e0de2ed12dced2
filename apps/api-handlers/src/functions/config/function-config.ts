/**
 * Function configuration, read from the environment once at cold start. A bad deployment
 * fails the init phase with one message naming every missing or invalid variable, instead
 * of failing some requests later.
 */
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  FUNCTION_ENV,
  openApiDocument,
  SECRETS_EXTENSION,
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
  readonly bucketName: string;
  readonly cursorKeySecretId: string;
  /** Largest upload a presigned URL is issued for, in bytes. */
  readonly maxUploadBytes: number;
  /** Address S3 path-style (needed by local S3 emulators). */
  readonly s3ForcePathStyle: boolean;
}

/** Settings of the `authorizer` function. */
export interface AuthorizerConfig extends SecretsExtensionConfig {
  readonly apiKeySecretId: string;
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
  // The contract's own ceiling for `contentLength`: a larger limit could never be used.
  const contractMax =
    openApiDocument.components.schemas.CreateFileUploadRequest.properties.contentLength.maximum;
  return readConfig('api', env, (reader) => ({
    tableName: reader.required(FUNCTION_ENV.tableName),
    bucketName: reader.required(FUNCTION_ENV.bucketName),
    cursorKeySecretId: reader.required(FUNCTION_ENV.cursorKeySecretId),
    maxUploadBytes: reader.integer(FUNCTION_ENV.maxUploadBytes, {
      fallback: DEFAULT_MAX_UPLOAD_BYTES,
      max: contractMax,
    }),
    s3ForcePathStyle: reader.flag(FUNCTION_ENV.s3ForcePathStyle),
    ...secretsExtensionConfig(reader),
  }));
}

/**
 * Reads and validates the `authorizer` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadAuthorizerConfig(env: Env): AuthorizerConfig {
  return readConfig('authorizer', env, (reader) => ({
    apiKeySecretId: reader.required(FUNCTION_ENV.apiKeySecretId),
    ...secretsExtensionConfig(reader),
  }));
}
