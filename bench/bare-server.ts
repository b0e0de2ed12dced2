/**
 * The baseline of the request benchmarks: a minimal Node `http` server that does only the
 * SDK call behind `GET /api/items/{id}` (DynamoDBDocumentClient GetItem, same emulator, same
 * table) and returns the item as JSON. No gateway, no authorizer, no validation, no logging.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { TAP_REGION } from '@tap/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fixture } from './fixture';

/** A running bare server. */
export interface BareServer {
  /** `http://127.0.0.1:<port>`; it answers `GET /api/items/{id}`. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export async function startBareServer(fixture: Fixture): Promise<BareServer> {
  const env = fixture.functionEnv('api');
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: TAP_REGION,
      endpoint: env['AWS_ENDPOINT_URL_DYNAMODB'],
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  const tableName = fixture.cloud.names.table;
  const server = createServer((request, response) => {
    const id = decodeURIComponent((request.url ?? '').split('?')[0]?.split('/').pop() ?? '');
    client
      .send(new GetCommand({ TableName: tableName, Key: { id } }))
      .then(({ Item }) => {
        response
          .writeHead(Item ? 200 : 404, { 'content-type': 'application/json' })
          .end(JSON.stringify(Item ?? { message: 'Not Found' }));
      })
      .catch((error: unknown) => {
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: String(error) }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.destroy();
    },
  };
}
