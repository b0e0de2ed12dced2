/**
 * The local cloud the request benchmarks share: started once, in memory, with one item to
 * read. Functions run their real bundles from `dist/`, as `npm start` runs them.
 */
import { createTapClient } from '@tap/client';
import { DEFAULT_LOCAL_TENANT, deployedFunctions, type FunctionName } from '@tap/contracts';
// The benchmark must give its child processes exactly the environment the local cloud gives
// a function, so it reuses the local cloud's builder instead of a copy.
import { functionEnvironment, startLocalCloud, type LocalCloud } from '@tap/local-cloud';

/** A running local cloud with an item in its table. */
export interface Fixture {
  readonly cloud: LocalCloud;
  readonly baseUrl: string;
  /** The local cloud's default machine key (tenant {@link tenant}, every scope). */
  readonly apiKey: string;
  /** A user's access token from the local issuer, in the same tenant as the key. */
  readonly userToken: string;
  /** The tenant of the key, the token and the item. */
  readonly tenant: string;
  /** An item that exists, for `GET /api/items/{id}`. */
  readonly itemId: string;
  /** The environment the local cloud gives function `name`, pointing at its emulators. */
  functionEnv(name: FunctionName): Record<string, string>;
  stop(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  // No throttles: the benchmarks send hundreds of requests a second on purpose.
  const cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true, throttles: false });
  try {
    const apiKey = cloud.outputs.ApiKey;
    const tenant = DEFAULT_LOCAL_TENANT;
    const { accessToken: userToken } = await cloud.issuer.issueTokens({
      username: 'bench-user',
      tenant,
      // The token lives through the whole run (a full run takes about five minutes).
      expiresInSeconds: 3600,
    });
    const tap = createTapClient({ baseUrl: cloud.baseUrl, apiKey });
    const { data, response } = await tap.POST('/api/items', {
      body: {
        name: 'benchmark item',
        description: 'read by every request benchmark',
        tags: ['bench'],
      },
    });
    if (!data) throw new Error(`could not create the benchmark item (status ${response.status})`);
    const endpoints = {
      dynamodb: cloud.services.dynamodb.endpoint,
      s3: cloud.services.s3.endpoint,
      secretsManager: cloud.services.secretsManager.endpoint,
    };
    return {
      cloud,
      baseUrl: cloud.baseUrl,
      apiKey,
      userToken,
      tenant,
      itemId: data.id,
      // As the local cloud runs its functions: its own issuer, with the JWKS given inline.
      functionEnv: (name) =>
        functionEnvironment(
          deployedFunctions({
            names: cloud.names,
            tokens: {
              issuer: cloud.outputs.IssuerUrl,
              clientIds: [cloud.outputs.UserPoolClientId],
              jwks: JSON.stringify(cloud.issuer.jwks),
            },
          })[name],
          endpoints,
        ),
      stop: () => cloud.stop(),
    };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
