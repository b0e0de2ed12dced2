/**
 * Floor of the API's first request: the GetItem behind `GET /api/items/{id}` through the
 * API function's own client factory (`createDocumentClient`: the same SDK settings by
 * construction, whatever they become), and nothing else of ours.
 */
import { createDocumentClient } from '@tap/api-handlers/adapters/aws/dynamodb-client';
import { documentGetItemHandler } from './document-get-item';

const client = createDocumentClient();

export const handler = documentGetItemHandler(client);
