/**
 * The port through which the core reads secrets, and what every reader shares: staging
 * labels, reading one string field, telling a missing version apart. Adapters implement it
 * (Powertools Parameters, the Parameters and Secrets extension); tests inject their own.
 */
/** The staging label readers get unless they ask for another. */
export const AWSCURRENT = 'AWSCURRENT';
/** The label Secrets Manager moves to the former current version when AWSCURRENT moves. */
export const AWSPREVIOUS = 'AWSPREVIOUS';

/** How to read a secret. */
export interface SecretReadOptions {
  /** Staging label of the version to read; default {@link AWSCURRENT}. */
  readonly versionStage?: string;
  /** Skip the cache and fetch now (the fetched value replaces the cached one). */
  readonly forceFetch?: boolean;
}

/** Port: reads a secret whose string is JSON. Tests inject their own. */
export interface JsonSecretReader {
  /**
   * @returns the parsed JSON value, or `undefined` when the secret has no value.
   * @throws whatever the store throws; callers classify it (see {@link isSecretVersionMissing}).
   */
  readJson(secretId: string, options?: SecretReadOptions): Promise<unknown>;
}

/**
 * Whether a read failed because the secret has no version with the requested label (or
 * no such secret): Secrets Manager's `ResourceNotFoundException`, also when wrapped (as
 * Powertools' `GetParameterError` wraps it, in `cause`). Reading AWSPREVIOUS of a secret
 * that was never rotated fails this way, and that is normal.
 */
export function isSecretVersionMissing(error: unknown): boolean {
  let current: unknown = error;
  // Bounded: a cause chain can in principle be cyclic.
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if ((current as { name?: unknown }).name === 'ResourceNotFoundException') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The secret was read but does not hold the expected field; a deployment error, not a transient one. */
export class SecretShapeError extends Error {
  constructor(secretId: string, field: string) {
    super(`Secret ${secretId} does not hold a non-empty string "${field}"`);
    this.name = 'SecretShapeError';
  }
}

/**
 * Reads one non-empty string field of a JSON secret.
 *
 * @throws SecretShapeError when the field is missing, empty or not a string.
 */
export async function readSecretField(
  reader: JsonSecretReader,
  secretId: string,
  field: string,
  options?: SecretReadOptions,
): Promise<string> {
  const value = await reader.readJson(secretId, options);
  const fieldValue =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)[field]
      : undefined;
  if (typeof fieldValue !== 'string' || fieldValue.length === 0) {
    throw new SecretShapeError(secretId, field);
  }
  return fieldValue;
}
