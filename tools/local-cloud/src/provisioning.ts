import {
  DEFAULT_LOCAL_TENANT,
  FILE_TABLE_SCHEMA,
  IDEMPOTENCY_TABLE_SCHEMA,
  parseMachineKey,
  SCOPES,
  type ResourceNames,
} from '@tap/contracts';
import { hashKeySecret } from '@tap/contracts/machine-key-hash';
import {
  dynamoDbDocumentClientFor,
  ensureDataTable,
  ensureKeyTable,
  ensureTable,
} from '@tap/test-support';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from './emulators/secret-store';
import { createMachineKey, findMachineKey } from './keys/machine-keys';
import { randomAlphanumeric } from './random';
import { replaceFile } from './replace-file';

/** Length of the generated cursor signing key. */
export const SIGNING_KEY_LENGTH = 64;

/** Client name of the default machine key. */
export const DEFAULT_KEY_CLIENT = 'local-default';

/** File of the data folder holding the default machine key (the table keeps only its hash). */
export const DEFAULT_KEY_FILE = 'default-machine-key';

/** What provisioning found or created that the outputs report. */
export interface ProvisionedResources {
  /** A machine key of the default tenant with every scope. */
  readonly apiKey: string;
}

/** Creates a secret holding `initial()` unless it exists. */
async function ensureSecret(
  store: SecretStore,
  name: string,
  initial: () => string,
): Promise<void> {
  if (!store.has(name)) await store.createSecret({ Name: name, SecretString: initial() });
}

/**
 * The default machine key: the one kept in the data folder while its record is still
 * active in the key table, else a new one (first start, `--in-memory`, or revoked). The
 * local cloud keeps its secret in the data folder because the table, like the stack's,
 * holds only a hash, and `npm start` must hand a working key to the developer every time.
 */
async function ensureDefaultKey(
  endpoint: string,
  tableName: string,
  dataDir: string | undefined,
): Promise<string> {
  const client = dynamoDbDocumentClientFor(endpoint);
  const table = { client, tableName };
  const file = dataDir === undefined ? undefined : path.join(dataDir, DEFAULT_KEY_FILE);
  try {
    const saved =
      file === undefined ? undefined : await readFile(file, 'utf8').catch(() => undefined);
    const parts = saved === undefined ? undefined : parseMachineKey(saved.trim());
    if (saved !== undefined && parts) {
      const record = await findMachineKey(table, parts.keyId);
      const usable =
        record?.status === 'active' &&
        record.secretHash === hashKeySecret(parts.secret) &&
        (record.expiresAt === undefined || Date.parse(record.expiresAt) > Date.now());
      if (usable) return saved.trim();
    }
    const { key } = await createMachineKey(table, {
      tenant: DEFAULT_LOCAL_TENANT,
      scopes: SCOPES,
      client: DEFAULT_KEY_CLIENT,
    });
    if (file !== undefined) await replaceFile(file, `${key}\n`, 0o600);
    return key;
  } finally {
    client.destroy();
  }
}

/**
 * Creates what the stack would, keeping whatever already exists (data survives restarts):
 * the data table, the key table, the file table and the idempotency table (the stack's key
 * schemas; the emulator has no TTL, which Powertools does not need: it checks a record's
 * expiry itself), the cursor signing key secret, and a default machine key. The bucket is created by the S3 emulator itself,
 * with its CORS rules.
 */
export async function provisionResources(options: {
  readonly dynamodbEndpoint: string;
  readonly secrets: SecretStore;
  readonly names: ResourceNames;
  /** The data folder; undefined in memory (a new default key each start). */
  readonly dataDir: string | undefined;
}): Promise<ProvisionedResources> {
  const { names, secrets } = options;
  await ensureDataTable(options.dynamodbEndpoint, names.table);
  await ensureKeyTable(options.dynamodbEndpoint, names.keyTable);
  await ensureTable(options.dynamodbEndpoint, names.fileTable, FILE_TABLE_SCHEMA);
  await ensureTable(options.dynamodbEndpoint, names.idempotencyTable, IDEMPOTENCY_TABLE_SCHEMA);
  await ensureSecret(secrets, names.cursorKeySecret, () =>
    JSON.stringify({ signingKey: randomAlphanumeric(SIGNING_KEY_LENGTH) }),
  );
  return {
    apiKey: await ensureDefaultKey(options.dynamodbEndpoint, names.keyTable, options.dataDir),
  };
}
