/**
 * The endpoint of the AWS Parameters and Secrets Lambda Extension, as the authorizer and the
 * API call it: `GET /secretsmanager/get?secretId=…[&versionStage=…|&versionId=…]` with the
 * function's session token in `X-Aws-Parameters-Secrets-Token`, answered with
 * GetSecretValue's output as JSON. On Lambda the layer serves it on a loopback port inside
 * the execution environment; here the Secrets Manager emulator answers it on its own port,
 * from the same store, which the local cloud gives those functions as
 * `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`.
 *
 * The real extension caches what it reads (`SECRETS_MANAGER_TTL`); this one reads through
 * on every call. The functions cache the values themselves for at least as long, so what they
 * decide is the same; only the number of store reads differs.
 */
import { SECRETS_EXTENSION } from '@tap/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_CREDENTIALS } from '../lambda/function-environment';
import { SecretsManagerError, type SecretStore } from './secret-store';

/** Whether a request is for the extension's endpoint rather than the JSON protocol. */
export function isSecretsExtensionRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?')[0];
  return request.method === 'GET' && path === SECRETS_EXTENSION.secretPath;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Answers one extension request from `store`. */
export function handleSecretsExtensionRequest(
  store: SecretStore,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  request.resume();
  // The extension serves only the function it runs beside: a request without that
  // function's session token is refused before anything is read.
  if (request.headers[SECRETS_EXTENSION.tokenHeader] !== LOCAL_CREDENTIALS.sessionToken) {
    answer(response, 401, { message: `missing or wrong ${SECRETS_EXTENSION.tokenHeader}` });
    return;
  }
  const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
  const secretId = query.get('secretId');
  if (!secretId) {
    answer(response, 400, { message: 'secretId is required' });
    return;
  }
  const versionStage = query.get('versionStage');
  const versionId = query.get('versionId');
  try {
    answer(
      response,
      200,
      store.getSecretValue({
        SecretId: secretId,
        ...(versionStage ? { VersionStage: versionStage } : {}),
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof SecretsManagerError) {
      // As the extension passes Secrets Manager's refusal on: a client error, named.
      answer(response, 400, { __type: error.type, message: error.message });
    } else {
      answer(response, 500, { message: 'the local extension failed' });
    }
  }
}
