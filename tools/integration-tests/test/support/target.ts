import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createMachineKey,
  revokeMachineKey,
  startLocalCloud,
  type KeyTable,
  type LocalCloud,
} from '@tap/local-cloud';
import { createTapClient, type TapClient } from '@tap/client';
import {
  SCOPES,
  STACK_OUTPUT_KEYS,
  TAP_REGION,
  type Scope,
  type StackOutputs,
} from '@tap/contracts';
import { dynamoDbDocumentClientFor } from '@tap/test-support';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A machine key the suite issued for itself. */
export interface TestMachineKey {
  readonly key: string;
  readonly keyId: string;
  readonly tenant: string;
}

/** What a test asks a user token for. */
export interface TestUserToken {
  readonly user: string;
  readonly tenant?: string;
  readonly scopes?: readonly Scope[];
  readonly expiresInSeconds?: number;
}

/** What the suite runs against: the local cloud, or a deployed stack. */
export interface Target {
  readonly kind: 'local' | 'deployed';
  readonly baseUrl: string;
  /** A machine key with every scope, of the suite's own tenant ({@link tenant}). */
  readonly apiKey: string;
  /** The tenant of {@link apiKey}, fresh per run so runs never see each other's data. */
  readonly tenant: string;
  readonly outputs: StackOutputs;
  /** The local cloud, when the target is local (fault tests need it). */
  readonly cloud?: LocalCloud;
  /** A client with the API key. */
  readonly client: TapClient;
  /** A client without any credential. */
  readonly anonymous: TapClient;
  /** Issues a machine key in the target's key table (revoked again by `stop()`). */
  machineKey(request: {
    readonly tenant: string;
    readonly scopes?: readonly Scope[];
  }): Promise<TestMachineKey>;
  /** Revokes a machine key now. */
  revokeKey(keyId: string): Promise<void>;
  /**
   * A user's access token from the target's issuer. Only the local cloud's issuer mints
   * tokens for any user; against a deployed stack it is `undefined` (see {@link itWithUserTokens}).
   */
  readonly userToken: ((request: TestUserToken) => Promise<string>) | undefined;
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

/** A tenant no earlier run used: a deployed stack keeps data between runs. */
export const freshTenant = (label: string): string =>
  `it-${label}-${randomUUID().slice(0, 8)}`.toLowerCase();

/** Machine keys in a key table, each revoked again when the run stops. */
function keyIssuer(table: KeyTable): Pick<Target, 'machineKey' | 'revokeKey'> & {
  revokeAll(): Promise<void>;
} {
  const issued: string[] = [];
  return {
    async machineKey({ tenant, scopes = SCOPES }) {
      const { key, record } = await createMachineKey(table, {
        tenant,
        scopes,
        client: 'integration-suite',
      });
      issued.push(record.keyId);
      return { key, keyId: record.keyId, tenant };
    },
    async revokeKey(keyId) {
      await revokeMachineKey(table, keyId);
    },
    async revokeAll() {
      await Promise.all(issued.map((keyId) => revokeMachineKey(table, keyId)));
    },
  };
}

/**
 * Starts what the suite runs against. With `TAP_OUTPUTS_FILE` set to a deployed stack's
 * outputs file, that stack: machine keys are issued in its key table with the caller's AWS
 * credentials (and revoked at the end), under a tenant of the run's own. Otherwise a fresh
 * in-memory local cloud on a free port, whose issuer also mints user tokens.
 */
export async function startTarget(): Promise<Target> {
  const outputsFile = process.env.TAP_OUTPUTS_FILE;
  if (outputsFile) {
    const outputs = readOutputsFile(outputsFile);
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: process.env.AWS_REGION ?? TAP_REGION }),
    );
    const keys = keyIssuer({ client, tableName: outputs.KeyTableName });
    const tenant = freshTenant('suite');
    const { key: apiKey } = await keys.machineKey({ tenant });
    const baseUrl = outputs.ApiUrl.replace(/\/+$/, '');
    return {
      kind: 'deployed',
      baseUrl,
      apiKey,
      tenant,
      outputs,
      client: createTapClient({ baseUrl, apiKey }),
      anonymous: createTapClient({ baseUrl }),
      machineKey: keys.machineKey,
      revokeKey: keys.revokeKey,
      userToken: undefined,
      stop: async () => {
        await keys.revokeAll();
        client.destroy();
      },
    };
  }
  // Throttling off: the suite calls faster than the stack's limits allow; a test of the
  // 429s starts a local cloud of its own with low limits.
  const cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true, throttles: false });
  // The stack's outputs only: the suite uses keys of its own tenant, not the default key.
  const outputs = Object.fromEntries(
    STACK_OUTPUT_KEYS.map((key) => [key, cloud.outputs[key]]),
  ) as unknown as StackOutputs;
  const { DynamoDbEndpoint } = cloud.outputs;
  const documents = dynamoDbDocumentClientFor(DynamoDbEndpoint);
  const keys = keyIssuer({ client: documents, tableName: outputs.KeyTableName });
  const tenant = freshTenant('suite');
  const { key: apiKey } = await keys.machineKey({ tenant });
  return {
    kind: 'local',
    baseUrl: cloud.baseUrl,
    apiKey,
    tenant,
    outputs,
    cloud,
    client: createTapClient({ baseUrl: cloud.baseUrl, apiKey }),
    anonymous: createTapClient({ baseUrl: cloud.baseUrl }),
    machineKey: keys.machineKey,
    revokeKey: keys.revokeKey,
    userToken: async ({ user, tenant: userTenant, scopes, expiresInSeconds }) =>
      (
        await cloud.issuer.issueTokens({
          username: user,
          ...(userTenant === undefined ? {} : { tenant: userTenant }),
          ...(scopes === undefined ? {} : { scopes }),
          ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
        })
      ).accessToken,
    stop: async () => {
      documents.destroy();
      await cloud.stop();
    },
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

/**
 * `it` for a test that needs user tokens for made-up users: the local cloud's issuer mints
 * them; a deployed user pool issues tokens only to its real users, through their sign-in,
 * so against a deployed stack these tests are not declared (see {@link itLocally}).
 */
export const itWithUserTokens = itLocally;
