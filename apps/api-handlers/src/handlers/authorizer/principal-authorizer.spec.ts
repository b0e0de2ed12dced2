/**
 * The principal authorizer built as its composition root builds it (src/functions/authorizer.ts):
 * the real aws-jwt-verify verifier with the issuer's JWKS given at cold start, and the real
 * DynamoDB key store on a key table in the emulator. Only the clock, the JWKS fetcher and,
 * where a test counts reads or breaks the table, a wrapper around the store are the test's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Jwks } from 'aws-jwt-verify/jwk';
import {
  API_KEY_HEADER,
  formatMachineKey,
  MACHINE_KEY_CACHE_SECONDS,
  RESOURCE_SERVER,
  type MachineKeyParts,
} from '@tap/contracts';
import { hashKeySecret } from '@tap/contracts/machine-key-hash';
import { NO_TRACING } from '@tap/lambda-runtime';
import {
  dynamoDbClientFor,
  ensureKeyTable,
  startEmulators,
  useEmulatorEnvironment,
  type Emulators,
} from '@tap/test-support';
import { createDocumentClient } from '../../adapters/aws/dynamodb-client';
import { createDynamoDbMachineKeyStore } from '../../adapters/dynamodb/dynamodb-machine-key-store';
import { createJwtTokenVerifier } from '../../adapters/tokens/jwt-token-verifier';
import type { MachineKeyStore } from '../../core/credentials';
import { recordingMetrics, type RecordingMetrics } from '../../../test/support/recording-metrics';
import {
  startTokenIssuer,
  type Fields,
  type IssuedKey,
  type TokenIssuer,
} from '../../../test/support/token-issuer';
import {
  AUTHORIZER_METRICS,
  createPrincipalAuthorizer,
  UNAUTHORIZED_MESSAGE,
  UNAVAILABLE_MESSAGE,
  type AuthorizerResult,
} from './principal-authorizer';

const ISSUER = 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_TapTest';
const JWKS_URI = `${ISSUER}/.well-known/jwks.json`;
const WEB_CLIENT = 'tap-web-client';
const CLI_CLIENT = 'tap-cli-client';
const KID = 'tap-signing-key-1';
const SUB = '7d3c9a4e-5b6f-4c1d-8e2a-9f0b1c2d3e4f';
const KEY_TABLE = 'tap-machine-keys-test';
const BOTH_SCOPES = `${RESOURCE_SERVER}/items:read ${RESOURCE_SERVER}/items:write`;

let emulators: Emulators;
let documentClient: DynamoDBDocumentClient;
/** Writes key records as the key command would, beside the authorizer's own client. */
let tableWriter: DynamoDBDocumentClient;
let issuer: TokenIssuer;
/** The user pool's signing key. */
let poolKey: IssuedKey;
/** The user pool's next signing key, not yet in the JWKS given at deployment. */
let rotatedKey: IssuedKey;
/** The user pool's JWKS, as the deployment gives it to the function. */
let jwks: Jwks;

beforeAll(async () => {
  emulators = await startEmulators();
  useEmulatorEnvironment(emulators);
  await ensureKeyTable(emulators.dynamoDbEndpoint, KEY_TABLE);
  // The composition root's client, as every API function builds it.
  documentClient = createDocumentClient();
  tableWriter = DynamoDBDocumentClient.from(dynamoDbClientFor(emulators.dynamoDbEndpoint));
  issuer = startTokenIssuer();
  [poolKey, rotatedKey] = await Promise.all([
    issuer.createKey('pool', KID),
    issuer.createKey('rotated', 'tap-signing-key-2'),
    // Another key pair that claims the pool's kid: a forger's.
    issuer.createKey('forger', KID),
    issuer.createKey('stranger', 'a-kid-nobody-publishes'),
    issuer.createKey('stranger-2', 'another-kid-nobody-publishes'),
  ]);
  jwks = { keys: [poolKey.jwk] };
});

afterAll(async () => {
  await issuer.stop();
  documentClient.destroy();
  tableWriter.destroy();
  await emulators.stop();
});

// --- the authorizer under test -------------------------------------------------------

interface LogLine {
  readonly level: 'error' | 'warn' | 'info';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

interface AuthorizerUnderTest {
  call(headers: Record<string, string>): Promise<AuthorizerResult>;
  /** Calls, expects the gateway's 401 (`Unauthorized`), and returns the logged reason. */
  refusal(headers: Record<string, string>): Promise<string>;
  /** Everything the authorizer logged. */
  readonly logs: LogLine[];
  readonly metrics: RecordingMetrics;
  /** URIs the JWKS fetcher was asked for. */
  readonly fetches: string[];
  /** Key ids read from the key table (through the store). */
  readonly reads: string[];
}

interface BuildOptions {
  /** The authorizer's clock, in ms. */
  readonly now?: () => number;
  /** What the issuer's JWKS URI answers when the verifier fetches it; default: the given JWKS. */
  readonly servedJwks?: Jwks;
  /** Wraps the real store (to break it). */
  readonly wrapStore?: (store: MachineKeyStore) => MachineKeyStore;
}

/** A request authorizer event (payload 2.0) as API Gateway sends it. */
const authorizerEvent = (headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: 'arn:aws:execute-api:us-west-2:123456789012:api/$default/GET/api/items',
  identitySource: [],
  routeKey: 'GET /api/items',
  rawPath: '/api/items',
  rawQueryString: '',
  cookies: [],
  headers: { host: 'api.example.test', ...headers },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: {
      method: 'GET',
      path: '/api/items',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'jest',
    },
    requestId: `req-${randomUUID()}`,
    routeKey: 'GET /api/items',
    stage: '$default',
    time: new Date().toISOString(),
    timeEpoch: Date.now(),
  },
});

/** A fresh authorizer (a cold container: empty caches), wired as the composition root wires it. */
function buildAuthorizer(options: BuildOptions = {}): AuthorizerUnderTest {
  const logs: LogLine[] = [];
  const fetches: string[] = [];
  const reads: string[] = [];
  const metrics = recordingMetrics();
  const realStore = createDynamoDbMachineKeyStore({
    client: NO_TRACING.captureClient(documentClient),
    tableName: KEY_TABLE,
  });
  const store = options.wrapStore ? options.wrapStore(realStore) : realStore;
  const log =
    (level: LogLine['level']) =>
    (message: string, ...attributes: Record<string, unknown>[]): void => {
      logs.push({ level, message, attributes: Object.assign({}, ...attributes) });
    };
  const handler = createPrincipalAuthorizer({
    tokens: createJwtTokenVerifier({
      issuer: ISSUER,
      jwksUri: JWKS_URI,
      clientIds: [WEB_CLIENT, CLI_CLIENT],
      jwks,
      fetcher: {
        async fetch(uri) {
          fetches.push(uri);
          return new TextEncoder().encode(JSON.stringify(options.servedJwks ?? jwks)).buffer;
        },
      },
      ...(options.now ? { now: options.now } : {}),
    }),
    keys: {
      find(keyId) {
        reads.push(keyId);
        return store.find(keyId);
      },
    },
    logger: { error: log('error'), warn: log('warn'), info: log('info') },
    metrics,
    tracing: NO_TRACING,
    ...(options.now ? { now: options.now } : {}),
  });
  const call = (headers: Record<string, string>) => handler(authorizerEvent(headers));
  return {
    call,
    async refusal(headers) {
      const before = logs.length;
      await expect(call(headers)).rejects.toThrow(new Error(UNAUTHORIZED_MESSAGE));
      const refused = logs.slice(before).filter((line) => line.message === 'credential refused');
      expect(refused).toHaveLength(1);
      return String(refused[0]!.attributes['reason']);
    },
    logs,
    metrics,
    fetches,
    reads,
  };
}

/** The sum of one authorizer metric over every invocation. */
const metricTotal = (metrics: RecordingMetrics, name: string): number =>
  metrics
    .flattened()
    .reduce((total, line) => total + (typeof line[name] === 'number' ? line[name] : 0), 0);

// --- tokens ---------------------------------------------------------------------------

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The claims of a user pool access token (Cognito's shape) for a user of acme. */
function accessClaims(overrides: Fields = {}): Fields {
  const issuedAt = nowSeconds();
  return {
    sub: SUB,
    'cognito:groups': ['tenant:acme'],
    iss: ISSUER,
    version: 2,
    client_id: WEB_CLIENT,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: BOTH_SCOPES,
    auth_time: issuedAt,
    iat: issuedAt,
    exp: issuedAt + 3600,
    jti: randomUUID(),
    username: 'alice',
    ...overrides,
  };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

const poolToken = (overrides: Fields = {}): Promise<string> =>
  issuer.sign('pool', accessClaims(overrides));

const base64urlJson = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

const decodeSegment = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

// --- machine keys ---------------------------------------------------------------------

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new key's parts: a random 16-character base32 id and 32 random bytes of secret. */
const newKeyParts = (): MachineKeyParts => ({
  keyId: Array.from(randomBytes(16), (byte) => BASE32[byte % 32]).join(''),
  secret: randomBytes(32).toString('base64url'),
});

/** A record as the key command writes it, for `parts`; `overrides` replace or add fields. */
const keyRecord = (parts: MachineKeyParts, overrides: Record<string, unknown> = {}) => ({
  keyId: parts.keyId,
  secretHash: hashKeySecret(parts.secret),
  tenant: 'acme',
  client: 'billing-sync',
  scopes: ['items:read'],
  status: 'active',
  createdAt: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

/** Writes a record to the key table; returns the presented key. */
async function putKey(
  overrides: Record<string, unknown> = {},
  parts: MachineKeyParts = newKeyParts(),
): Promise<{ readonly key: string; readonly parts: MachineKeyParts }> {
  const item = Object.fromEntries(
    Object.entries(keyRecord(parts, overrides)).filter(([, value]) => value !== undefined),
  );
  await tableWriter.send(new PutCommand({ TableName: KEY_TABLE, Item: item }));
  return { key: formatMachineKey(parts), parts };
}

const revokeKey = (keyId: string): Promise<unknown> =>
  tableWriter.send(
    new UpdateCommand({
      TableName: KEY_TABLE,
      Key: { keyId },
      UpdateExpression: 'SET #status = :revoked, revokedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':revoked': 'revoked', ':at': new Date().toISOString() },
    }),
  );

const apiKey = (key: string): Record<string, string> => ({ [API_KEY_HEADER]: key });

// --- the tests ------------------------------------------------------------------------

describe('user access tokens', () => {
  it('allows a valid access token as the user, in the tenant of their tenant group', async () => {
    const authorizer = buildAuthorizer();

    const result = await authorizer.call(bearer(await poolToken()));

    expect(result).toEqual({
      isAuthorized: true,
      context: { kind: 'user', tenant: 'acme', subject: SUB, scopes: 'items:read items:write' },
    });
    // Verified against the JWKS given at cold start: nothing was fetched, nothing read.
    expect(authorizer.fetches).toEqual([]);
    expect(authorizer.reads).toEqual([]);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.allowed)).toBe(1);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.denied)).toBe(0);
  });

  it("accepts every configured app client's tokens", async () => {
    const authorizer = buildAuthorizer();

    const result = await authorizer.call(bearer(await poolToken({ client_id: CLI_CLIENT })));

    expect(result.isAuthorized).toBe(true);
    expect(result.context.tenant).toBe('acme');
  });

  it('places a user in no tenant group in their own tenant, user-<sub>', async () => {
    const authorizer = buildAuthorizer();
    const noGroups = { ...accessClaims(), 'cognito:groups': undefined };

    const ungrouped = await authorizer.call(bearer(await issuer.sign('pool', noGroups)));
    const otherGroups = await authorizer.call(
      bearer(await poolToken({ 'cognito:groups': ['admins', 'beta-testers'] })),
    );

    for (const result of [ungrouped, otherGroups]) {
      expect(result).toEqual({
        isAuthorized: true,
        context: {
          kind: 'user',
          tenant: `user-${SUB}`,
          subject: SUB,
          scopes: 'items:read items:write',
        },
      });
    }
  });

  it('refuses a user in two tenant groups, or in a malformed one, rather than pick a tenant', async () => {
    const authorizer = buildAuthorizer();

    const twoTenants = await authorizer.refusal(
      bearer(await poolToken({ 'cognito:groups': ['tenant:acme', 'tenant:globex'] })),
    );
    const malformed = await authorizer.refusal(
      bearer(await poolToken({ 'cognito:groups': ['tenant:Acme Corp'] })),
    );
    // The same group twice is one tenant.
    const repeated = await authorizer.call(
      bearer(await poolToken({ 'cognito:groups': ['tenant:acme', 'tenant:acme'] })),
    );

    expect(twoTenants).toBe('ambiguous-tenant');
    expect(malformed).toBe('ambiguous-tenant');
    expect(repeated.context.tenant).toBe('acme');
  });

  it("refuses a group naming someone's personal tenant, and groups that are not a list", async () => {
    const authorizer = buildAuthorizer();

    const personal = await authorizer.refusal(
      bearer(await poolToken({ 'cognito:groups': [`tenant:user-${randomUUID()}`] })),
    );
    const notAList = await authorizer.refusal(
      bearer(await poolToken({ 'cognito:groups': 'tenant:acme' })),
    );

    expect(personal).toBe('ambiguous-tenant');
    expect(notAList).toBe('ambiguous-tenant');
  });

  it("grants nothing for another resource server's scopes, or for OpenID ones", async () => {
    const authorizer = buildAuthorizer();

    const foreign = await authorizer.call(
      bearer(await poolToken({ scope: 'other/items:read other/items:write openid email' })),
    );
    const mixed = await authorizer.call(
      bearer(await poolToken({ scope: `other/items:write ${RESOURCE_SERVER}/items:read` })),
    );
    const bare = await authorizer.call(bearer(await poolToken({ scope: 'items:write' })));

    expect(foreign.context.scopes).toBe('');
    expect(mixed.context.scopes).toBe('items:read');
    expect(bare.context.scopes).toBe('');
  });
});

describe('token attacks', () => {
  it('refuses an expired token', async () => {
    const authorizer = buildAuthorizer();
    const issuedAt = nowSeconds() - 7200;

    const reason = await authorizer.refusal(
      bearer(await poolToken({ iat: issuedAt, auth_time: issuedAt, exp: nowSeconds() - 60 })),
    );

    expect(reason).toBe('expired-token');
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.denied)).toBe(1);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.allowed)).toBe(0);
  });

  it('refuses a token without an expiry, which would never expire', async () => {
    const authorizer = buildAuthorizer();

    const reason = await authorizer.refusal(bearer(await poolToken({ exp: undefined })));

    expect(reason).toBe('no-expiry');
  });

  it('refuses a token it verified before, once the token has expired', async () => {
    let now = Date.now();
    const authorizer = buildAuthorizer({ now: () => now });
    const token = await poolToken({ exp: Math.floor(now / 1000) + 60 });

    const first = await authorizer.call(bearer(token));
    const again = await authorizer.call(bearer(token));
    now += 61_000;
    const reason = await authorizer.refusal(bearer(token));

    expect(first.context).toEqual(again.context);
    expect(reason).toBe('expired-token');
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const authorizer = buildAuthorizer();

    const reason = await authorizer.refusal(bearer(await poolToken({ nbf: nowSeconds() + 600 })));

    expect(reason).toBe('token-not-yet-valid');
  });

  it('refuses a token of another issuer, signed with the right key', async () => {
    const authorizer = buildAuthorizer();

    const reason = await authorizer.refusal(
      bearer(
        await poolToken({ iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Other' }),
      ),
    );

    expect(reason).toBe('wrong-issuer');
  });

  it('refuses a token of another app client', async () => {
    const authorizer = buildAuthorizer();

    const reason = await authorizer.refusal(
      bearer(await poolToken({ client_id: 'someone-elses-client' })),
    );

    expect(reason).toBe('wrong-client');
  });

  it('refuses an ID token, even one whose audience is an accepted client', async () => {
    const authorizer = buildAuthorizer();
    const issuedAt = nowSeconds();
    const idToken = await issuer.sign('pool', {
      sub: SUB,
      'cognito:groups': ['tenant:acme'],
      iss: ISSUER,
      aud: WEB_CLIENT,
      token_use: 'id',
      auth_time: issuedAt,
      iat: issuedAt,
      exp: issuedAt + 3600,
      email: 'alice@example.test',
    });

    const reason = await authorizer.refusal(bearer(idToken));

    expect(reason).toBe('not-an-access-token');
  });

  it("refuses alg 'none', unsigned or under a valid token's signature", async () => {
    const authorizer = buildAuthorizer();
    const none = base64urlJson({ alg: 'none', kid: KID, typ: 'JWT' });
    const claims = base64urlJson(accessClaims());
    const signature = (await poolToken()).split('.')[2]!;

    const unsigned = await authorizer.refusal(bearer(`${none}.${claims}.`));
    const resigned = await authorizer.refusal(bearer(`${none}.${claims}.${signature}`));

    expect(unsigned).toBe('malformed-token');
    expect(resigned).toBe('wrong-algorithm');
  });

  it('refuses HS256 signed with the public key as the HMAC secret', async () => {
    const authorizer = buildAuthorizer();
    const publicKeyForms = [
      // The classic confusion: the verifier's public key, as PEM or as its JWKS entry.
      poolKey.pem,
      JSON.stringify(poolKey.jwk),
      String(poolKey.jwk['n']),
    ];

    for (const secret of publicKeyForms) {
      const reason = await authorizer.refusal(
        bearer(await issuer.signHmac(secret, accessClaims(), { kid: KID })),
      );
      expect(reason).toBe('wrong-algorithm');
    }
    expect(authorizer.fetches).toEqual([]);
  });

  it('refuses a tampered payload under the original signature', async () => {
    const authorizer = buildAuthorizer();
    const token = await poolToken({ scope: `${RESOURCE_SERVER}/items:read` });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = decodeSegment(payload);
    const tampered = base64urlJson({
      ...claims,
      'cognito:groups': ['tenant:globex'],
      scope: BOTH_SCOPES,
    });

    // The untouched token is fine: only the change is refused.
    await expect(authorizer.call(bearer(token))).resolves.toMatchObject({ isAuthorized: true });
    const reason = await authorizer.refusal(bearer(`${header}.${tampered}.${signature}`));

    expect(reason).toBe('bad-signature');
  });

  it("refuses a forger's key pair that claims the pool's kid", async () => {
    const authorizer = buildAuthorizer();

    const reason = await authorizer.refusal(bearer(await issuer.sign('forger', accessClaims())));

    expect(reason).toBe('bad-signature');
    // The kid is known: no fetch is made for it.
    expect(authorizer.fetches).toEqual([]);
  });

  it('refuses an unknown kid after one JWKS fetch, and fetches no more for the next one', async () => {
    const authorizer = buildAuthorizer();

    const first = await authorizer.refusal(bearer(await issuer.sign('stranger', accessClaims())));
    expect(authorizer.fetches).toEqual([JWKS_URI]);
    const second = await authorizer.refusal(
      bearer(await issuer.sign('stranger-2', accessClaims())),
    );
    // The known key keeps working meanwhile.
    const valid = await authorizer.call(bearer(await poolToken()));

    expect(first).toBe('unknown-signing-key');
    // The penalty box holds the next fetch back: a stream of made-up kids is no stream of fetches.
    expect(second).toBe('unknown-signing-key');
    expect(authorizer.fetches).toEqual([JWKS_URI]);
    expect(valid.isAuthorized).toBe(true);
  });

  it("accepts the pool's rotated key once the fetched JWKS lists it, with one fetch", async () => {
    const authorizer = buildAuthorizer({ servedJwks: { keys: [...jwks.keys, rotatedKey.jwk] } });

    const first = await authorizer.call(bearer(await issuer.sign('rotated', accessClaims())));
    const second = await authorizer.call(bearer(await issuer.sign('rotated', accessClaims())));

    expect(first.isAuthorized).toBe(true);
    expect(second.context.subject).toBe(SUB);
    expect(authorizer.fetches).toEqual([JWKS_URI]);
  });

  it('refuses an Authorization header that is not a bearer JWT', async () => {
    const authorizer = buildAuthorizer();
    const token = await poolToken();

    const refusals = [
      await authorizer.refusal({
        authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}`,
      }),
      await authorizer.refusal({ authorization: 'Bearer garbage' }),
      await authorizer.refusal({ authorization: `Bearer  ${token}` }),
      await authorizer.refusal({ authorization: token }),
      await authorizer.refusal({ authorization: '' }),
    ];
    // JWT-shaped garbage gets as far as the verifier, which refuses it too.
    const shaped = await authorizer.refusal({ authorization: 'Bearer abc.def.ghi' });

    expect(refusals).toEqual(Array(refusals.length).fill('malformed-token'));
    expect(shaped).toBe('malformed-token');
    // The same token, properly presented, is fine.
    await expect(authorizer.call(bearer(token))).resolves.toMatchObject({ isAuthorized: true });
  });
});

describe('machine keys', () => {
  it("allows a key with its record's tenant, its client as subject and its scopes", async () => {
    const authorizer = buildAuthorizer();
    const { key, parts } = await putKey({ tenant: 'globex', client: 'billing-sync' });

    const result = await authorizer.call(apiKey(key));

    expect(result).toEqual({
      isAuthorized: true,
      context: { kind: 'machine', tenant: 'globex', subject: 'billing-sync', scopes: 'items:read' },
    });
    expect(authorizer.reads).toEqual([parts.keyId]);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.keyLookups)).toBe(1);
  });

  it('reads scopes stored as a string set as well as a list, in contract order', async () => {
    const authorizer = buildAuthorizer();
    const asSet = await putKey({ scopes: new Set(['items:write', 'items:read']) });
    const asList = await putKey({ scopes: ['items:write', 'items:read'] });
    const none = await putKey({ scopes: [] });

    const results = [
      await authorizer.call(apiKey(asSet.key)),
      await authorizer.call(apiKey(asList.key)),
      await authorizer.call(apiKey(none.key)),
    ];

    expect(results.map((result) => result.context.scopes)).toEqual([
      'items:read items:write',
      'items:read items:write',
      '',
    ]);
  });

  it('refuses a wrong secret and an unknown id alike, and logs no secret', async () => {
    const authorizer = buildAuthorizer();
    const { parts } = await putKey();
    const wrongSecret = formatMachineKey({ keyId: parts.keyId, secret: newKeyParts().secret });
    const unknownId = formatMachineKey({ keyId: newKeyParts().keyId, secret: parts.secret });

    const reasons = [
      await authorizer.refusal(apiKey(wrongSecret)),
      await authorizer.refusal(apiKey(unknownId)),
    ];

    expect(reasons).toEqual(['unknown-key', 'unknown-key']);
    const logged = JSON.stringify(authorizer.logs);
    expect(logged).not.toContain(parts.secret);
    expect(logged).not.toContain(wrongSecret);
    // The right key still works: the refusals were the secret's and the id's.
    await expect(authorizer.call(apiKey(formatMachineKey(parts)))).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it('refuses a malformed key without reading the table', async () => {
    const authorizer = buildAuthorizer();
    const { parts } = await putKey();
    const malformed = [
      'not-a-key',
      `tap_${parts.keyId}`,
      `tap_${parts.keyId.toUpperCase()}_${parts.secret}`,
      `tap_${parts.keyId}_${parts.secret.slice(1)}`,
      `tap_${parts.keyId}_${parts.secret}x`,
      `TAP_${parts.keyId}_${parts.secret}`,
      ` ${formatMachineKey(parts)}`,
      `tap_${parts.keyId.slice(1)}1_${parts.secret}`,
    ];

    for (const key of malformed) {
      expect(await authorizer.refusal(apiKey(key))).toBe('malformed-key');
    }
    expect(authorizer.reads).toEqual([]);
  });

  it('refuses a revoked key', async () => {
    const authorizer = buildAuthorizer();
    const { key } = await putKey({ status: 'revoked', revokedAt: '2030-01-02T00:00:00.000Z' });

    expect(await authorizer.refusal(apiKey(key))).toBe('revoked-key');
  });

  it('refuses an expired key, and allows one that expires later', async () => {
    const authorizer = buildAuthorizer();
    const expired = await putKey({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const expiring = await putKey({ expiresAt: new Date(Date.now() + 60_000).toISOString() });

    expect(await authorizer.refusal(apiKey(expired.key))).toBe('expired-key');
    await expect(authorizer.call(apiKey(expiring.key))).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['without a secret hash', { secretHash: undefined }],
    ['with a secret hash that is not hex SHA-256', { secretHash: 'not-a-digest' }],
    ['with an unknown status', { status: 'paused' }],
    ['without a status', { status: undefined }],
    ['with a scope the contract does not declare', { scopes: ['items:read', 'items:admin'] }],
    ['with scopes that are not a list', { scopes: 'items:read' }],
    ['with a malformed tenant', { tenant: 'Acme Corp' }],
    ["naming a user's personal tenant", { tenant: 'user-0f8fad5b-d9cb-469f-a165-70867728950e' }],
    ['without a tenant', { tenant: undefined }],
    ['without a client', { client: undefined }],
    ['with a client that is not a string', { client: 42 }],
    ['with an empty client', { client: '' }],
    ['with a creation time that is not an instant', { createdAt: 'yesterday' }],
    ['with an expiry that is not an instant', { expiresAt: 'soon' }],
  ])('refuses a key whose record is malformed: %s', async (_, overrides) => {
    const authorizer = buildAuthorizer();
    const parts = newKeyParts();
    // The same key with a well-formed record is allowed: only the malformation is refused.
    const control = await putKey({}, parts);
    await expect(buildAuthorizer().call(apiKey(control.key))).resolves.toMatchObject({
      isAuthorized: true,
    });
    await putKey(overrides, parts);

    expect(await authorizer.refusal(apiKey(formatMachineKey(parts)))).toBe('unknown-key');
  });

  it('refuses a token and a key sent together, though each alone is valid', async () => {
    const authorizer = buildAuthorizer();
    const token = await poolToken();
    const { key } = await putKey();

    const reason = await authorizer.refusal({ ...bearer(token), ...apiKey(key) });

    expect(reason).toBe('two-credentials');
    expect(authorizer.reads).toEqual([]);
    await expect(authorizer.call(bearer(token))).resolves.toMatchObject({ isAuthorized: true });
    await expect(authorizer.call(apiKey(key))).resolves.toMatchObject({ isAuthorized: true });
  });

  it('refuses a request with no credential (or an empty key)', async () => {
    const authorizer = buildAuthorizer();

    expect(await authorizer.refusal({})).toBe('no-credential');
    expect(await authorizer.refusal(apiKey(''))).toBe('no-credential');
    expect(await authorizer.refusal({ 'x-api-token': 'tap_whatever' })).toBe('no-credential');
  });

  it('finds the credentials whatever case the header names arrive in', async () => {
    const authorizer = buildAuthorizer();
    const { key } = await putKey();

    const mixedCase = API_KEY_HEADER.replace(/(^|-)([a-z])/g, (letter) => letter.toUpperCase());
    const byKey = await authorizer.call({ [mixedCase]: key });
    const byToken = await authorizer.call({ Authorization: `Bearer ${await poolToken()}` });
    const both = await authorizer.refusal({
      [API_KEY_HEADER.toUpperCase()]: key,
      Authorization: 'Bearer x.y.z',
    });

    expect(byKey.context.kind).toBe('machine');
    expect(byToken.context.kind).toBe('user');
    expect(both).toBe('two-credentials');
  });
});

describe('caching and revocation', () => {
  const TTL_MS = MACHINE_KEY_CACHE_SECONDS * 1000;

  it('keeps a revoked key working until MACHINE_KEY_CACHE_SECONDS pass, then refuses it', async () => {
    let clock = Date.parse('2030-06-01T12:00:00.000Z');
    const authorizer = buildAuthorizer({ now: () => clock });
    const revoked = await putKey();
    const other = await putKey();
    const start = clock;

    await expect(authorizer.call(apiKey(revoked.key))).resolves.toMatchObject({
      isAuthorized: true,
    });
    await expect(authorizer.call(apiKey(other.key))).resolves.toMatchObject({
      isAuthorized: true,
    });
    await revokeKey(revoked.parts.keyId);

    // Inside the cache period the record read before the revocation is used.
    clock = start + TTL_MS - 1;
    await expect(authorizer.call(apiKey(revoked.key))).resolves.toMatchObject({
      isAuthorized: true,
    });
    // Once it has passed, the record is read again and the key refused.
    clock = start + TTL_MS;
    expect(await authorizer.refusal(apiKey(revoked.key))).toBe('revoked-key');
    clock = start + 10 * TTL_MS;
    expect(await authorizer.refusal(apiKey(revoked.key))).toBe('revoked-key');

    // The other key never noticed.
    for (const at of [start + TTL_MS - 1, start + TTL_MS, start + 10 * TTL_MS]) {
      clock = at;
      await expect(authorizer.call(apiKey(other.key))).resolves.toMatchObject({
        isAuthorized: true,
        context: { subject: 'billing-sync' },
      });
    }
    expect(authorizer.reads.filter((id) => id === revoked.parts.keyId)).toHaveLength(3);
  });

  it('refuses a key at its expiry even while its record is cached', async () => {
    let clock = Date.parse('2030-06-01T12:00:00.000Z');
    const authorizer = buildAuthorizer({ now: () => clock });
    const { key } = await putKey({ expiresAt: new Date(clock + 2000).toISOString() });

    await expect(authorizer.call(apiKey(key))).resolves.toMatchObject({ isAuthorized: true });
    clock += 2000;

    expect(await authorizer.refusal(apiKey(key))).toBe('expired-key');
    expect(authorizer.reads).toHaveLength(1);
  });

  it('makes one GetItem for 20 concurrent requests with one new key', async () => {
    const authorizer = buildAuthorizer();
    const { key, parts } = await putKey({ scopes: ['items:read', 'items:write'] });

    const results = await Promise.all(
      Array.from({ length: 20 }, () => authorizer.call(apiKey(key))),
    );

    expect(results).toHaveLength(20);
    for (const result of results) {
      expect(result).toEqual({
        isAuthorized: true,
        context: {
          kind: 'machine',
          tenant: 'acme',
          subject: 'billing-sync',
          scopes: 'items:read items:write',
        },
      });
    }
    expect(authorizer.reads).toEqual([parts.keyId]);
  });

  it('caches an unknown id too, so a stream of one made-up key costs one read', async () => {
    const authorizer = buildAuthorizer();
    const unknown = formatMachineKey(newKeyParts());

    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await authorizer.refusal(apiKey(unknown))).toBe('unknown-key');
    }

    expect(authorizer.reads).toHaveLength(1);
  });
});

describe('failing closed', () => {
  it('answers a key table failure with an error that is not Unauthorized (a 500)', async () => {
    let failing = true;
    const authorizer = buildAuthorizer({
      wrapStore: (store) => ({
        async find(keyId) {
          if (failing) throw new Error('ProvisionedThroughputExceededException');
          return store.find(keyId);
        },
      }),
    });
    const { key, parts } = await putKey();

    const error = await authorizer.call(apiKey(key)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toBe(UNAUTHORIZED_MESSAGE);
    expect((error as Error).message).toBe(UNAVAILABLE_MESSAGE);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.failed)).toBe(1);
    expect(metricTotal(authorizer.metrics, AUTHORIZER_METRICS.allowed)).toBe(0);
    expect(authorizer.logs.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(JSON.stringify(authorizer.logs)).not.toContain(parts.secret);

    // A failed read is not cached: once the table answers, the key works.
    failing = false;
    await expect(authorizer.call(apiKey(key))).resolves.toMatchObject({ isAuthorized: true });
  });

  it('fails closed while the key table is unreachable, and serves tokens meanwhile', async () => {
    const authorizer = buildAuthorizer();
    const { key } = await putKey();
    const token = await poolToken();

    await emulators.dynamodb.stop();
    try {
      await expect(authorizer.call(apiKey(key))).rejects.toThrow(new Error(UNAVAILABLE_MESSAGE));
      await expect(authorizer.call(bearer(token))).resolves.toMatchObject({ isAuthorized: true });
    } finally {
      await emulators.dynamodb.start();
    }

    await expect(authorizer.call(apiKey(key))).resolves.toMatchObject({ isAuthorized: true });
  });
});
