/**
 * SDK settings experiment on the API's GetItem, plain client: `DynamoDBClient` and
 * `GetItemCommand` with the key built by hand (no `lib-dynamodb`, no marshalling code in
 * the bundle), the API function's fail-fast HTTP handler and attempts, plus only the
 * environment settings `TAP_BENCH_SDK_SETTINGS` names (./sdk-settings.ts). The item is
 * returned as DynamoDB sends it: converting one small item costs microseconds, loading a
 * converter is part of what this variant leaves out.
 */
import { tenantOf, type GetItemEvent } from './get-item-event';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';
import { chosenSettings } from './sdk-settings';

const client = new DynamoDBClient({
  ...chosenSettings('DYNAMODB'),
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: createHttpHandler(),
});

export const handler = async (event: GetItemEvent) => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: process.env['TABLE_NAME'],
      Key: { tenant: { S: tenantOf(event) }, id: { S: event.pathParameters?.id ?? '' } },
      ConsistentRead: false,
    }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
