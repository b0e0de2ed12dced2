/**
 * The local cloud's OpenID Connect issuer: tokens shaped like an Amazon Cognito user
 * pool's (RS256, the same claims, a JWKS), a hosted-UI-like code flow with PKCE for the
 * SPA, and a minting endpoint for the CLI.
 */
export {
  startOidcIssuer,
  type IssuedTokens,
  type OidcIssuer,
  type OidcIssuerOptions,
} from './oidc-issuer';
export {
  InvalidTokenRequestError,
  MAX_TOKEN_SECONDS,
  TENANT_PATTERN,
  USERNAME_PATTERN,
  type TokenRequest,
} from './token-request';
export {
  loadSigningKey,
  publicJwks,
  signingKeyFile,
  SIGNING_ALGORITHM,
  type JsonWebKeySet,
  type PublicSigningJwk,
  type SigningKey,
} from './signing-keys';
export { subjectFor, tenantGroup } from './claims';
export { CODE_LIFETIME_MS } from './authorization-codes';
