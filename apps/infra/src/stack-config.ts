import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_LIMIT, resourceNames } from '@tap/contracts';

/** CDK context key of the environment suffix (`-c environmentSuffix=alice`). */
export const ENVIRONMENT_SUFFIX_CONTEXT_KEY = 'environmentSuffix';

/** Environment variable naming the environment suffix. */
export const ENVIRONMENT_SUFFIX_ENV_VAR = 'ENVIRONMENT_SUFFIX';

/**
 * S3 refuses single PUT uploads (what a presigned URL allows) above 5 GiB: the contract's
 * ceiling for `contentLength`, so no stack may allow more.
 */
export { MAX_UPLOAD_BYTES_LIMIT };

/**
 * Checks the presigned upload limit given to the stack, defaulting to
 * {@link DEFAULT_MAX_UPLOAD_BYTES}.
 *
 * @throws Error unless the value is a positive integer of at most 5 GiB.
 */
export function resolveMaxUploadBytes(value: number = DEFAULT_MAX_UPLOAD_BYTES): number {
  if (!Number.isInteger(value) || value <= 0 || value > MAX_UPLOAD_BYTES_LIMIT) {
    throw new Error(
      `Invalid maxUploadBytes ${value}: it must be a positive integer of at most ` +
        `${MAX_UPLOAD_BYTES_LIMIT} bytes (${MAX_UPLOAD_BYTES_LIMIT / 1024 ** 3} GiB, the largest single S3 upload)`,
    );
  }
  return value;
}

/** Name (and construct id) of the stack of an environment, `TapStack-<suffix>`. */
export function stackName(environmentSuffix: string): string {
  // The stack name does not depend on the account; any placeholder does.
  return resourceNames(environmentSuffix, 'account').stack;
}

/**
 * The `context` of a `cdk.json` (feature flags and TAP's settings). The CLI passes it to
 * the app already; reading it lets tests and the command wrapper see the same values.
 *
 * @returns `{}` when the file does not exist.
 */
export function readCdkJsonContext(cdkJsonPath: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(cdkJsonPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const config = JSON.parse(text) as { context?: Record<string, unknown> };
  return config.context ?? {};
}
