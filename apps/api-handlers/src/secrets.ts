/**
 * Reading JSON secrets through Powertools Parameters, which caches each value in memory
 * for `maxAge` seconds so a warm container does not call Secrets Manager per request.
 *
 * Powertools and the Secrets Manager client are imported on first use: the API only needs
 * a secret for `GET /api/items` with a cursor or a next page, and other routes should not
 * pay for loading them at cold start. (The authorizer reads a secret on every request, so
 * for it this only moves the loading into the first request; measured, a static import
 * there was no faster.)
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

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

/** Options of {@link createPowertoolsSecretReader}. */
export interface PowertoolsSecretReaderOptions {
  /** How long a value is served from memory before it is fetched again, in seconds. */
  readonly maxAgeSeconds: number;
  /** Applied to the Secrets Manager client once it is built (tracing). */
  readonly instrumentClient?: (client: SecretsManagerClient) => void;
}

/** A {@link JsonSecretReader} backed by Powertools' `SecretsProvider` and a fail-fast client. */
export function createPowertoolsSecretReader(
  options: PowertoolsSecretReaderOptions,
): JsonSecretReader {
  let loaded: Promise<(stage: string) => SecretsProvider> | undefined;

  const load = async (): Promise<(stage: string) => SecretsProvider> => {
    // Through ./secrets-modules.ts, not the packages: `import()` of a package keeps every
    // export in the chunk (every Secrets Manager command); this keeps the two classes used.
    const {
      SecretsProvider: Provider,
      SecretsManagerClient: Client,
      createHttpHandler,
      MAX_ATTEMPTS,
    } = await import('./secrets-modules');
    const client: SecretsManagerClient = new Client({
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: createHttpHandler(),
    });
    options.instrumentClient?.(client);
    // One provider per staging label, all on the one client. Powertools 2.35 keys its cache
    // by name and transform only, not by `sdkOptions`: on a shared provider a read of
    // AWSPREVIOUS would be answered with the cached AWSCURRENT value, and the reverse.
    const providers = new Map<string, SecretsProvider>();
    return (stage) => {
      let provider = providers.get(stage);
      if (!provider) {
        provider = new Provider({ awsSdkV3Client: client });
        providers.set(stage, provider);
      }
      return provider;
    };
  };

  // Powertools caches values, not fetches in progress: calls that miss the cache together
  // would each call Secrets Manager. Share the one in flight instead.
  const inFlight = new Map<string, Promise<unknown>>();

  const read = async (secretId: string, stage: string, forceFetch: boolean): Promise<unknown> => {
    loaded ??= load().catch((error: unknown) => {
      // Do not remember a failed load: the next request tries again.
      loaded = undefined;
      throw error;
    });
    const providerFor = await loaded;
    return providerFor(stage).get(secretId, {
      maxAge: options.maxAgeSeconds,
      transform: 'json',
      forceFetch,
      // Only a label other than the default is sent, so plain reads stay plain.
      ...(stage === AWSCURRENT ? {} : { sdkOptions: { VersionStage: stage } }),
    });
  };

  return {
    readJson(secretId, readOptions = {}) {
      const stage = readOptions.versionStage ?? AWSCURRENT;
      const forceFetch = readOptions.forceFetch ?? false;
      // A forced read never joins a cached one in flight: it must reach Secrets Manager.
      const key = JSON.stringify([secretId, stage, forceFetch]);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = read(secretId, stage, forceFetch).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
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
