/**
 * Composition root of the authorizer function, built once per container.
 *
 * A user's token is verified in memory: the issuer's JWKS comes with the deployment when
 * known (`TOKEN_JWKS`, as the local cloud gives it), else its fetch starts during init. A
 * machine key is one GetItem on the key table, through the DynamoDB client every function
 * uses, loaded with the first machine key.
 */
import { serviceName } from '@tap/contracts';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createPrincipalAuthorizer } from '../handlers/authorizer/principal-authorizer';
import { loadAuthorizerConfig } from './config/function-config';
import { createLazyLogger, createMetrics, createTracing } from '@tap/lambda-runtime';
import { createLazyMachineKeyStore } from '../adapters/dynamodb/lazy-machine-key-store';
import { createJwtTokenVerifier } from '../adapters/tokens/jwt-token-verifier';

const config = loadAuthorizerConfig(process.env);
const service = serviceName('authorizer');
// Loaded with its first line: an accepted credential writes none.
const logger = createLazyLogger({ serviceName: service });
const tracing = createTracing({ serviceName: service, logger });

/** The Lambda handler (HTTP API request authorizer, payload 2.0, simple responses). */
export const handler = createPrincipalAuthorizer({
  tokens: createJwtTokenVerifier({
    issuer: config.tokenIssuer,
    jwksUri: config.tokenJwksUri,
    clientIds: config.tokenClientIds,
    // Checked to be `{"keys": [...]}` by the config; aws-jwt-verify checks each key on use.
    ...(config.tokenJwks ? { jwks: config.tokenJwks as unknown as Jwks } : { prefetch: true }),
  }),
  // The DynamoDB client is loaded on the first machine key: a token needs no lookup.
  keys: createLazyMachineKeyStore(async () => {
    const { createKeyTableStore } = await import('../adapters/dynamodb/key-table');
    return createKeyTableStore({
      tableName: config.keyTableName,
      instrumentClient: (client) => tracing.captureClient(client),
    });
  }),
  logger,
  metrics: createMetrics({ serviceName: service }),
  tracing,
});
