import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CODE_LIFETIME_MS,
  InvalidTokenRequestError,
  signingKeyFile,
  startOidcIssuer,
  type OidcIssuer,
  type OidcIssuerOptions,
} from '../src/identity';

const USER_POOL_ID = 'us-west-2_localpool';
const CLIENT_ID = 'tapspa';
const SCOPES = ['items:read', 'items:write'];
const REDIRECT_URI = 'http://localhost:5173/callback';

const baseOptions: OidcIssuerOptions = {
  host: '127.0.0.1',
  port: 0,
  userPoolId: USER_POOL_ID,
  clientId: CLIENT_ID,
  resourceServer: 'tap',
  scopes: SCOPES,
};

type Claims = Record<string, unknown>;

/** Header and payload of a compact JWS, without verifying it. */
function decode(token: string): { header: Claims; payload: Claims } {
  const [header, payload] = token.split('.');
  const part = (text: string | undefined): Claims =>
    JSON.parse(Buffer.from(text ?? '', 'base64url').toString('utf8')) as Claims;
  return { header: part(header), payload: part(payload) };
}

/**
 * A verifier configured as the API's authorizer would be: issuer, JWKS, no audience
 * (access tokens have none), Cognito's token_use and client_id checks. aws-jwt-verify
 * fetches JWKS over https only, so the issuer's JWKS is handed to it directly.
 */
function accessTokenVerifier(issuer: OidcIssuer, groups?: string) {
  const verifier = JwtVerifier.create({
    issuer: issuer.issuerUrl,
    audience: null,
    jwksUri: issuer.jwksUri,
    customJwtCheck: ({ payload }) =>
      validateCognitoJwtFields(payload, {
        tokenUse: 'access',
        clientId: CLIENT_ID,
        ...(groups === undefined ? {} : { groups }),
      }),
  });
  verifier.cacheJwks(issuer.jwks);
  return verifier;
}

function idTokenVerifier(issuer: OidcIssuer) {
  const verifier = JwtVerifier.create({
    issuer: issuer.issuerUrl,
    audience: null,
    jwksUri: issuer.jwksUri,
    // For ID tokens, Cognito's client id check is the aud check.
    customJwtCheck: ({ payload }) =>
      validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: CLIENT_ID }),
  });
  verifier.cacheJwks(issuer.jwks);
  return verifier;
}

/** A PKCE verifier and its S256 challenge, computed independently of the issuer. */
function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParameters(
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): URLSearchParams {
  const parameters: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid tap/items:read tap/items:write',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) query.set(name, value);
  }
  return query;
}

/** The named inputs of a form, as a browser would submit them (values unescaped). */
function formFields(html: string): URLSearchParams {
  const unescape = (text: string): string =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(match[0])?.[1] ?? '';
    if (name !== undefined) fields.set(unescape(name), unescape(value));
  }
  return fields;
}

const postForm = (url: string, form: URLSearchParams): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });

/** Opens the sign-in page, submits it as `username`, and returns where it redirects. */
async function signIn(
  issuer: OidcIssuer,
  parameters: URLSearchParams,
  user: { username: string; tenant?: string },
): Promise<URL> {
  const page = await fetch(`${issuer.authorizationEndpoint}?${parameters.toString()}`, {
    redirect: 'manual',
  });
  expect(page.status).toBe(200);
  const form = formFields(await page.text());
  form.set('username', user.username);
  form.set('tenant', user.tenant ?? '');
  const answer = await postForm(issuer.authorizationEndpoint, form);
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

function exchange(issuer: OidcIssuer, fields: Record<string, string>): Promise<Response> {
  return postForm(
    issuer.tokenEndpoint,
    new URLSearchParams({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      ...fields,
    }),
  );
}

describe('the local OIDC issuer', () => {
  let issuer: OidcIssuer;

  beforeAll(async () => {
    issuer = await startOidcIssuer(baseOptions);
  });

  afterAll(() => issuer.stop());

  describe('discovery', () => {
    it('names itself like a user pool and serves the discovery document under its issuer URL', async () => {
      expect(issuer.issuerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/us-west-2_localpool$/);
      const response = await fetch(`${issuer.issuerUrl}/.well-known/openid-configuration`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        issuer: issuer.issuerUrl,
        authorization_endpoint: `${issuer.origin}/oauth2/authorize`,
        token_endpoint: `${issuer.origin}/oauth2/token`,
        jwks_uri: `${issuer.issuerUrl}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: ['openid', 'tap/items:read', 'tap/items:write'],
        token_endpoint_auth_methods_supported: ['none'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
      expect(issuer.authorizationEndpoint).toBe(`${issuer.origin}/oauth2/authorize`);
      expect(issuer.tokenEndpoint).toBe(`${issuer.origin}/oauth2/token`);
    });

    it('publishes one public RS256 key whose kid is its RFC 7638 thumbprint', async () => {
      const response = await fetch(issuer.jwksUri);
      expect(response.status).toBe(200);
      const jwks = (await response.json()) as { keys: Record<string, string>[] };
      expect(jwks).toEqual(issuer.jwks);
      expect(jwks.keys).toHaveLength(1);
      const key = jwks.keys[0]!;
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(Buffer.from(key['n']!, 'base64url').length * 8).toBe(2048);
      // RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace.
      const canonical = JSON.stringify({ e: key['e'], kty: 'RSA', n: key['n'] });
      expect(key['kid']).toBe(createHash('sha256').update(canonical).digest('base64url'));
    });

    it('lets browser clients read the discovery and JWKS documents cross-origin', async () => {
      for (const url of [`${issuer.issuerUrl}/.well-known/openid-configuration`, issuer.jwksUri]) {
        const response = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
      }
    });

    it('answers 404 for anything else', async () => {
      const responses = await Promise.all([
        fetch(`${issuer.origin}/`),
        fetch(`${issuer.origin}/other-pool_x/.well-known/jwks.json`),
        fetch(issuer.tokenEndpoint),
        fetch(`${issuer.origin}/local/tokens`),
        fetch(issuer.jwksUri, { method: 'POST' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404, 404]);
    });
  });

  describe('issued tokens', () => {
    it('issues access tokens that verify as Cognito access tokens, with Cognito’s claims and no aud', async () => {
      const { accessToken, expiresIn } = await issuer.issueTokens({ username: 'alice' });
      const payload = await accessTokenVerifier(issuer).verify(accessToken);
      const { header } = decode(accessToken);
      expect(header).toEqual({ alg: 'RS256', kid: issuer.jwks.keys[0]!.kid });
      expect(Object.keys(payload)).toEqual([
        'sub',
        'iss',
        'version',
        'client_id',
        'origin_jti',
        'event_id',
        'token_use',
        'scope',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'username',
      ]);
      expect(payload).toMatchObject({
        iss: issuer.issuerUrl,
        version: 2,
        client_id: CLIENT_ID,
        token_use: 'access',
        scope: 'tap/items:read tap/items:write',
        username: 'alice',
      });
      expect(payload).not.toHaveProperty('aud');
      expect(payload).not.toHaveProperty('cognito:groups');
      expect(payload.exp).toBe((payload.iat as number) + 3600);
      expect(expiresIn).toBe(3600);
    });

    it('issues ID tokens for the client, sharing the sign-in’s ids with the access token', async () => {
      const { accessToken, idToken } = await issuer.issueTokens({ username: 'alice' });
      const id = await idTokenVerifier(issuer).verify(idToken);
      const access = decode(accessToken).payload;
      expect(id).toMatchObject({
        sub: access['sub'],
        aud: CLIENT_ID,
        'cognito:username': 'alice',
        token_use: 'id',
        iss: issuer.issuerUrl,
        origin_jti: access['origin_jti'],
        event_id: access['event_id'],
      });
      expect(id.jti).not.toBe(access['jti']);
      // An ID token is no access token: the authorizer's checks refuse it.
      await expect(accessTokenVerifier(issuer).verify(idToken)).rejects.toThrow();
    });

    it('gives a user the same sub every time, in UUID layout, and another user another', async () => {
      const other = await startOidcIssuer(baseOptions);
      try {
        const sub = async (source: OidcIssuer, username: string): Promise<unknown> =>
          decode((await source.issueTokens({ username })).accessToken).payload['sub'];
        const alice = await sub(issuer, 'alice');
        expect(alice).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(await sub(issuer, 'alice')).toBe(alice);
        expect(await sub(other, 'alice')).toBe(alice);
        expect(await sub(issuer, 'bob')).not.toBe(alice);
        expect(await sub(issuer, 'Alice')).not.toBe(alice);
      } finally {
        await other.stop();
      }
    });

    it('carries a tenant as the Cognito group tenant:<id> in both tokens', async () => {
      const { accessToken, idToken } = await issuer.issueTokens({
        username: 'alice',
        tenant: 'acme',
      });
      const access = await accessTokenVerifier(issuer, 'tenant:acme').verify(accessToken);
      expect(access['cognito:groups']).toEqual(['tenant:acme']);
      expect(decode(idToken).payload['cognito:groups']).toEqual(['tenant:acme']);
      await expect(accessTokenVerifier(issuer, 'tenant:other').verify(accessToken)).rejects.toThrow(
        /group/i,
      );
    });

    it('grants the scopes asked for, in the issuer’s order whatever the request’s', async () => {
      const scope = async (scopes: string[]): Promise<unknown> =>
        decode((await issuer.issueTokens({ username: 'alice', scopes })).accessToken).payload[
          'scope'
        ];
      expect(await scope(['items:read'])).toBe('tap/items:read');
      expect(await scope(['items:write', 'items:read', 'items:write'])).toBe(
        'tap/items:read tap/items:write',
      );
    });

    it('dates tokens with its clock and the lifetime asked for; expired ones fail to verify', async () => {
      const twoHoursAgo = Date.now() - 2 * 3600 * 1000;
      const past = await startOidcIssuer({ ...baseOptions, now: () => twoHoursAgo });
      try {
        const { accessToken, expiresIn } = await past.issueTokens({
          username: 'alice',
          expiresInSeconds: 60,
        });
        const { payload } = decode(accessToken);
        const issuedAt = Math.floor(twoHoursAgo / 1000);
        expect(payload).toMatchObject({ iat: issuedAt, auth_time: issuedAt, exp: issuedAt + 60 });
        expect(expiresIn).toBe(60);
        await expect(accessTokenVerifier(past).verify(accessToken)).rejects.toThrow(/expired/i);
      } finally {
        await past.stop();
      }
    });

    it('uses accessTokenSeconds as the default lifetime', async () => {
      const short = await startOidcIssuer({ ...baseOptions, accessTokenSeconds: 300 });
      try {
        const { accessToken, expiresIn } = await short.issueTokens({ username: 'alice' });
        const { payload } = decode(accessToken);
        expect(expiresIn).toBe(300);
        expect(payload['exp']).toBe((payload['iat'] as number) + 300);
      } finally {
        await short.stop();
      }
    });

    it('signs crafted payloads with its real key, so tests can forge what it never issues', async () => {
      const { accessToken } = await issuer.issueTokens({ username: 'alice' });
      const claims = decode(accessToken).payload;
      const verifier = accessTokenVerifier(issuer);
      // Same claims, signed again: valid.
      await expect(verifier.verify(await issuer.signJwt(claims))).resolves.toMatchObject(claims);
      // Another issuer, or an ID token's token_use: refused although the signature is good.
      await expect(
        verifier.verify(await issuer.signJwt({ ...claims, iss: 'https://elsewhere.example' })),
      ).rejects.toThrow(/iss/i);
      await expect(
        verifier.verify(await issuer.signJwt({ ...claims, token_use: 'id' })),
      ).rejects.toThrow(/token use/i);
      // Header overrides: an unknown kid, or none at all.
      const unknownKid = await issuer.signJwt(claims, { kid: 'someone-else' });
      expect(decode(unknownKid).header).toEqual({ alg: 'RS256', kid: 'someone-else' });
      await expect(verifier.verify(unknownKid)).rejects.toThrow();
      const noKid = await issuer.signJwt(claims, { kid: undefined });
      expect(decode(noKid).header).toEqual({ alg: 'RS256' });
      await expect(verifier.verify(noKid)).rejects.toThrow();
    });
  });

  describe('minting validation', () => {
    it.each([
      ['an empty username', { username: '' }, /username/],
      ['a username with a space', { username: 'al ice' }, /username/],
      ['a username of 129 characters', { username: 'a'.repeat(129) }, /username/],
      ['an upper-case tenant', { username: 'alice', tenant: 'Acme' }, /tenant/],
      ['a tenant starting with -', { username: 'alice', tenant: '-acme' }, /tenant/],
      ['an unknown scope', { username: 'alice', scopes: ['items:delete'] }, /items:delete/],
      ['a prefixed scope', { username: 'alice', scopes: ['tap/items:read'] }, /unknown scope/],
      ['a lifetime of 0', { username: 'alice', expiresInSeconds: 0 }, /expiresInSeconds/],
      ['a fractional lifetime', { username: 'alice', expiresInSeconds: 1.5 }, /expiresInSeconds/],
      ['a lifetime over a day', { username: 'alice', expiresInSeconds: 86_401 }, /at most 86400/],
    ])('refuses %s with InvalidTokenRequestError', async (_case, request, message) => {
      const attempt = issuer.issueTokens(request);
      await expect(attempt).rejects.toBeInstanceOf(InvalidTokenRequestError);
      await expect(attempt).rejects.toThrow(message);
    });

    it('accepts the edges of every range', async () => {
      const tokens = await issuer.issueTokens({
        username: `${'a'.repeat(120)}.b_c@d+-`,
        tenant: `a${'-'.repeat(62)}`,
        scopes: [],
        expiresInSeconds: 86_400,
      });
      expect(tokens.expiresIn).toBe(86_400);
      expect(decode(tokens.accessToken).payload['scope']).toBe('');
    });

    it('mints over HTTP for the CLI, answering 400 { message } for a bad request', async () => {
      const post = (body: string, contentType = 'application/json'): Promise<Response> =>
        fetch(`${issuer.origin}/local/tokens`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
      const ok = await post(
        JSON.stringify({ username: 'carol', tenant: 'acme', scopes: ['items:read'] }),
      );
      expect(ok.status).toBe(200);
      const tokens = (await ok.json()) as Record<string, unknown>;
      expect(Object.keys(tokens).sort()).toEqual(['accessToken', 'expiresIn', 'idToken']);
      const access = await accessTokenVerifier(issuer, 'tenant:acme').verify(
        tokens['accessToken'] as string,
      );
      expect(access).toMatchObject({ username: 'carol', scope: 'tap/items:read' });

      const bad = await post(JSON.stringify({ username: 'carol', expiresInSeconds: 'soon' }));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: expect.stringContaining('expiresInSeconds') });
      const misspelt = await post(JSON.stringify({ username: 'carol', scope: ['items:read'] }));
      expect(misspelt.status).toBe(400);
      expect(await misspelt.json()).toEqual({
        message: expect.stringContaining('unknown field scope'),
      });
      const notJson = await post('{username');
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toEqual({ message: expect.stringContaining('not valid JSON') });
      expect((await post('[]')).status).toBe(400);
      expect((await post('username=carol', 'text/plain')).status).toBe(415);
    });
  });

  describe('the authorization code flow with PKCE', () => {
    it('shows a password-less sign-in form carrying the request', async () => {
      const { challenge } = pkce();
      const response = await fetch(
        `${issuer.authorizationEndpoint}?${authorizeParameters(challenge).toString()}`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toMatch(/<form method="post" action="\/oauth2\/authorize">/);
      expect(html).toMatch(/<input id="username" name="username"/);
      expect(html).toMatch(/<input id="tenant" name="tenant"/);
      expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
      expect(html).toMatch(/no passwords/);
      const fields = formFields(html);
      expect(fields.get('code_challenge')).toBe(challenge);
      expect(fields.get('state')).toBe('state-123');
      expect(fields.get('redirect_uri')).toBe(REDIRECT_URI);
    });

    it('signs a user in, redirects with a code and exchanges it for verifiable tokens', async () => {
      const { verifier, challenge } = pkce();
      const location = await signIn(
        issuer,
        authorizeParameters(challenge, { nonce: 'n-0S6_WzA2Mj' }),
        { username: 'dave', tenant: 'acme' },
      );
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('state')).toBe('state-123');
      const code = location.searchParams.get('code');
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const response = await exchange(issuer, { code: code!, code_verifier: verifier });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({
        access_token: expect.any(String),
        id_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
      });
      const access = await accessTokenVerifier(issuer, 'tenant:acme').verify(
        body['access_token'] as string,
      );
      expect(access).toMatchObject({
        username: 'dave',
        scope: 'openid tap/items:read tap/items:write',
        'cognito:groups': ['tenant:acme'],
      });
      const id = await idTokenVerifier(issuer).verify(body['id_token'] as string);
      expect(id).toMatchObject({
        sub: access.sub,
        'cognito:username': 'dave',
        nonce: 'n-0S6_WzA2Mj',
      });
    });

    it('grants only the scopes the client asked for', async () => {
      const { verifier, challenge } = pkce();
      const location = await signIn(
        issuer,
        authorizeParameters(challenge, { scope: 'tap/items:read' }),
        { username: 'dave' },
      );
      const response = await exchange(issuer, {
        code: location.searchParams.get('code')!,
        code_verifier: verifier,
      });
      const body = (await response.json()) as { access_token: string };
      expect(decode(body.access_token).payload['scope']).toBe('tap/items:read');
      expect(decode(body.access_token).payload).not.toHaveProperty('cognito:groups');
    });

    it('refuses a code exchanged twice', async () => {
      const { verifier, challenge } = pkce();
      const code = (
        await signIn(issuer, authorizeParameters(challenge), { username: 'dave' })
      ).searchParams.get('code')!;
      expect((await exchange(issuer, { code, code_verifier: verifier })).status).toBe(200);
      const second = await exchange(issuer, { code, code_verifier: verifier });
      expect(second.status).toBe(400);
      expect(await second.json()).toEqual({ error: 'invalid_grant' });
    });

    it('refuses a wrong code verifier, and the code is used up by the attempt', async () => {
      const { verifier, challenge } = pkce();
      const code = (
        await signIn(issuer, authorizeParameters(challenge), { username: 'dave' })
      ).searchParams.get('code')!;
      const wrong = await exchange(issuer, { code, code_verifier: pkce().verifier });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
      expect((await exchange(issuer, { code, code_verifier: verifier })).status).toBe(400);
    });

    it.each([
      ['another redirect_uri', { redirect_uri: 'http://localhost:5173/other' }],
      ['another client_id', { client_id: 'someoneelse' }],
    ])('refuses an exchange with %s', async (_case, fields) => {
      const { verifier, challenge } = pkce();
      const code = (
        await signIn(issuer, authorizeParameters(challenge), { username: 'dave' })
      ).searchParams.get('code')!;
      const response = await exchange(issuer, { code, code_verifier: verifier, ...fields });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_grant' });
    });

    it('refuses a code after five minutes', async () => {
      let clock = Date.now();
      const slow = await startOidcIssuer({ ...baseOptions, now: () => clock });
      try {
        const { verifier, challenge } = pkce();
        const early = (
          await signIn(slow, authorizeParameters(challenge), { username: 'dave' })
        ).searchParams.get('code')!;
        const late = (
          await signIn(slow, authorizeParameters(challenge), { username: 'dave' })
        ).searchParams.get('code')!;
        clock += CODE_LIFETIME_MS - 1;
        expect((await exchange(slow, { code: early, code_verifier: verifier })).status).toBe(200);
        clock += 1;
        const expired = await exchange(slow, { code: late, code_verifier: verifier });
        expect(expired.status).toBe(400);
        expect(await expired.json()).toEqual({ error: 'invalid_grant' });
      } finally {
        await slow.stop();
      }
    });

    it('answers OAuth errors for malformed token requests', async () => {
      const { verifier } = pkce();
      const cases: [Record<string, string>, string][] = [
        [
          { grant_type: 'refresh_token', code: 'x', code_verifier: verifier },
          'unsupported_grant_type',
        ],
        [{ code_verifier: verifier }, 'invalid_request'],
        [{ code: 'x' }, 'invalid_request'],
        [{ code: 'not-a-code', code_verifier: verifier }, 'invalid_grant'],
      ];
      for (const [fields, error] of cases) {
        const response = await exchange(issuer, fields);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error });
      }
      const json = await fetch(issuer.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(json.status).toBe(400);
      expect(await json.json()).toEqual({ error: 'invalid_request' });
    });

    it('answers CORS preflights of the token endpoint', async () => {
      const response = await fetch(issuer.tokenEndpoint, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    });

    it.each([
      ['a foreign redirect_uri', { redirect_uri: 'https://evil.example/callback' }, /localhost/],
      [
        'a redirect_uri that is not http(s)',
        { redirect_uri: 'javascript://localhost/%0aalert(1)' },
        /http or https/,
      ],
      ['a redirect_uri with a fragment', { redirect_uri: `${REDIRECT_URI}#x` }, /fragment/],
      ['an unknown client_id', { client_id: 'someoneelse' }, /Unknown client_id/],
      ['no client_id', { client_id: undefined }, /client_id is missing/],
    ])('refuses %s with a page, never redirecting', async (_case, overrides, message) => {
      const { challenge } = pkce();
      const parameters = authorizeParameters(challenge, overrides);
      const responses = [
        await fetch(`${issuer.authorizationEndpoint}?${parameters.toString()}`, {
          redirect: 'manual',
        }),
        await postForm(
          issuer.authorizationEndpoint,
          new URLSearchParams([...parameters, ['username', 'dave']]),
        ),
      ];
      for (const response of responses) {
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(await response.text()).toMatch(message);
      }
    });

    it.each([
      ['no code_challenge', 'invalid_request', { code_challenge: undefined }],
      ['no code_challenge_method', 'invalid_request', { code_challenge_method: undefined }],
      ['the plain PKCE method', 'invalid_request', { code_challenge_method: 'plain' }],
      ['a malformed code_challenge', 'invalid_request', { code_challenge: 'short' }],
      ['an unknown scope', 'invalid_scope', { scope: 'openid tap/items:delete' }],
      ['an unprefixed scope', 'invalid_scope', { scope: 'items:read' }],
      ['the implicit flow', 'unsupported_response_type', { response_type: 'token' }],
    ])(
      'sends a request with %s back to the client with error=%s',
      async (_case, error, overrides) => {
        const parameters = authorizeParameters(pkce().challenge, overrides);
        const response = await fetch(`${issuer.authorizationEndpoint}?${parameters.toString()}`, {
          redirect: 'manual',
        });
        expect(response.status).toBe(302);
        const location = new URL(response.headers.get('location') ?? '');
        expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
        expect(location.searchParams.get('error')).toBe(error);
        expect(location.searchParams.get('state')).toBe('state-123');
        expect(location.searchParams.get('code')).toBeNull();
      },
    );

    it('re-checks the request when the form comes back, so a tampered form gets no code', async () => {
      const form = authorizeParameters(pkce().challenge, { code_challenge_method: 'plain' });
      form.set('username', 'dave');
      const response = await postForm(issuer.authorizationEndpoint, form);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
    });

    it('shows the form again with the reason when the username or tenant is not valid', async () => {
      for (const [username, tenant, reason] of [
        ['not valid!', '', /username must be/],
        ['dave', 'Not A Tenant', /tenant must be/],
      ] as const) {
        const form = authorizeParameters(pkce().challenge);
        form.set('username', username);
        form.set('tenant', tenant);
        const response = await postForm(issuer.authorizationEndpoint, form);
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        const html = await response.text();
        expect(html).toMatch(reason);
        expect(formFields(html).get('code_challenge')).toBe(form.get('code_challenge'));
      }
    });

    it('escapes everything it echoes into its pages', async () => {
      const attack = '"><script>alert(1)</script>';
      const parameters = authorizeParameters(pkce().challenge, { state: attack });
      const page = await (
        await fetch(`${issuer.authorizationEndpoint}?${parameters.toString()}`)
      ).text();
      expect(page).not.toContain('<script>');
      expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(formFields(page).get('state')).toBe(attack);

      const form = authorizeParameters(pkce().challenge);
      form.set('username', attack);
      const again = await (await postForm(issuer.authorizationEndpoint, form)).text();
      expect(again).not.toContain('<script>');

      const refused = await (
        await fetch(
          `${issuer.authorizationEndpoint}?${authorizeParameters('x', { client_id: attack }).toString()}`,
        )
      ).text();
      expect(refused).not.toContain('<script>');
      expect(refused).toContain('&lt;script&gt;');
    });
  });
});

describe('the signing key', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tap-oidc-'));
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('is kept in the data folder (mode 0600) and reused after a restart', async () => {
    const first = await startOidcIssuer({ ...baseOptions, dataDir });
    const { accessToken } = await first.issueTokens({ username: 'alice' });
    await first.stop();

    const file = signingKeyFile(dataDir);
    expect(path.relative(dataDir, file)).toBe(path.join('oidc', 'signing-key.json'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ kty: 'RSA', kid: first.jwks.keys[0]!.kid });
    expect(typeof stored['d']).toBe('string');

    const second = await startOidcIssuer({ ...baseOptions, dataDir });
    try {
      expect(second.jwks).toEqual(first.jwks);
      // A token from before the restart still verifies against the restarted issuer's JWKS
      // (the issuer URL differs with the port, so it is checked separately).
      const verifier = JwtVerifier.create({
        issuer: first.issuerUrl,
        audience: null,
        jwksUri: second.jwksUri,
      });
      verifier.cacheJwks(second.jwks);
      await expect(verifier.verify(accessToken)).resolves.toMatchObject({ username: 'alice' });
    } finally {
      await second.stop();
    }
  });

  it('is new on every start without a data folder', async () => {
    const first = await startOidcIssuer(baseOptions);
    const second = await startOidcIssuer(baseOptions);
    try {
      expect(second.jwks.keys[0]!.kid).not.toBe(first.jwks.keys[0]!.kid);
      expect(second.jwks.keys[0]!.n).not.toBe(first.jwks.keys[0]!.n);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('is the same for issuers starting together on one data folder', async () => {
    const issuers = await Promise.all([
      startOidcIssuer({ ...baseOptions, dataDir }),
      startOidcIssuer({ ...baseOptions, dataDir }),
    ]);
    try {
      expect(issuers[1]!.jwks).toEqual(issuers[0]!.jwks);
    } finally {
      await Promise.all(issuers.map((started) => started.stop()));
    }
  });

  it('refuses a key file that holds no usable key, naming it', async () => {
    const file = signingKeyFile(dataDir);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"kty":"RSA","n":"AQAB","e":"AQAB"}');
    await expect(startOidcIssuer({ ...baseOptions, dataDir })).rejects.toThrow(
      `The signing key file ${file} holds no usable RS256 key: it lacks d, p, q, dp, dq, qi`,
    );
    await writeFile(file, 'not json');
    await expect(startOidcIssuer({ ...baseOptions, dataDir })).rejects.toThrow(/is not JSON/);
  });
});

describe('issuer options', () => {
  it.each([
    ['a user pool id without region', { userPoolId: 'localpool' }, /userPoolId/],
    ['a client id with a space', { clientId: 'my client' }, /clientId/],
    ['a scope with a slash', { scopes: ['items/read'] }, /scope names/],
    ['a token lifetime over a day', { accessTokenSeconds: 90_000 }, /accessTokenSeconds/],
  ])('refuses %s', async (_case, overrides, message) => {
    await expect(startOidcIssuer({ ...baseOptions, ...overrides })).rejects.toThrow(message);
  });
});
