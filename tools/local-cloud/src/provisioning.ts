import { DEFAULT_ROTATION_DAYS, type ApiKeySecretValue, type ResourceNames } from '@tap/contracts';
import { ensureDataTable } from '@tap/test-support';
import type { SecretStore } from './emulators/secret-store';
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
 * the data table (the stack's key schema, `DATA_TABLE_SCHEMA`) and both secrets, the API key's with rotation
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
  await ensureDataTable(options.dynamodbEndpoint, names.table);
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
