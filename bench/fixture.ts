/**
 * The local cloud the request benchmarks share: started once, in memory, with one item to
 * read. Functions run their real bundles from `dist/`, as `npm start` runs them.
 */
import { createTapClient } from '@tap/client';
import { deployedFunctions, type FunctionName } from '@tap/contracts';
// The benchmark must give its child processes exactly the environment the local cloud gives
// a function, so it reuses the local cloud's builder instead of a copy.
import { functionEnvironment, startLocalCloud, type LocalCloud } from '@tap/local-cloud';

/** A running local cloud with an item in its table. */
export interface Fixture {
  readonly cloud: LocalCloud;
  readonly baseUrl: string;
  readonly apiKey: string;
  /** An item that exists, for `GET /api/items/{id}`. */
  readonly itemId: string;
  /** The environment the local cloud gives function `name`, pointing at its emulators. */
  functionEnv(name: FunctionName): Record<string, string>;
  stop(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true });
  try {
    const apiKey = cloud.outputs.ApiKey;
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
      itemId: data.id,
      functionEnv: (name) =>
        functionEnvironment(deployedFunctions({ names: cloud.names })[name], endpoints),
      stop: () => cloud.stop(),
    };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
