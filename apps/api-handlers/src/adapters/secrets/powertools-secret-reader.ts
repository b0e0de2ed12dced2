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
import { AWSCURRENT, type JsonSecretReader } from '../../core/secret-reader';
import { translateDependencyFailures } from '../aws/dependency-failure';

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
  return translateDependencyFailures('Secrets Manager', buildPowertoolsSecretReader(options));
}

function buildPowertoolsSecretReader(options: PowertoolsSecretReaderOptions): JsonSecretReader {
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
