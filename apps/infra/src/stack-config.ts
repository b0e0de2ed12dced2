import { CORS_POLICY, DEFAULT_MAX_UPLOAD_BYTES, resourceNames } from '@tap/contracts';

/** CDK context key of the environment suffix (`-c environmentSuffix=alice`). */
export const ENVIRONMENT_SUFFIX_CONTEXT_KEY = 'environmentSuffix';

/** CDK context key of the allowed CORS origins. */
export const CORS_ALLOW_ORIGINS_CONTEXT_KEY = 'corsAllowOrigins';

/** Environment variable naming the environment suffix. */
export const ENVIRONMENT_SUFFIX_ENV_VAR = 'ENVIRONMENT_SUFFIX';

/** S3 refuses single PUT uploads (what a presigned URL allows) above 5 GiB. */
export const MAX_UPLOAD_BYTES_LIMIT = 5 * 1024 ** 3;

/**
 * Picks the allowed CORS origins: stack props, then context `corsAllowOrigins`, then the
 * contract's default. On the command line context values are strings, so a
 * comma-separated list is accepted too.
 *
 * @throws Error when the context value is neither a list of origins nor a string.
 */
export function resolveCorsAllowOrigins(
  fromProps: readonly string[] | undefined,
  fromContext: unknown,
): readonly string[] {
  if (fromProps !== undefined) return checkOrigins(fromProps, 'props corsAllowOrigins');
  if (fromContext === undefined || fromContext === null || fromContext === '') {
    return CORS_POLICY.defaultAllowOrigins;
  }
  if (typeof fromContext === 'string') {
    return checkOrigins(
      fromContext.split(',').map((origin) => origin.trim()),
      'context corsAllowOrigins',
    );
  }
  if (Array.isArray(fromContext) && fromContext.every((origin) => typeof origin === 'string')) {
    return checkOrigins(fromContext as string[], 'context corsAllowOrigins');
  }
  throw new Error(
    `Invalid context corsAllowOrigins ${JSON.stringify(fromContext)}: expected a list of origins`,
  );
}

function checkOrigins(origins: readonly string[], origin: string): readonly string[] {
  if (origins.length === 0 || origins.some((value) => value.length === 0)) {
    throw new Error(`Invalid ${origin} ${JSON.stringify(origins)}: list at least one origin`);
  }
  return origins;
}

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
        `${MAX_UPLOAD_BYTES_LIMIT} bytes (5 GiB, the largest single S3 upload)`,
    );
  }
  return value;
}

/** Name (and construct id) of the stack of an environment, `TapStack-<suffix>`. */
export function stackName(environmentSuffix: string): string {
  // The stack name does not depend on the account; any placeholder does.
  return resourceNames(environmentSuffix, 'account').stack;
}
