import { formatMachineKey, parseMachineKey, SCOPES, type MachineKeyRecord } from '@tap/contracts';
import { hashKeySecret } from '@tap/contracts/machine-key-hash';
import {
  dynamoDbDocumentClientFor,
  ensureKeyTable,
  startEmulators,
  type Emulators,
} from '@tap/test-support';
import {
  createMachineKey,
  listMachineKeys,
  MachineKeyError,
  revokeMachineKey,
  rotateMachineKey,
  type KeyTable,
} from '../src/keys/machine-keys';
import { parseDuration, parseKeysCli } from '../src/keys-cli-options';

describe('machine keys in the key table', () => {
  let emulators: Emulators;
  let table: KeyTable;
  const NOW = new Date('2026-12-01T10:00:00.000Z');

  beforeAll(async () => {
    emulators = await startEmulators();
    await ensureKeyTable(emulators.dynamoDbEndpoint, 'tap-api-keys-test');
    table = {
      client: dynamoDbDocumentClientFor(emulators.dynamoDbEndpoint),
      tableName: 'tap-api-keys-test',
    };
  });

  afterAll(async () => {
    table.client.destroy();
    await emulators.stop();
  });

  it('issues a tap_ key whose secret is stored only as its hash', async () => {
    const { key, record } = await createMachineKey(
      table,
      { tenant: 'acme', scopes: ['items:read'], client: 'billing' },
      NOW,
    );
    const parts = parseMachineKey(key);
    expect(parts?.keyId).toBe(record.keyId);
    expect(formatMachineKey(parts ?? { keyId: '', secret: '' })).toBe(key);
    expect(record).toMatchObject({
      tenant: 'acme',
      client: 'billing',
      scopes: ['items:read'],
      status: 'active',
      createdAt: NOW.toISOString(),
      secretHash: hashKeySecret(parts?.secret ?? ''),
    });
    const { Item } = await table.client.send(
      new (await import('@aws-sdk/lib-dynamodb')).GetCommand({
        TableName: table.tableName,
        Key: { keyId: record.keyId },
      }),
    );
    expect(JSON.stringify(Item)).not.toContain(parts?.secret);
  });

  it('gives every key a new id and secret', async () => {
    const keys = await Promise.all(
      Array.from({ length: 20 }, () => createMachineKey(table, { tenant: 'acme', scopes: SCOPES })),
    );
    expect(new Set(keys.map(({ key }) => key)).size).toBe(20);
    expect(new Set(keys.map(({ record }) => record.keyId)).size).toBe(20);
  });

  it.each([
    ['a malformed tenant', { tenant: 'Acme Corp', scopes: SCOPES }, 'tenant "Acme Corp"'],
    ['no scope', { tenant: 'acme', scopes: [] }, 'at least one scope'],
    ['an unknown scope', { tenant: 'acme', scopes: ['admin'] as never }, 'unknown scope(s) admin'],
    ['a past expiry', { tenant: 'acme', scopes: SCOPES, expiresAt: new Date(0) }, 'in the future'],
    ['a bad client name', { tenant: 'acme', scopes: SCOPES, client: '../x' }, 'client name'],
    ["a user's personal tenant", { tenant: 'user-abc', scopes: SCOPES }, "user's personal tenant"],
  ])('refuses %s', async (_, request, message) => {
    await expect(createMachineKey(table, request, NOW)).rejects.toThrow(MachineKeyError);
    await expect(createMachineKey(table, request, NOW)).rejects.toThrow(message);
  });

  it("lists one tenant's keys, or every key, without secrets", async () => {
    await createMachineKey(table, { tenant: 'globex', scopes: SCOPES, client: 'g' });
    const globex = await listMachineKeys(table, 'globex');
    expect(globex.map((record) => record.client)).toEqual(['g']);
    const all = await listMachineKeys(table);
    expect(all.some((record) => record.tenant === 'acme')).toBe(true);
    expect(all.some((record) => record.tenant === 'globex')).toBe(true);
  });

  it('revokes one key and leaves the others active', async () => {
    const first = await createMachineKey(table, { tenant: 'initech', scopes: SCOPES });
    const second = await createMachineKey(table, { tenant: 'initech', scopes: SCOPES });
    const revoked = await revokeMachineKey(table, first.record.keyId, NOW);
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: NOW.toISOString() });
    const listed = await listMachineKeys(table, 'initech');
    const status = (record: MachineKeyRecord): string => `${record.keyId}:${record.status}`;
    expect(listed.map(status).sort()).toEqual(
      [`${first.record.keyId}:revoked`, `${second.record.keyId}:active`].sort(),
    );
    await expect(revokeMachineKey(table, 'aaaaaaaaaaaaaaaa')).rejects.toThrow('no key');
  });

  it('rotates a key: a successor like it, the old one expiring after its own overlap', async () => {
    const { record } = await createMachineKey(
      table,
      { tenant: 'hooli', scopes: ['items:read'], client: 'reporting' },
      NOW,
    );
    const { successor, predecessor } = await rotateMachineKey(table, record.keyId, 600, NOW);
    expect(successor.record).toMatchObject({
      tenant: 'hooli',
      client: 'reporting',
      scopes: ['items:read'],
      status: 'active',
    });
    expect(successor.record.keyId).not.toBe(record.keyId);
    expect(predecessor).toMatchObject({
      status: 'active',
      expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
      replacedBy: successor.record.keyId,
    });
  });

  it('refuses to rotate a revoked key', async () => {
    const { record } = await createMachineKey(table, { tenant: 'hooli', scopes: SCOPES });
    await revokeMachineKey(table, record.keyId);
    await expect(rotateMachineKey(table, record.keyId, 60)).rejects.toThrow('is revoked');
  });
});

describe('the keys command line', () => {
  it('reads create with its tenant, scopes, name and expiry', () => {
    expect(
      parseKeysCli([
        'create',
        '--tenant',
        'acme',
        '--scopes',
        'items:write, items:read',
        '--name=billing',
        '--expires-in',
        '30d',
      ]),
    ).toEqual({
      command: {
        action: 'create',
        tenant: 'acme',
        scopes: ['items:read', 'items:write'],
        client: 'billing',
        expiresInSeconds: 30 * 86_400,
      },
    });
  });

  it('reads list, revoke and rotate, and the outputs file of a deployed stack', () => {
    expect(parseKeysCli(['list', '--tenant', 'acme', '--json'])).toEqual({
      command: { action: 'list', tenant: 'acme', json: true },
    });
    expect(
      parseKeysCli(['revoke', 'abcdefghijklmnop', '--outputs', 'cfn-outputs/dev.json']),
    ).toEqual({
      command: { action: 'revoke', keyId: 'abcdefghijklmnop' },
      outputs: 'cfn-outputs/dev.json',
    });
    expect(parseKeysCli(['rotate', 'abcdefghijklmnop', '--overlap', '15m'])).toEqual({
      command: { action: 'rotate', keyId: 'abcdefghijklmnop', overlapSeconds: 900 },
    });
    expect(parseKeysCli(['rotate', 'abcdefghijklmnop']).command).toMatchObject({
      overlapSeconds: 3600,
    });
  });

  it.each([
    [['create', '--tenant', 'acme'], 'create needs --tenant <id> and --scopes'],
    [['create', '--tenant', 'acme', '--scopes', 'admin'], '--scopes must list some of'],
    [
      ['create', '--tenant', 'acme', '--scopes', 'items:read', '--expires-in', 'soon'],
      '--expires-in must be 1 second to 3650 days',
    ],
    [['revoke'], 'revoke needs a key id'],
    [['list', '--overlap', '1h'], 'list does not take --overlap'],
    [['destroy'], 'unknown command destroy'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseKeysCli(argv)).toThrow(message);
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect([
      parseDuration('45', 'x'),
      parseDuration('2m', 'x'),
      parseDuration('1h', 'x'),
      parseDuration('1d', 'x'),
    ]).toEqual([45, 120, 3600, 86_400]);
  });
});
