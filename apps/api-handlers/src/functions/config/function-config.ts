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

type Env = Readonly<Record<string, string | undefined>>;

class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  required(name: string): string {
    const value = this.env[name]?.trim();
    if (!value) {
      this.problems.push(`${name} is missing`);
      return '';
    }
    return value;
  }

  positiveInteger(name: string, fallback: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      this.problems.push(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  flag(name: string): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw || raw === 'false') return false;
    if (raw === 'true') return true;
    this.problems.push(`${name} must be "true" or "false", got ${JSON.stringify(raw)}`);
    return false;
  }

  /** The extension's port and the session token Lambda sets. */
  secretsExtension(): SecretsExtensionConfig {
    return {
      secretsExtensionPort: this.positiveInteger(
        SECRETS_EXTENSION.portEnv,
        SECRETS_EXTENSION.port,
        65535,
      ),
      // Lambda always sets it; without one the extension refuses and the SDK answers instead.
      sessionToken: this.env['AWS_SESSION_TOKEN']?.trim() ?? '',
    };
  }

  done<T>(functionName: string, config: T): T {
    if (this.problems.length > 0) throw new ConfigError(functionName, this.problems);
    return config;
  }
}

/**
 * Reads and validates the `api` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadApiConfig(env: Env): ApiConfig {
  const reader = new EnvReader(env);
  // The contract's own ceiling for `contentLength`: a larger limit could never be used.
  const contractMax =
    openApiDocument.components.schemas.CreateFileUploadRequest.properties.contentLength.maximum;
  const config: ApiConfig = {
    tableName: reader.required(FUNCTION_ENV.tableName),
    bucketName: reader.required(FUNCTION_ENV.bucketName),
    cursorKeySecretId: reader.required(FUNCTION_ENV.cursorKeySecretId),
    maxUploadBytes: reader.positiveInteger(
      FUNCTION_ENV.maxUploadBytes,
      DEFAULT_MAX_UPLOAD_BYTES,
      contractMax,
    ),
    s3ForcePathStyle: reader.flag(FUNCTION_ENV.s3ForcePathStyle),
    ...reader.secretsExtension(),
  };
  return reader.done('api', config);
}

/**
 * Reads and validates the `authorizer` function's environment.
 *
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadAuthorizerConfig(env: Env): AuthorizerConfig {
  const reader = new EnvReader(env);
  const config: AuthorizerConfig = {
    apiKeySecretId: reader.required(FUNCTION_ENV.apiKeySecretId),
    ...reader.secretsExtension(),
  };
  return reader.done('authorizer', config);
}
