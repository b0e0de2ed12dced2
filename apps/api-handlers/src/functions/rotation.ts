/**
 * Composition root of the rotation function, which Secrets Manager invokes to rotate the
 * API key secret. It needs no configuration of its own: the secret comes in each event.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from '@tap/contracts';
import { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';
import { createMetrics, createTracing } from '@tap/lambda-runtime';
import { createKeyRotation } from '../handlers/rotation/key-rotation';

const service = serviceName('rotation');
const logger = new Logger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (Secrets Manager rotation: `{ Step, SecretId, ClientRequestToken }`). */
export const handler = createKeyRotation({
  client: tracing.captureClient(
    new SecretsManagerClient({ maxAttempts: MAX_ATTEMPTS, requestHandler: createHttpHandler() }),
  ),
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
