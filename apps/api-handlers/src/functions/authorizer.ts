/**
 * Composition root of the authorizer function. The secret reader (Powertools Parameters)
 * is built once per container and caches both keys, so Secrets Manager is read at most
 * once per `maxAge` (plus a rate-limited refetch after a rotation), not per request.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from '@tap/contracts';
import { createAuthorizer } from '../authorizer/authorizer';
import { loadAuthorizerConfig } from '../config';
import { createMetrics, createTracing } from '@tap/lambda-observability';
import { createPowertoolsSecretReader } from '../secrets';

/** How long the keys are served from memory before they are read again, in seconds. */
const API_KEY_MAX_AGE_SECONDS = 300;

const config = loadAuthorizerConfig(process.env);
const service = serviceName('authorizer');
const logger = new Logger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (HTTP API request authorizer, payload 2.0, simple responses). */
export const handler = createAuthorizer({
  secrets: createPowertoolsSecretReader({
    maxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
    instrumentClient: (client) => tracing.captureClient(client),
  }),
  apiKeySecretId: config.apiKeySecretId,
  keyMaxAgeSeconds: API_KEY_MAX_AGE_SECONDS,
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
