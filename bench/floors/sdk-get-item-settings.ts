/**
 * SDK settings experiment on the API's GetItem, document client: the API function's
 * fail-fast HTTP handler and attempts, the same translation, plus only the environment
 * settings `TAP_BENCH_SDK_SETTINGS` names (./sdk-settings.ts).
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
  }),
  DOCUMENT_TRANSLATION,
);

export const handler = documentGetItemHandler(client);
