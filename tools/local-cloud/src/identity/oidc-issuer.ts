import { closeServer, listen } from '@tap/test-support';
import { SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AuthorizationCodes } from './authorization-codes';
import {
  checkAuthorizeRequest,
  OPENID_SCOPE,
  type AuthorizeOutcome,
  type AuthorizePolicy,
} from './authorize-request';
import { tokenClaims, type IssuerIdentity, type TokenSubject } from './claims';
import { BodyTooLargeError, mediaType, readBody, redirect, send, sendJson } from './http-messages';
import { errorPage, PAGE_HEADERS, signInPage } from './sign-in-page';
import { loadSigningKey, publicJwks, SIGNING_ALGORITHM, type JsonWebKeySet } from './signing-keys';
import {
  InvalidTokenRequestError,
  validateLifetime,
  validateTenant,
  validateTokenRequest,
  validateUsername,
  type TokenRequest,
} from './token-request';

/** Options of {@link startOidcIssuer}. */
export interface OidcIssuerOptions {
  /** Interface to listen on, and the host in every URL the issuer publishes. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Keeps the signing key in `<dataDir>/oidc/`; without it, a new key per start. */
  readonly dataDir?: string;
  /** The user pool the tokens claim to come from, e.g. `us-west-2_localpool`. */
  readonly userPoolId: string;
  /** The one app client (public: no secret) the issuer knows. */
  readonly clientId: string;
  /** The resource server identifier that prefixes scopes, e.g. `tap`. */
  readonly resourceServer: string;
  /** The resource server's scope names, e.g. `['items:read', 'items:write']`. */
  readonly scopes: readonly string[];
  /** Lifetime of tokens the code flow issues, and the default of `issueTokens`: 3600. */
  readonly accessTokenSeconds?: number;
  /** Clock, in epoch ms. */
  readonly now?: () => number;
}

/** Tokens of one sign-in. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Seconds until both expire. */
  readonly expiresIn: number;
}

/** A running issuer. */
export interface OidcIssuer {
  /** `http://<host>:<port>/<userPoolId>`, the `iss` of every token. */
  readonly issuerUrl: string;
  /** `<issuerUrl>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** The JWKS document, for verifiers that fetch over https only (`cacheJwks`). */
  readonly jwks: JsonWebKeySet;
  /** `http://<host>:<port>`: the hosted UI, token and local minting endpoints live here. */
  readonly origin: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /**
   * Signs in `username` without a browser and returns its tokens.
   *
   * @throws InvalidTokenRequestError naming a bad field.
   */
  issueTokens(request: TokenRequest): Promise<IssuedTokens>;
  /**
   * Signs any payload with the issuer's key, for tests that craft tokens the issuer would
   * never issue. `header` is merged over `{ alg: 'RS256', kid }`; `{ kid: undefined }`
   * leaves the kid out. The key signs RS256 only.
   */
  signJwt(
    payload: Readonly<Record<string, unknown>>,
    header?: Readonly<Record<string, unknown>>,
  ): Promise<string>;
  /** Stops answering and forgets pending authorization codes. */
  stop(): Promise<void>;
}

const DEFAULT_TOKEN_SECONDS = 3600;
/** Cognito's formats: pool `<region>_<id>`, client id word characters. */
const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID_PATTERN = /^[\w+]{1,128}$/;
/** Cognito's resource server identifier and scope name characters (no space, `/`, `"` or `\`). */
const SCOPE_PART_PATTERN = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;

/** Token responses carry credentials (RFC 6749 §5.1); a SPA on another origin reads them. */
const TOKEN_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'access-control-allow-origin': '*',
};
/** Discovery and JWKS are public; browser OIDC clients fetch them cross-origin. */
const PUBLIC_DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'cache-control': 'max-age=300',
};

function checkOptions(options: OidcIssuerOptions): number {
  if (!USER_POOL_ID_PATTERN.test(options.userPoolId)) {
    throw new Error(
      `userPoolId must look like <region>_<id>, got ${JSON.stringify(options.userPoolId)}`,
    );
  }
  if (!CLIENT_ID_PATTERN.test(options.clientId)) {
    throw new Error(
      `clientId must be 1 to 128 word characters, got ${JSON.stringify(options.clientId)}`,
    );
  }
  for (const part of [options.resourceServer, ...options.scopes]) {
    if (!SCOPE_PART_PATTERN.test(part)) {
      throw new Error(
        `resource server and scope names may not contain spaces, /, " or \\, got ${JSON.stringify(part)}`,
      );
    }
  }
  return options.accessTokenSeconds === undefined
    ? DEFAULT_TOKEN_SECONDS
    : validateLifetime(options.accessTokenSeconds, 'accessTokenSeconds');
}

/** A host as it appears in a URL: IPv6 addresses in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Starts an OpenID Connect issuer that issues tokens as a Cognito user pool does (same
 * claims, RS256, a JWKS), so the API's authorizer verifies local tokens with the code that
 * verifies real ones. It serves:
 *
 * - `GET <issuer>/.well-known/openid-configuration` and `GET <issuer>/.well-known/jwks.json`;
 * - the hosted UI's authorization code flow with PKCE (S256) for a public client:
 *   `GET|POST /oauth2/authorize` (a sign-in page without passwords) and
 *   `POST /oauth2/token` (with CORS, for a SPA on another origin);
 * - `POST /local/tokens` (JSON {@link TokenRequest}): tokens without a browser, for the CLI.
 *
 * @throws Error on bad options, or the listen error (EADDRINUSE) when the port is taken.
 */
export async function startOidcIssuer(options: OidcIssuerOptions): Promise<OidcIssuer> {
  const tokenSeconds = checkOptions(options);
  const now = options.now ?? Date.now;
  const allowedScopes = [...options.scopes];
  const resourceScope = (scope: string): string => `${options.resourceServer}/${scope}`;
  const policy: AuthorizePolicy = {
    clientId: options.clientId,
    resourceScopes: allowedScopes.map(resourceScope),
  };
  const key = await loadSigningKey(options.dataDir);
  const jwks = publicJwks(key);
  const codes = new AuthorizationCodes(now);

  // The URLs carry the port, known once listening. Requests are answered from the handler
  // attached below, in the same turn as `listen` resolves: no connection is served before.
  const server = createServer();
  const port = await listen(server, options.port, options.host);
  const origin = `http://${urlHost(options.host)}:${port}`;
  const issuerUrl = `${origin}/${options.userPoolId}`;
  const jwksUri = `${issuerUrl}/.well-known/jwks.json`;
  const authorizationEndpoint = `${origin}/oauth2/authorize`;
  const tokenEndpoint = `${origin}/oauth2/token`;
  const identity: IssuerIdentity = {
    issuerUrl,
    userPoolId: options.userPoolId,
    clientId: options.clientId,
  };

  const signJwt = (
    payload: Readonly<Record<string, unknown>>,
    header: Readonly<Record<string, unknown>> = {},
  ): Promise<string> =>
    new SignJWT({ ...payload } as JWTPayload)
      .setProtectedHeader({
        alg: SIGNING_ALGORITHM,
        kid: key.kid,
        ...header,
      } as JWTHeaderParameters)
      .sign(key.privateKey);

  const mint = async (subject: TokenSubject, lifetime: number): Promise<IssuedTokens> => {
    const issuedAt = Math.floor(now() / 1000);
    const claims = tokenClaims(identity, subject, issuedAt, lifetime);
    const [accessToken, idToken] = await Promise.all([signJwt(claims.access), signJwt(claims.id)]);
    return { accessToken, idToken, expiresIn: lifetime };
  };

  const issueTokens = async (request: TokenRequest): Promise<IssuedTokens> => {
    const valid = validateTokenRequest(request, allowedScopes, tokenSeconds);
    return mint(
      {
        username: valid.username,
        tenant: valid.tenant,
        scope: valid.scopes.map(resourceScope),
        authTime: Math.floor(now() / 1000),
      },
      valid.expiresInSeconds,
    );
  };

  const discoveryDocument: Readonly<Record<string, unknown>> = {
    issuer: issuerUrl,
    authorization_endpoint: authorizationEndpoint,
    token_endpoint: tokenEndpoint,
    jwks_uri: jwksUri,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [OPENID_SCOPE, ...policy.resourceScopes],
    token_endpoint_auth_methods_supported: ['none'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    subject_types_supported: ['public'],
  };

  /** Answers an authorization request's outcome unless it is valid. */
  const answeredInvalid = (
    response: ServerResponse,
    outcome: AuthorizeOutcome,
  ): outcome is Exclude<AuthorizeOutcome, { kind: 'valid' }> => {
    if (outcome.kind === 'refused') {
      send(response, 400, PAGE_HEADERS, errorPage(outcome.message));
      return true;
    }
    if (outcome.kind === 'redirect-error') {
      const location = new URL(outcome.redirectUri);
      location.searchParams.set('error', outcome.error);
      location.searchParams.set('error_description', outcome.description);
      if (outcome.state !== undefined) location.searchParams.set('state', outcome.state);
      redirect(response, location.href);
      return true;
    }
    return false;
  };

  const showSignIn = (response: ServerResponse, query: URLSearchParams): void => {
    const outcome = checkAuthorizeRequest(query, policy);
    if (answeredInvalid(response, outcome)) return;
    send(response, 200, PAGE_HEADERS, signInPage(outcome.request));
  };

  const signIn = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (mediaType(request) !== 'application/x-www-form-urlencoded') {
      request.resume();
      send(response, 400, PAGE_HEADERS, errorPage('The sign-in form must be form-encoded.'));
      return;
    }
    const form = new URLSearchParams(await readBody(request));
    // The hidden fields came back from the browser: check them as if they were new.
    const outcome = checkAuthorizeRequest(form, policy);
    if (answeredInvalid(response, outcome)) return;
    const username = form.get('username') ?? '';
    const tenantField = form.get('tenant')?.trim() ?? '';
    let user: { username: string; tenant: string | undefined };
    try {
      user = {
        username: validateUsername(username.trim()),
        tenant: validateTenant(tenantField === '' ? undefined : tenantField),
      };
    } catch (error) {
      if (!(error instanceof InvalidTokenRequestError)) throw error;
      send(
        response,
        400,
        PAGE_HEADERS,
        signInPage(outcome.request, { username, tenant: tenantField, error: error.message }),
      );
      return;
    }
    const code = codes.issue({
      clientId: outcome.request.clientId,
      redirectUri: outcome.request.redirectUri,
      codeChallenge: outcome.request.codeChallenge,
      username: user.username,
      tenant: user.tenant,
      scope: outcome.request.scope,
      nonce: outcome.request.nonce,
      authTime: Math.floor(now() / 1000),
    });
    const location = new URL(outcome.request.redirectUri);
    location.searchParams.set('code', code);
    if (outcome.request.state !== undefined) {
      location.searchParams.set('state', outcome.request.state);
    }
    redirect(response, location.href);
  };

  const exchangeCode = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> => {
    // Cognito's token endpoint answers `{ error }` only; so does this one.
    const fail = (error: string): void =>
      sendJson(response, 400, { error }, TOKEN_RESPONSE_HEADERS);
    if (mediaType(request) !== 'application/x-www-form-urlencoded') {
      request.resume();
      fail('invalid_request');
      return;
    }
    const form = new URLSearchParams(await readBody(request));
    const names = ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier'] as const;
    if (names.some((name) => form.getAll(name).length > 1)) {
      fail('invalid_request');
      return;
    }
    const [grantType, code, redirectUri, clientId, codeVerifier] = names.map(
      (name) => form.get(name) ?? undefined,
    );
    if (grantType === undefined) return fail('invalid_request');
    if (grantType !== 'authorization_code') return fail('unsupported_grant_type');
    if (
      code === undefined ||
      redirectUri === undefined ||
      clientId === undefined ||
      codeVerifier === undefined
    ) {
      return fail('invalid_request');
    }
    const grant = codes.redeem(code, { clientId, redirectUri, codeVerifier });
    if (!grant) return fail('invalid_grant');
    const tokens = await mint(
      {
        username: grant.username,
        tenant: grant.tenant,
        scope: grant.scope,
        authTime: grant.authTime,
        ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      },
      tokenSeconds,
    );
    sendJson(
      response,
      200,
      {
        access_token: tokens.accessToken,
        id_token: tokens.idToken,
        token_type: 'Bearer',
        expires_in: tokens.expiresIn,
      },
      TOKEN_RESPONSE_HEADERS,
    );
  };

  const preflightToken = (request: IncomingMessage, response: ServerResponse): void => {
    request.resume();
    const requested = request.headers['access-control-request-headers'];
    send(
      response,
      204,
      {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers':
          typeof requested === 'string' && requested !== '' ? requested : 'content-type',
        'access-control-max-age': '600',
      },
      '',
    );
  };

  const mintLocally = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Requiring JSON keeps other web pages out: a cross-origin JSON POST needs a preflight,
    // which this endpoint does not answer.
    if (mediaType(request) !== 'application/json') {
      request.resume();
      sendJson(response, 415, { message: 'POST /local/tokens takes application/json' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw error;
      sendJson(response, 400, { message: 'The request body is not valid JSON.' });
      return;
    }
    try {
      const tokens = await issueTokens(body as TokenRequest);
      sendJson(response, 200, tokens, { 'cache-control': 'no-store' });
    } catch (error) {
      if (!(error instanceof InvalidTokenRequestError)) throw error;
      sendJson(response, 400, { message: error.message });
    }
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://issuer.invalid');
    const method = request.method ?? 'GET';
    const poolPath = `/${options.userPoolId}`;
    const routeKey = `${method} ${url.pathname}`;
    switch (routeKey) {
      case `GET ${poolPath}/.well-known/openid-configuration`:
        return sendJson(response, 200, discoveryDocument, PUBLIC_DOCUMENT_HEADERS);
      case `GET ${poolPath}/.well-known/jwks.json`:
        return sendJson(response, 200, jwks, PUBLIC_DOCUMENT_HEADERS);
      case 'GET /oauth2/authorize':
        return showSignIn(response, url.searchParams);
      case 'POST /oauth2/authorize':
        return signIn(request, response);
      case 'POST /oauth2/token':
        return exchangeCode(request, response);
      case 'OPTIONS /oauth2/token':
        return preflightToken(request, response);
      case 'POST /local/tokens':
        return mintLocally(request, response);
      default:
        request.resume();
        return sendJson(response, 404, { message: 'Not Found' });
    }
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { message: error.message });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, { message: `The local issuer failed: ${message}` });
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    issuerUrl,
    jwksUri,
    // A copy: what a caller does with it must not change the document served.
    jwks: structuredClone(jwks),
    origin,
    authorizationEndpoint,
    tokenEndpoint,
    issueTokens,
    signJwt,
    stop: () => {
      stopping ??= closeServer(server).then(() => codes.clear());
      return stopping;
    },
  };
}
