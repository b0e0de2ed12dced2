/**
 * Composition root of the authorizer function. The secret reader (Powertools Parameters)
 * is built once per container and caches the expected key, so Secrets Manager is read
 * at most once per `maxAge`, not per request.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createAuthorizer } from '../authorizer/authorizer';
import { loadAuthorizerConfig } from '../config';
import { createPowertoolsSecretReader } from '../secrets';

/** How long the expected key is served from memory before it is read again, in seconds. */
const API_KEY_MAX_AGE_SECONDS = 300;

const config = loadAuthorizerConfig(process.env);

/** The Lambda handler (HTTP API request authorizer, payload 2.0, simple responses). */
export const handler = createAuthorizer({
  secrets: createPowertoolsSecretReader({ maxAgeSeconds: API_KEY_MAX_AGE_SECONDS }),
  apiKeySecretId: config.apiKeySecretId,
  logger: new Logger({ serviceName: 'tap-authorizer' }),
});
