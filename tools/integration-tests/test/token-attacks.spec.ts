/**
 * Token attacks: credentials crafted the way an attacker would, each refused by the
 * authorizer with the one 401 every refusal gets, next to controls that show the same
 * request with a good credential is served. The crafted tokens are signed with the local
 * issuer's real key (`issuer.signJwt`), so each one differs from a good token in exactly
 * the property under attack; they need the local cloud in hand.
 */
import { API_KEY_HEADER, ProblemTypes } from '@tap/contracts';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWTPayload,
} from 'jose';
import { randomUUID } from 'node:crypto';
import { RawHttp, type RawResponse } from './support/raw-http';
import {
  freshTenant,
  itLocally,
  itWithUserTokens,
  startTarget,
  type Target,
  type TestMachineKey,
} from './support/target';

const UNAUTHORIZED = { message: 'Unauthorized' };

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('token attacks', () => {
  let target: Target;
  let http: RawHttp;
  const tenant = freshTenant('tok');
  const otherTenant = freshTenant('tok-other');
  const username = `mallory-${randomUUID().slice(0, 8)}`;
  let key: TestMachineKey;
  /** A good access token of `tenant`, with every scope (local cloud only). */
  let goodToken: string;
  /** Its claims and header, which the crafted tokens start from. */
  let claims: JWTPayload;
  let kid: string;
  let ownItem: string;

  const now = (): number => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl);
    key = await target.machineKey({ tenant });
    const created = await http.send({
      method: 'POST',
      path: '/api/items',
      headers: { [API_KEY_HEADER]: key.key, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'the tenant under attack' }),
    });
    expect(created.status).toBe(201);
    ownItem = (created.json as { id: string }).id;
    if (target.userToken) {
      goodToken = await target.userToken({ user: username, tenant });
      claims = decodeJwt(goodToken);
      kid = decodeProtectedHeader(goodToken).kid!;
    }
  });

  afterAll(async () => {
    http?.close();
    await target?.stop();
  });

  const list = (headers: Record<string, string | readonly string[]>): Promise<RawResponse> =>
    http.send({ method: 'GET', path: '/api/items', headers });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A token the issuer would never sign, signed with its real key. */
  const resigned = (
    changes: Readonly<Record<string, unknown>>,
    header?: Readonly<Record<string, unknown>>,
  ): Promise<string> => target.cloud!.issuer.signJwt({ ...claims, ...changes }, header);

  const expectRefused = (response: RawResponse): void => {
    expect(response.status).toBe(401);
    expect(response.json).toEqual(UNAUTHORIZED);
    expect(response.text).not.toContain(ownItem);
  };

  const expectServed = (response: RawResponse): void => {
    expect(response.status).toBe(200);
    const ids = (response.json as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids).toContain(ownItem);
  };

  describe('controls', () => {
    it("serves the tenant's machine key", async () => {
      expectServed(await list({ [API_KEY_HEADER]: key.key }));
    });

    itWithUserTokens("serves the tenant's user with a good access token", async () => {
      expectServed(await list(bearer(goodToken)));
    });

    itLocally(
      'serves a good token re-signed unchanged, so each crafted token below differs only in what it attacks',
      async () => {
        expectServed(await list(bearer(await resigned({}))));
        expectServed(await list(bearer(await resigned({}, { kid }))));
      },
    );

    it('answers a request without any credential with the same 401', async () => {
      expectRefused(await list({}));
    });
  });

  describe('refused with 401 on GET /api/items', () => {
    const attacks: readonly (readonly [string, () => Promise<Record<string, string>>])[] = [
      [
        'an expired token (exp in the past)',
        async () =>
          bearer(await resigned({ iat: now() - 3660, auth_time: now() - 3660, exp: now() - 60 })),
      ],
      [
        'a token not yet valid (nbf in the future)',
        async () => bearer(await resigned({ nbf: now() + 600 })),
      ],
      [
        'a token of another issuer',
        async () =>
          bearer(
            await resigned({
              iss: target.cloud!.issuer.issuerUrl.replace(/[^/]+$/, 'us-west-2_otherpool'),
            }),
          ),
      ],
      [
        'a token of another issuer URL sharing the prefix',
        async () => bearer(await resigned({ iss: `${target.cloud!.issuer.issuerUrl}x` })),
      ],
      [
        'a token of another app client (client_id)',
        async () => bearer(await resigned({ client_id: 'anotherappclient0000000000' })),
      ],
      ['a token without client_id', async () => bearer(await resigned({ client_id: undefined }))],
      [
        'an unsigned token (alg: none)',
        async () => bearer(`${base64url({ alg: 'none', typ: 'JWT', kid })}.${base64url(claims)}.`),
      ],
      [
        "an HS256 token keyed with the issuer's public key (PEM)",
        async () => {
          const publicKey = await importJWK(target.cloud!.issuer.jwks.keys[0]!, 'RS256');
          const pem = await exportSPKI(publicKey as CryptoKey);
          const token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
            .sign(new TextEncoder().encode(pem));
          return bearer(token);
        },
      ],
      [
        "an HS256 token keyed with the issuer's public key (JWK)",
        async () => {
          const jwk = JSON.stringify(target.cloud!.issuer.jwks.keys[0]);
          const token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
            .sign(new TextEncoder().encode(jwk));
          return bearer(token);
        },
      ],
      [
        'a tampered payload (tenant group changed, signature kept)',
        async () => {
          const [header, , signature] = goodToken.split('.');
          const payload = base64url({ ...claims, 'cognito:groups': [`tenant:${otherTenant}`] });
          return bearer(`${header}.${payload}.${signature}`);
        },
      ],
      [
        'a tampered payload (expiry extended by a year, signature kept)',
        async () => {
          const [header, , signature] = goodToken.split('.');
          const payload = base64url({ ...claims, exp: now() + 86_400 * 365 });
          return bearer(`${header}.${payload}.${signature}`);
        },
      ],
      [
        'a token naming an unknown kid',
        async () => bearer(await resigned({}, { kid: `unknown-${randomUUID()}` })),
      ],
      [
        'a token signed by another key pair under the same kid',
        async () => {
          const { privateKey } = await generateKeyPair('RS256');
          const token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
            .sign(privateKey);
          return bearer(token);
        },
      ],
      [
        'an ID token where an access token is needed',
        async () => {
          const { idToken } = await target.cloud!.issuer.issueTokens({ username, tenant });
          const id = decodeJwt(idToken);
          expect(id).toMatchObject({
            token_use: 'id',
            aud: target.cloud!.outputs.UserPoolClientId,
          });
          return bearer(idToken);
        },
      ],
      [
        'an access token relabelled as an ID token (token_use id, aud the client)',
        async () =>
          bearer(
            await resigned({
              token_use: 'id',
              aud: target.cloud!.outputs.UserPoolClientId,
            }),
          ),
      ],
      [
        'a user in two tenant groups',
        async () =>
          bearer(
            await resigned({ 'cognito:groups': [`tenant:${tenant}`, `tenant:${otherTenant}`] }),
          ),
      ],
      ['a good token in the API key header', async () => ({ [API_KEY_HEADER]: goodToken })],
      [
        'a good token and a good machine key together (ambiguous)',
        async () => ({ ...bearer(goodToken), [API_KEY_HEADER]: key.key }),
      ],
      [
        'a good token as a Basic credential',
        async () => ({
          authorization: `Basic ${Buffer.from(`${username}:${goodToken}`).toString('base64')}`,
        }),
      ],
    ];

    for (const [label, headers] of attacks) {
      itLocally(`refuses ${label}`, async () => {
        expectRefused(await list(await headers()));
      });
    }

    // Without a token: these hold against a deployed stack too.
    const keyMisuses: readonly (readonly [string, () => Record<string, string>])[] = [
      ['a machine key as a bearer token', () => bearer(key.key)],
      [
        'a machine key as a Basic credential',
        () => ({ authorization: `Basic ${Buffer.from(`${key.key}:`).toString('base64')}` }),
      ],
      ['an empty bearer token', () => ({ authorization: 'Bearer ' })],
      ['the Bearer scheme alone', () => ({ authorization: 'Bearer' })],
    ];

    for (const [label, headers] of keyMisuses) {
      it(`refuses ${label}`, async () => {
        expectRefused(await list(headers()));
      });
    }
  });

  describe('scopes', () => {
    itWithUserTokens(
      'refuses a POST with 403 insufficient-scope to a good token without tap/items:write, and creates nothing',
      async () => {
        const readOnly = await target.userToken!({
          user: username,
          tenant,
          scopes: ['items:read'],
        });
        expect(decodeJwt(readOnly).scope).toBe('tap/items:read');
        const name = `written without the scope ${randomUUID()}`;
        const refused = await http.send({
          method: 'POST',
          path: '/api/items',
          headers: { ...bearer(readOnly), 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        expect(refused.status).toBe(403);
        expect(refused.json).toMatchObject({ type: ProblemTypes.insufficientScope, status: 403 });
        // The control: the same token reads.
        const listed = await http.send({
          method: 'GET',
          path: '/api/items?limit=100',
          headers: bearer(readOnly),
        });
        expectServed(listed);
        expect(listed.text).not.toContain(name);
      },
    );

    itLocally("grants nothing for another resource server's scopes", async () => {
      const foreign = await resigned({ scope: 'openid other/items:read other/items:write' });
      const read = await list(bearer(foreign));
      expect(read.status).toBe(403);
      expect(read.json).toMatchObject({ type: ProblemTypes.insufficientScope, status: 403 });
      expect(read.text).not.toContain(ownItem);
      const name = `written with another server's scope ${randomUUID()}`;
      const write = await http.send({
        method: 'POST',
        path: '/api/items',
        headers: { ...bearer(foreign), 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(write.status).toBe(403);
      const listed = await list({ [API_KEY_HEADER]: key.key });
      expectServed(listed);
      expect(listed.text).not.toContain(name);
    });

    itLocally('grants nothing for a scope spelled without its resource server', async () => {
      const bare = await resigned({ scope: 'items:read items:write' });
      const read = await list(bearer(bare));
      expect(read.status).toBe(403);
      expect(read.json).toMatchObject({ type: ProblemTypes.insufficientScope });
    });
  });
});
