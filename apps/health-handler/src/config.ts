import { FUNCTION_ENV, HEALTH_CHECK_TIMEOUT_MS } from '@tap/contracts';

/** What the health function needs to know, read once at cold start. */
export interface HealthConfig {
  readonly tableName: string;
  readonly bucketName: string;
  /** Budget of each dependency check, in milliseconds. */
  readonly checkTimeoutMs: number;
  /** Address S3 path-style (the local S3 emulator needs it). */
  readonly s3ForcePathStyle: boolean;
}

/** Default per-dependency budget: well inside the function's 10 s timeout. */
export const DEFAULT_CHECK_TIMEOUT_MS = HEALTH_CHECK_TIMEOUT_MS;

/**
 * Reads and validates the health function's configuration.
 *
 * @throws Error listing every missing or invalid variable, so a misconfigured
 * deployment fails its first invocation with a message that says what to fix.
 */
export function readHealthConfig(env: NodeJS.ProcessEnv = process.env): HealthConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const tableName = required(FUNCTION_ENV.tableName);
  const bucketName = required(FUNCTION_ENV.bucketName);

  let checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS;
  const rawTimeout = env[FUNCTION_ENV.healthCheckTimeoutMs]?.trim();
  if (rawTimeout) {
    checkTimeoutMs = Number(rawTimeout);
    if (!Number.isInteger(checkTimeoutMs) || checkTimeoutMs < 50 || checkTimeoutMs > 8000) {
      problems.push(
        `${FUNCTION_ENV.healthCheckTimeoutMs} must be an integer from 50 to 8000 (ms), got ${JSON.stringify(rawTimeout)}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid health function configuration: ${problems.join('; ')}`);
  }
  return {
    tableName,
    bucketName,
    checkTimeoutMs,
    s3ForcePathStyle: env[FUNCTION_ENV.s3ForcePathStyle] === 'true',
  };
}
