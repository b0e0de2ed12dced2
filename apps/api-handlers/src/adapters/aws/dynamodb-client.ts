/**
 * The DynamoDB client of the API function, built once per container by its composition root
 * with the fail-fast settings of `@tap/lambda-runtime`. The endpoint comes only from the SDK's
 * standard variable (`AWS_ENDPOINT_URL_DYNAMODB`), so the local cloud needs no code path of
 * its own.
 *
 * S3 lives in ./s3-client.ts on purpose: this module is on every request's path, and must
 * not pull `@aws-sdk/client-s3` into the bundle's entry file.
 *
 * The cold start benchmark's API floor (`bench/floors`) builds its client with
 * {@link createDocumentClient}, so that it always measures this function's settings.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';

/** How the document client converts items; `undefined` fields (an absent description) are simply not written. */
export const DOCUMENT_TRANSLATION: TranslateConfig = {
  // convertClassInstanceToMap: attributes parsed from JSON are plain objects, but one
  // holding a key such as `constructor` fails the SDK's plain-object check without it.
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
};

/** DynamoDB document client with TAP's fail-fast settings. */
export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: createHttpHandler(),
  });
  return DynamoDBDocumentClient.from(client, DOCUMENT_TRANSLATION);
}
