// The bare server as its own process: a minimal `node:http` server doing only the SDK call
// behind `GET /api/items/{id}` (DynamoDBDocumentClient GetItem) and returning the item as
// JSON. No gateway, no authorizer, no validation, no logging. Plain ESM, run by plain
// `node`: nothing (tsx, a loader) runs in it that a deployed server would not run.
//
// usage: node bare-server-process.mjs <DynamoDB endpoint> <table> <region>
// Prints the port it listens on (127.0.0.1) as one line on stdout; ends on SIGTERM.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createServer } from 'node:http';

const [endpoint, tableName, region] = process.argv.slice(2);
if (!endpoint || !tableName || !region) {
  console.error('usage: bare-server-process.mjs <DynamoDB endpoint> <table> <region>');
  process.exit(2);
}

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
    .send(new GetCommand({ TableName: tableName, Key: { id } }))
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

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
