import { FUNCTION_ENV, HEALTH_CHECK_TIMEOUT_MS } from '@tap/contracts';
import { readConfig, type Env } from '@tap/lambda-runtime';

/** What the health function needs to know, read once at cold start. */
export interface HealthConfig {
  readonly tableName: string;
  readonly bucketName: string;
  /** Budget of each dependency check, in milliseconds. */
  readonly checkTimeoutMs: number;
  /** Address S3 path-style (the local S3 emulator needs it). */
  readonly s3ForcePathStyle: boolean;
}

/** Bounds of a check's budget: long enough to connect, short of the function's 10 s timeout. */
const CHECK_TIMEOUT_BOUNDS = { min: 50, max: 8000 } as const;

/**
 * Reads and validates the health function's configuration.
 *
 * @throws ConfigError listing every missing or invalid variable, so a misconfigured
 * deployment fails its first invocation with a message that says what to fix.
 */
export function readHealthConfig(env: Env = process.env): HealthConfig {
  return readConfig('health', env, (reader) => ({
    tableName: reader.required(FUNCTION_ENV.tableName),
    bucketName: reader.required(FUNCTION_ENV.bucketName),
    checkTimeoutMs: reader.integer(FUNCTION_ENV.healthCheckTimeoutMs, {
      fallback: HEALTH_CHECK_TIMEOUT_MS,
      ...CHECK_TIMEOUT_BOUNDS,
    }),
    s3ForcePathStyle: reader.flag(FUNCTION_ENV.s3ForcePathStyle),
  }));
}
