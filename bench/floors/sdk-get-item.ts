/**
 * Floor of the API's first request: the GetItem behind `GET /api/items/{id}` through the
 * API function's own client factory (`createDocumentClient`: the same SDK settings by
 * construction, whatever they become), and nothing else of ours.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@tap/api-handlers/adapters/aws/dynamodb-client';

const client = createDocumentClient();

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: process.env['TABLE_NAME'],
      Key: { id: event.pathParameters?.id },
      ConsistentRead: false,
    }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
