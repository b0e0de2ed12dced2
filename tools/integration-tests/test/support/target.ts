import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import { createTapClient, type TapClient } from '@tap/client';
import { STACK_OUTPUT_KEYS, type ApiKeySecretValue, type StackOutputs } from '@tap/contracts';
import { readFileSync } from 'node:fs';

/** What the suite runs against: the local cloud, or a deployed stack. */
export interface Target {
  readonly kind: 'local' | 'deployed';
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly outputs: StackOutputs;
  /** The local cloud, when the target is local (fault tests need it). */
  readonly cloud?: LocalCloud;
  /** A client with the API key. */
  readonly client: TapClient;
  /** A client without any key. */
  readonly anonymous: TapClient;
  stop(): Promise<void>;
}

/**
 * Reads a deployed stack's outputs file: the object `deploy` writes, or the raw
 * `cdk deploy --outputs-file` shape with one object per stack.
 */
export function readOutputsFile(file: string): StackOutputs {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const candidates = [parsed, ...Object.values(parsed)].filter(
    (value): value is Record<string, unknown> => typeof value === 'object' && value !== null,
  );
  const outputs = candidates.find((candidate) =>
    STACK_OUTPUT_KEYS.every((key) => typeof candidate[key] === 'string'),
  );
  if (!outputs) {
    throw new Error(`${file} does not hold the stack outputs ${STACK_OUTPUT_KEYS.join(', ')}`);
  }
  return outputs as unknown as StackOutputs;
}

async function readApiKey(outputs: StackOutputs): Promise<string> {
  if (process.env.TAP_API_KEY) return process.env.TAP_API_KEY;
  // Credentials and region come from the usual AWS environment of the caller.
  const secrets = new SecretsManagerClient({});
  try {
    const { SecretString } = await secrets.send(
      new GetSecretValueCommand({ SecretId: outputs.SecretArn }),
    );
    return (JSON.parse(SecretString ?? '{}') as ApiKeySecretValue).apiKey;
  } finally {
    secrets.destroy();
  }
}

/**
 * Starts what the suite runs against. With `TAP_OUTPUTS_FILE` set to a deployed stack's
 * outputs file, that stack (API key from `TAP_API_KEY` or its secret); otherwise a fresh
 * in-memory local cloud on a free port.
 */
export async function startTarget(): Promise<Target> {
  const outputsFile = process.env.TAP_OUTPUTS_FILE;
  if (outputsFile) {
    const outputs = readOutputsFile(outputsFile);
    const apiKey = await readApiKey(outputs);
    const baseUrl = outputs.ApiUrl.replace(/\/+$/, '');
    return {
      kind: 'deployed',
      baseUrl,
      apiKey,
      outputs,
      client: createTapClient({ baseUrl, apiKey }),
      anonymous: createTapClient({ baseUrl }),
      stop: async () => undefined,
    };
  }
  const cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true });
  const { ApiKey: apiKey, ...outputs } = cloud.outputs;
  return {
    kind: 'local',
    baseUrl: cloud.baseUrl,
    apiKey,
    outputs,
    cloud,
    client: createTapClient({ baseUrl: cloud.baseUrl, apiKey }),
    anonymous: createTapClient({ baseUrl: cloud.baseUrl }),
    stop: () => cloud.stop(),
  };
}

/** Whether the suite runs against the local cloud: no deployed stack's outputs were given. */
export const AGAINST_LOCAL_CLOUD = !process.env.TAP_OUTPUTS_FILE;

/**
 * `it` for a test that needs the local cloud in hand (it stops an emulator or reads a secret
 * straight from the emulator). Against a deployed stack such a test is not declared at all,
 * rather than declared and skipped: it is no unfinished work there but a question AWS has
 * no way to be asked (a test cannot stop DynamoDB), and lint rejects skipped tests so that
 * a skip always means a mistake.
 */
export const itLocally: (name: string, test: jest.ProvidesCallback, timeoutMs?: number) => void =
  AGAINST_LOCAL_CLOUD ? it : () => undefined;
