// The bare server: a minimal `node:http` server doing only the SDK call behind
// `GET /api/items/{id}` (DynamoDBDocumentClient GetItem) and returning the item as JSON.
// No gateway, no authorizer, no validation, no logging. Plain ESM, so that run by plain
// `node` as its own process nothing (tsx, a loader) runs in it that a deployed server would
// not run; `bare-server.ts` also starts it inside the benchmark's thread, as a reference.
//
// usage: node bare-server-process.mjs <DynamoDB endpoint> <table> <region> <tenant>
// Prints the port it listens on (127.0.0.1) as one line on stdout; ends on SIGTERM.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * Starts the bare server on 127.0.0.1, on a free port.
 *
 * @param {{ endpoint: string, tableName: string, region: string, tenant: string }} options
 * @returns {Promise<{ port: number, stop: () => Promise<void> }>}
 */
export async function startBareServer({ endpoint, tableName, region, tenant }) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region,
      endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  const server = createServer((request, response) => {
    const id = decodeURIComponent((request.url ?? '').split('?')[0]?.split('/').pop() ?? '');
    client
      .send(new GetCommand({ TableName: tableName, Key: { tenant, id } }))
      .then(({ Item }) => {
        response
          .writeHead(Item ? 200 : 404, { 'content-type': 'application/json' })
          .end(JSON.stringify(Item ?? { message: 'Not Found' }));
      })
      .catch((error) => {
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: String(error) }));
      });
  });
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port to report');
  return {
    port: address.port,
    stop: async () => {
      server.closeAllConnections();
      await /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve())));
      client.destroy();
    },
  };
}

// Run as a script (not imported): start, print the port, stop on SIGTERM. No top-level
// await, so that tsx can also load this file into the benchmark's CommonJS context.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [endpoint, tableName, region, tenant] = process.argv.slice(2);
  if (!endpoint || !tableName || !region || !tenant) {
    console.error('usage: bare-server-process.mjs <DynamoDB endpoint> <table> <region> <tenant>');
    process.exit(2);
  }
  void startBareServer({ endpoint, tableName, region, tenant }).then((bare) => {
    process.stdout.write(`${bare.port}\n`);
    process.on('SIGTERM', () => {
      void bare.stop().then(() => process.exit(0));
    });
  });
}
