/**
 * SDK settings experiment on the API's GetItem: as ./sdk-get-item-settings.ts with all
 * three environment settings, and besides them every setting that DynamoDBClient (SDK
 * 3.1169) would otherwise look up in the shared config files (`~/.aws/config`,
 * `~/.aws/credentials`), set to the SDK's own default. It shows what reading those files
 * at first call costs: no other combination of settings stops the read, since the first
 * setting the client resolves from them makes it read both files.
 *
 * The values are the SDK's defaults with no variable set; a client built this way ignores
 * the variables that would change them (`AWS_USE_FIPS_ENDPOINT`, `AWS_RETRY_MODE`, …).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOCUMENT_TRANSLATION } from '@tap/api-handlers/adapters/aws/dynamodb-client';
import { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';
import { chosenSettings } from './sdk-settings';
import { documentGetItemHandler } from './document-get-item';

const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    ...chosenSettings('DYNAMODB'),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: createHttpHandler(),
    defaultsMode: 'legacy',
    retryMode: 'standard',
    accountIdEndpointMode: 'preferred',
    authSchemePreference: [],
    endpointDiscoveryEnabled: false,
    useDualstackEndpoint: false,
    useFipsEndpoint: false,
    userAgentAppId: async () => undefined,
    disableClockSkewCorrection: false,
  }),
  DOCUMENT_TRANSLATION,
);

export const handler = documentGetItemHandler(client);
