/**
 * The handler every document-client GetItem floor shares: the GetItem behind
 * `GET /api/items/{id}`, through the client the floor built, and nothing else. Not a floor
 * itself (a floor is a file `cold-start.ts` bundles); each floor differs only in its client.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tenantOf, type GetItemEvent } from './get-item-event';

export type { GetItemEvent } from './get-item-event';

/** A Lambda handler answering 200 with the item, or 404. */
export function documentGetItemHandler(
  client: Pick<DynamoDBDocumentClient, 'send'>,
): (event: GetItemEvent) => Promise<{ statusCode: number; body: string }> {
  return async (event) => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: process.env['TABLE_NAME'],
        Key: { tenant: tenantOf(event), id: event.pathParameters?.id },
        ConsistentRead: false,
      }),
    );
    return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
  };
}
