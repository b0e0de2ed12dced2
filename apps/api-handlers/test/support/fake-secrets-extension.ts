/**
 * A stand-in for the AWS Parameters and Secrets Lambda Extension, which exists only on
 * Lambda: a loopback HTTP server answering `GET /secretsmanager/get?secretId=…` with
 * GetSecretValue's output, refusing requests without the session token, counting reads.
 */
import { SECRETS_EXTENSION } from '@tap/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake serves: a secret's JSON value, or an HTTP status to fail with. */
export type ExtensionAnswer = { readonly value: unknown } | { readonly status: number };

/** A running fake extension. */
export interface FakeSecretsExtension {
  readonly port: number;
  /** The session token it expects in `X-Aws-Parameters-Secrets-Token`. */
  readonly sessionToken: string;
  /** Secret ids of the requests it answered with a value, in order. */
  readonly reads: string[];
  /** Sets what every later request gets. */
  serve(answer: ExtensionAnswer): void;
  stop(): Promise<void>;
}

/** Starts a {@link FakeSecretsExtension} on 127.0.0.1, on a free port. */
export async function startFakeSecretsExtension(
  sessionToken = 'test-session-token',
): Promise<FakeSecretsExtension> {
  let answer: ExtensionAnswer = { status: 404 };
  const reads: string[] = [];
  const server = createServer((request, response) => {
    request.resume();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const secretId = url.searchParams.get('secretId');
    if (request.headers[SECRETS_EXTENSION.tokenHeader] !== sessionToken) {
      response.writeHead(401).end('missing or wrong token');
    } else if (url.pathname !== SECRETS_EXTENSION.secretPath || !secretId) {
      response.writeHead(400).end('bad request');
    } else if ('status' in answer) {
      response.writeHead(answer.status).end('failed');
    } else {
      reads.push(secretId);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Name: secretId, SecretString: JSON.stringify(answer.value) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sessionToken,
    reads,
    serve: (next) => {
      answer = next;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
