import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  DEFAULT_ROTATION_DAYS,
  TAP_REGION,
  type ApiKeySecretValue,
  type ResourceNames,
} from '@tap/contracts';
import type { SecretStore } from './emulators/secret-store';
import { LOCAL_CREDENTIALS } from './lambda/function-environment';
import { randomAlphanumeric } from './random';

/** Length of a generated API key. */
export const API_KEY_LENGTH = 40;
/** Length of the generated cursor signing key. */
export const SIGNING_KEY_LENGTH = 64;

/** What provisioning found or created that the outputs report. */
export interface ProvisionedResources {
  readonly apiKey: string;
  readonly apiKeySecretArn: string;
}

async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: TAP_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // The emulator is configured to create tables instantly; confirm before handlers use it.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`Table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}

/** Creates a secret holding `initial()` unless it exists; answers its current value. */
async function ensureSecret(
  store: SecretStore,
  name: string,
  initial: () => string,
): Promise<{ arn: string; value: string }> {
  if (!store.has(name)) await store.createSecret({ Name: name, SecretString: initial() });
  const current = store.getSecretValue({ SecretId: name });
  return { arn: String(current['ARN']), value: String(current['SecretString'] ?? '') };
}

/**
 * The API key held by a version of the API key secret (`AWSCURRENT` unless a stage is
 * given).
 *
 * @throws Error when that version does not hold `{"apiKey": "..."}`.
 */
export function readApiKeyVersion(
  store: SecretStore,
  secretName: string,
  versionStage = 'AWSCURRENT',
): string {
  const version = store.getSecretValue({ SecretId: secretName, VersionStage: versionStage });
  return readApiKey(secretName, String(version['SecretString'] ?? ''));
}

function readApiKey(secretName: string, secretString: string): string {
  try {
    const { apiKey } = JSON.parse(secretString) as Partial<ApiKeySecretValue>;
    if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey;
  } catch {
    // Reported below with the fix.
  }
  throw new Error(
    `Secret ${secretName} does not hold {"apiKey": "..."}; put a valid value or delete the data folder`,
  );
}

/** Points the secret's rotation at the rotation function, as the stack's schedule does. */
async function ensureRotation(
  store: SecretStore,
  secretName: string,
  rotationFunctionArn: string,
): Promise<void> {
  const described = store.describeSecret(secretName);
  const rules = described['RotationRules'] as { AutomaticallyAfterDays?: number } | undefined;
  if (
    described['RotationLambdaARN'] === rotationFunctionArn &&
    rules?.AutomaticallyAfterDays === DEFAULT_ROTATION_DAYS
  ) {
    return;
  }
  // Configured only: the stack's schedule also rotates at once, but the local cloud keeps
  // the key a developer already has. Rotations run on request (`rotateApiKey()`).
  await store.rotateSecret({
    SecretId: secretName,
    RotationLambdaARN: rotationFunctionArn,
    RotationRules: { AutomaticallyAfterDays: DEFAULT_ROTATION_DAYS },
    RotateImmediately: false,
  });
}

/**
 * Creates what the stack would, keeping whatever already exists (data survives restarts):
 * the table (`id` string key, on demand) and both secrets, the API key's with rotation
 * enabled. The bucket is created by the S3 emulator itself, with its CORS rules.
 */
export async function provisionResources(options: {
  readonly dynamodbEndpoint: string;
  readonly secrets: SecretStore;
  readonly names: ResourceNames;
  /** ARN of the rotation function, which rotates the API key secret. */
  readonly rotationFunctionArn: string;
}): Promise<ProvisionedResources> {
  const { names, secrets } = options;
  await ensureTable(options.dynamodbEndpoint, names.table);
  const apiKeySecret = await ensureSecret(secrets, names.apiKeySecret, () =>
    JSON.stringify({ apiKey: randomAlphanumeric(API_KEY_LENGTH) }),
  );
  await ensureRotation(secrets, names.apiKeySecret, options.rotationFunctionArn);
  await ensureSecret(secrets, names.cursorKeySecret, () =>
    JSON.stringify({ signingKey: randomAlphanumeric(SIGNING_KEY_LENGTH) }),
  );
  return {
    apiKey: readApiKey(names.apiKeySecret, apiKeySecret.value),
    apiKeySecretArn: apiKeySecret.arn,
  };
}
