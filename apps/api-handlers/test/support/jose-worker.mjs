// The test token issuer's signing side: a worker thread that holds RS256 key pairs made by
// jose and signs the tokens the parent asks for. Plain ESM on purpose: jose 6 is an ES module
// only, which Jest's CommonJS module registry cannot load on Node before 24.9; a worker
// thread loads it with Node's own loader. See token-issuer.ts for the parent side.
import { parentPort } from 'node:worker_threads';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

/**
 * @typedef {{ id: number, op: 'createKey', name: string, kid: string }} CreateKey
 * @typedef {{ id: number, op: 'sign', name: string, claims: Record<string, unknown>,
 *   header: Record<string, unknown> }} Sign
 * @typedef {{ id: number, op: 'signHmac', secret: string, claims: Record<string, unknown>,
 *   header: Record<string, unknown> }} SignHmac
 */

/** Key pairs by name, each with the kid its tokens carry. */
const keys = new Map();

const keyNamed = (name) => {
  const key = keys.get(name);
  if (!key) throw new Error(`No key named ${name}`);
  return key;
};

/** @param {CreateKey | Sign | SignHmac} message */
async function handle(message) {
  switch (message.op) {
    case 'createKey': {
      const pair = await generateKeyPair('RS256', { extractable: true });
      keys.set(message.name, { ...pair, kid: message.kid });
      const jwk = await exportJWK(pair.publicKey);
      return {
        jwk: { ...jwk, kid: message.kid, alg: 'RS256', use: 'sig' },
        pem: await exportSPKI(pair.publicKey),
      };
    }
    case 'sign': {
      const key = keyNamed(message.name);
      return new SignJWT(message.claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...message.header })
        .sign(key.privateKey);
    }
    case 'signHmac':
      return new SignJWT(message.claims)
        .setProtectedHeader({ alg: 'HS256', ...message.header })
        .sign(new TextEncoder().encode(message.secret));
    default:
      throw new Error(`Unknown operation ${message.op}`);
  }
}

parentPort.on('message', (message) => {
  handle(message).then(
    (result) => parentPort.postMessage({ id: message.id, result }),
    (error) => parentPort.postMessage({ id: message.id, error: String(error) }),
  );
});
