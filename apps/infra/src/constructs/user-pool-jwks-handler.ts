/**
 * Source of the deploy-time function behind {@link UserPoolJwks}: inline code (no bundle),
 * CommonJS on Lambda's Node.js runtime, called by the custom-resources `Provider`
 * framework, which answers CloudFormation with what it returns (or with the error it
 * throws, failing the deployment).
 *
 * On create and update it reads the user pool's JWKS from Cognito's public endpoint and
 * returns it, compacted, as the attribute `Jwks`; on delete it does nothing. A document
 * larger than {@link MAX_JWKS_BYTES} comes back as an empty string: the authorizer then
 * fetches the keys itself, as it does without `TOKEN_JWKS`.
 */

/**
 * Largest JWKS handed to the authorizer, in bytes. Lambda allows 4 KB for all of a
 * function's variables, names included, and a custom resource's answer to CloudFormation
 * is at most 4 KB too; the authorizer's other variables and the answer's other fields need
 * well under 1 KB. Cognito's JWKS (two RSA keys) is about 1 KB.
 */
export const MAX_JWKS_BYTES = 3072;

/** Seconds the function waits for Cognito before failing the deployment. */
export const FETCH_TIMEOUT_SECONDS = 10;

/** The handler's source, `exports.handler` of `index.js`. */
export const USER_POOL_JWKS_HANDLER_SOURCE = `'use strict';
const MAX_JWKS_BYTES = ${MAX_JWKS_BYTES};
const FETCH_TIMEOUT_MS = ${FETCH_TIMEOUT_SECONDS * 1000};

exports.handler = async (event) => {
  const { UserPoolId: userPoolId, Region: region } = event.ResourceProperties;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const url = 'https://cognito-idp.' + region + '.amazonaws.com/' + userPoolId + '/.well-known/jwks.json';
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (response.status !== 200) {
    throw new Error('GET ' + url + ' answered ' + response.status + ', not 200');
  }
  const document = JSON.parse(await response.text());
  if (!document || !Array.isArray(document.keys) || document.keys.length === 0) {
    throw new Error('GET ' + url + ' returned no JWKS document ({"keys": [...]})');
  }
  const jwks = JSON.stringify(document);
  const bytes = Buffer.byteLength(jwks, 'utf8');
  if (bytes > MAX_JWKS_BYTES) {
    console.log(JSON.stringify({ message: 'JWKS too large for the environment; the authorizer will fetch it', bytes, max: MAX_JWKS_BYTES }));
  }
  return {
    // One physical resource per pool: a new pool replaces it (the old one's delete is a no-op).
    PhysicalResourceId: userPoolId + '-jwks',
    Data: { Jwks: bytes > MAX_JWKS_BYTES ? '' : jwks },
  };
};
`;
