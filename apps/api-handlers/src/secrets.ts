/**
 * Reading JSON secrets through Powertools Parameters, which caches each value in memory
 * for `maxAge` seconds so a warm container does not call Secrets Manager per request.
 *
 * Powertools and the Secrets Manager client are imported on first use: the API only needs
 * a secret for `GET /api/items` with a cursor or a next page, and other routes should not
 * pay for loading them at cold start.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { createHttpHandler, MAX_ATTEMPTS } from './aws/http-handler';

/** Port: reads a secret whose string is JSON. Tests inject their own. */
export interface JsonSecretReader {
  /**
   * @returns the parsed JSON value, or `undefined` when the secret has no value.
   * @throws whatever the store throws; callers classify it.
   */
  readJson(secretId: string): Promise<unknown>;
}

/** Options of {@link createPowertoolsSecretReader}. */
export interface PowertoolsSecretReaderOptions {
  /** How long a value is served from memory before it is fetched again, in seconds. */
  readonly maxAgeSeconds: number;
}

/** A {@link JsonSecretReader} backed by Powertools' `SecretsProvider` and a fail-fast client. */
export function createPowertoolsSecretReader(
  options: PowertoolsSecretReaderOptions,
): JsonSecretReader {
  let provider: Promise<SecretsProvider> | undefined;

  const loadProvider = async (): Promise<SecretsProvider> => {
    const [{ SecretsProvider: Provider }, { SecretsManagerClient: Client }] = await Promise.all([
      import('@aws-lambda-powertools/parameters/secrets'),
      import('@aws-sdk/client-secrets-manager'),
    ]);
    const client: SecretsManagerClient = new Client({
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: createHttpHandler(),
    });
    return new Provider({ awsSdkV3Client: client });
  };

  // Powertools caches values, not fetches in progress: calls that miss the cache together
  // would each call Secrets Manager. Share the one in flight instead.
  const inFlight = new Map<string, Promise<unknown>>();

  const read = async (secretId: string): Promise<unknown> => {
    provider ??= loadProvider().catch((error: unknown) => {
      // Do not remember a failed load: the next request tries again.
      provider = undefined;
      throw error;
    });
    return (await provider).get(secretId, { maxAge: options.maxAgeSeconds, transform: 'json' });
  };

  return {
    readJson(secretId) {
      let pending = inFlight.get(secretId);
      if (!pending) {
        pending = read(secretId).finally(() => inFlight.delete(secretId));
        inFlight.set(secretId, pending);
      }
      return pending;
    },
  };
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
): Promise<string> {
  const value = await reader.readJson(secretId);
  const fieldValue =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)[field]
      : undefined;
  if (typeof fieldValue !== 'string' || fieldValue.length === 0) {
    throw new SecretShapeError(secretId, field);
  }
  return fieldValue;
}
