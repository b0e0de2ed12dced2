/**
 * Floor of the API's first request: only the SDK call behind `GET /api/items/{id}`
 * (DynamoDBDocumentClient GetItem, default client settings), nothing of ours.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env['TABLE_NAME'], Key: { id: event.pathParameters?.id } }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
