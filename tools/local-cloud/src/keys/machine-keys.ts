/**
 * Issuing and managing machine keys in a key table: what the `keys` command does, against
 * the local cloud's DynamoDB emulator or a deployed stack's table alike. A key is shown
 * once, when it is created; the table keeps only the hash of its secret.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  formatMachineKey,
  isKeyId,
  KEY_TABLE_SCHEMA,
  parseMachineKeyRecord,
  isAssignableTenant,
  SCOPES,
  TENANT_PATTERN,
  type MachineKeyRecord,
  type Scope,
} from '@tap/contracts';
import { hashKeySecret } from '@tap/contracts/machine-key-hash';

/** A client name: what the principal's subject is (letters, digits, `._-`, up to 64). */
export const CLIENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A request the key table cannot take; the message says why. */
export class MachineKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MachineKeyError';
  }
}

/** Where the keys are. */
export interface KeyTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** What a new key is for. */
export interface NewMachineKey {
  readonly tenant: string;
  readonly scopes: readonly Scope[];
  /** The client's name (the principal's subject); default: `client-<key id>`. */
  readonly client?: string;
  /** When the key stops working; default: never. */
  readonly expiresAt?: Date;
}

/** A key just issued: the only time its secret is known. */
export interface IssuedMachineKey {
  readonly key: string;
  readonly record: MachineKeyRecord;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 80 random bits as 16 characters of lower-case base32: the key id. */
function newKeyId(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

function checkScopes(scopes: readonly string[]): Scope[] {
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) {
    throw new MachineKeyError(
      `unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`,
    );
  }
  if (scopes.length === 0)
    throw new MachineKeyError(`give at least one scope of ${SCOPES.join(', ')}`);
  return SCOPES.filter((scope) => scopes.includes(scope));
}

/** Checks a tenant id (`TENANT_PATTERN`). */
export function checkTenant(tenant: string): string {
  if (!TENANT_PATTERN.test(tenant)) {
    throw new MachineKeyError(
      `tenant ${JSON.stringify(tenant)} must be lower-case letters, digits and hyphens (at most 63)`,
    );
  }
  if (!isAssignableTenant(tenant)) {
    throw new MachineKeyError(
      `tenant ${JSON.stringify(tenant)} is a user's personal tenant: no key may be issued for it`,
    );
  }
  return tenant;
}

/**
 * Issues a key: a fresh id and secret, the record written only if the id is new.
 *
 * @throws MachineKeyError for a bad tenant, scope, client name or expiry.
 */
export async function createMachineKey(
  table: KeyTable,
  request: NewMachineKey,
  now: Date = new Date(),
): Promise<IssuedMachineKey> {
  const tenant = checkTenant(request.tenant);
  const scopes = checkScopes(request.scopes);
  if (request.client !== undefined && !CLIENT_NAME_PATTERN.test(request.client)) {
    throw new MachineKeyError(
      `client name ${JSON.stringify(request.client)} must match ${CLIENT_NAME_PATTERN}`,
    );
  }
  if (request.expiresAt !== undefined && request.expiresAt.getTime() <= now.getTime()) {
    throw new MachineKeyError('the expiry must be in the future');
  }
  const keyId = newKeyId();
  const secret = randomBytes(32).toString('base64url');
  const record: MachineKeyRecord = {
    keyId,
    secretHash: hashKeySecret(secret),
    tenant,
    client: request.client ?? `client-${keyId}`,
    scopes,
    status: 'active',
    createdAt: now.toISOString(),
    ...(request.expiresAt ? { expiresAt: request.expiresAt.toISOString() } : {}),
  };
  await table.client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...record, scopes: [...scopes] },
      ConditionExpression: 'attribute_not_exists(#keyId)',
      ExpressionAttributeNames: { '#keyId': KEY_TABLE_SCHEMA.partitionKey.name },
    }),
  );
  return { key: formatMachineKey({ keyId, secret }), record };
}

/** One key's record, or `undefined`. */
export async function findMachineKey(
  table: KeyTable,
  keyId: string,
): Promise<MachineKeyRecord | undefined> {
  if (!isKeyId(keyId)) return undefined;
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: { keyId }, ConsistentRead: true }),
  );
  return Item ? parseMachineKeyRecord(Item, SCOPES) : undefined;
}

/** Every key (of one tenant, if given), oldest first. An operator's command: a Scan is fine. */
export async function listMachineKeys(
  table: KeyTable,
  tenant?: string,
): Promise<MachineKeyRecord[]> {
  const records: MachineKeyRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const record = parseMachineKeyRecord(item, SCOPES);
      if (record && (tenant === undefined || record.tenant === tenant)) records.push(record);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Revokes a key: it stays in the table (for the record) and is refused within the
 * revocation bound. Revoking a revoked key changes nothing.
 *
 * @throws MachineKeyError when there is no such key.
 */
export async function revokeMachineKey(
  table: KeyTable,
  keyId: string,
  now: Date = new Date(),
): Promise<MachineKeyRecord> {
  const current = await findMachineKey(table, keyId);
  if (!current) throw new MachineKeyError(`no key ${keyId}`);
  if (current.status === 'revoked') return current;
  const { Attributes } = await table.client.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: { keyId },
      UpdateExpression: 'SET #status = :revoked, #revokedAt = :now',
      ConditionExpression: 'attribute_exists(#keyId)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#revokedAt': 'revokedAt',
        '#keyId': 'keyId',
      },
      ExpressionAttributeValues: { ':revoked': 'revoked', ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const record = Attributes ? parseMachineKeyRecord(Attributes, SCOPES) : undefined;
  if (!record) throw new MachineKeyError(`key ${keyId} could not be read back`);
  return record;
}

/**
 * Rotates a key: a successor with the same tenant, client and scopes, and the old key
 * expiring after `overlapSeconds` (never later than it already would), so the client has
 * that long to switch. Each key has an overlap of its own.
 *
 * @throws MachineKeyError when the key does not exist or is revoked.
 */
export async function rotateMachineKey(
  table: KeyTable,
  keyId: string,
  overlapSeconds: number,
  now: Date = new Date(),
): Promise<{ readonly successor: IssuedMachineKey; readonly predecessor: MachineKeyRecord }> {
  const current = await findMachineKey(table, keyId);
  if (!current) throw new MachineKeyError(`no key ${keyId}`);
  if (current.status !== 'active') throw new MachineKeyError(`key ${keyId} is revoked`);
  if (!Number.isSafeInteger(overlapSeconds) || overlapSeconds < 0) {
    throw new MachineKeyError('the overlap must be a whole number of seconds, 0 or more');
  }
  const successor = await createMachineKey(
    table,
    {
      tenant: current.tenant,
      scopes: current.scopes,
      client: current.client,
      ...(current.expiresAt ? { expiresAt: new Date(current.expiresAt) } : {}),
    },
    now,
  );
  const overlapEnd = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  const expiresAt =
    current.expiresAt !== undefined && Date.parse(current.expiresAt) < Date.parse(overlapEnd)
      ? current.expiresAt
      : overlapEnd;
  try {
    const { Attributes } = await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { keyId },
        UpdateExpression: 'SET #expiresAt = :expiresAt, #replacedBy = :successor',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: {
          '#expiresAt': 'expiresAt',
          '#replacedBy': 'replacedBy',
          '#status': 'status',
        },
        ExpressionAttributeValues: {
          ':expiresAt': expiresAt,
          ':successor': successor.record.keyId,
          ':active': 'active',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const predecessor = Attributes ? parseMachineKeyRecord(Attributes, SCOPES) : undefined;
    if (!predecessor) throw new MachineKeyError(`key ${keyId} could not be read back`);
    return { successor, predecessor };
  } catch (error) {
    // Revoked meanwhile: the successor must not outlive the refusal.
    await table.client.send(
      new DeleteCommand({ TableName: table.tableName, Key: { keyId: successor.record.keyId } }),
    );
    throw error instanceof Error && error.name === 'ConditionalCheckFailedException'
      ? new MachineKeyError(`key ${keyId} was revoked while rotating`)
      : error;
  }
}
