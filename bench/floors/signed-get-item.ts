/**
 * Floor without the SDK's clients: the same GetItem signed with the SDK's own signer
 * (`@smithy/signature-v4`, node:crypto hashes) and sent with `node:http`. No retries, no
 * timeouts, no error handling: what is left of a request when nothing else is.
 */
import { tenantOf, type GetItemEvent } from './get-item-event';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';

/** What the signer hashes: strings and byte buffers. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const env = process.env;
const endpoint = new URL(env['AWS_ENDPOINT_URL_DYNAMODB'] ?? 'http://127.0.0.1');
const signer = new SignatureV4({
  service: 'dynamodb',
  region: env['AWS_REGION'] ?? '',
  sha256: Sha256,
  credentials: {
    accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '',
    ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
  },
});

export const handler = async (event: GetItemEvent) => {
  const body = JSON.stringify({
    TableName: env['TABLE_NAME'],
    Key: { tenant: { S: tenantOf(event) }, id: { S: event.pathParameters?.id } },
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: '/',
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.GetItem',
    },
    body,
  });
  const text = await new Promise<string>((resolve, reject) => {
    const outgoing = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method: 'POST',
        path: '/',
        headers: signed.headers,
      },
      (response) => {
        let received = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (received += chunk));
        response.on('end', () => resolve(received));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  const { Item } = JSON.parse(text) as { Item?: unknown };
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
