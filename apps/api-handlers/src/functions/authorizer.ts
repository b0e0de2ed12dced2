/**
 * Composition root of the authorizer function, built once per container.
 *
 * The current API key is read through the AWS Parameters and Secrets Lambda Extension (a
 * local GET, cached by the extension and here): no SDK client is loaded on a cold start
 * with the right key. The previous key, forced refetches after a mismatch, and any read the
 * extension fails go to Secrets Manager through the SDK (Powertools Parameters), whose
 * client is imported on the first such read.
 */
import { SECRETS_EXTENSION, serviceName } from '@tap/contracts';
import { createAuthorizer } from '../handlers/authorizer/api-key-authorizer';
import { loadAuthorizerConfig } from './config/function-config';
import { createLazyLogger, createMetrics, createTracing } from '@tap/lambda-runtime';
import { createPowertoolsSecretReader } from '../adapters/secrets/powertools-secret-reader';
import {
  createLayeredSecretReader,
  createSecretsExtensionReader,
} from '../adapters/secrets/secrets-extension-reader';

/**
 * How long the keys are served from memory before they are read again, in seconds: the
 * extension's own cache time, never less, so a value read after a forced refetch is never
 * replaced by an older one the extension still holds.
 */
const API_KEY_MAX_AGE_SECONDS = SECRETS_EXTENSION.ttlSeconds;

const config = loadAuthorizerConfig(process.env);
const service = serviceName('authorizer');
// Loaded with its first line: the right key writes none (see createAuthorizer).
const logger = createLazyLogger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (HTTP API request authorizer, payload 2.0, simple responses). */
export const handler = createAuthorizer({
  secrets: createLayeredSecretReader({
    fast: createSecretsExtensionReader({
      port: config.secretsExtensionPort,
      sessionToken: config.sessionToken,
      maxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
    }),
    authoritative: createPowertoolsSecretReader({
      maxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
      instrumentClient: (client) => tracing.captureClient(client),
    }),
    maxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
    onFallback: (error) =>
      logger.warn('the secrets extension failed; reading Secrets Manager directly', { error }),
  }),
  apiKeySecretId: config.apiKeySecretId,
  keyMaxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
