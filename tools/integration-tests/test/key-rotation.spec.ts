/**
 * API key rotation end to end on the local cloud: the real rotation function rotates the
 * secret exactly as Secrets Manager drives it, and the real authorizer, behind the
 * emulated gateway, accepts the new key at once and the previous one until the next
 * rotation.
 *
 * The gateway caches an authorizer's decision per key for 300 s, as API Gateway does, so
 * a key that was allowed stays allowed there for that long whatever the secret says. The
 * checks that must reach the authorizer first clear that cache with `reloadFunctions()`,
 * which also replaces the warm authorizer with a fresh container (cold caches).
 *
 * Local only: it rotates the secret, which a run against a deployed stack must not do.
 */
import { API_KEY_HEADER } from '@tap/contracts';
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';

describe('API key rotation through the local cloud', () => {
  let cloud: LocalCloud;
  /** The key the cloud started with, and the keys after the first and second rotation. */
  let firstKey: string;
  let secondKey: string;
  let thirdKey: string;

  /** Status of an authenticated request (`GET /api/items?limit=1`) with `apiKey`. */
  const statusWith = async (apiKey: string): Promise<number> => {
    const response = await fetch(`${cloud.baseUrl}/api/items?limit=1`, {
      headers: { [API_KEY_HEADER]: apiKey },
    });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true });
    firstKey = cloud.outputs.ApiKey;
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  // No wrong key before the rotation: a key matching neither cached key makes the
  // authorizer refetch, at most once per 5 s, and this container's next refetch is needed
  // for the new key.
  it('accepts the key the cloud started with', async () => {
    expect(await statusWith(firstKey)).toBe(200);
  });

  it('accepts the new key at once after a rotation, though the warm authorizer cached the old one', async () => {
    const rotation = await cloud.rotateApiKey();
    secondKey = rotation.currentKey;

    expect(rotation.previousKey).toBe(firstKey);
    expect(secondKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(cloud.outputs.ApiKey).toBe(secondKey);
    expect(await statusWith(secondKey)).toBe(200);
    expect(await statusWith(firstKey)).toBe(200);
  });

  it('keeps accepting the previous key in a fresh container, with no cached decision', async () => {
    await cloud.reloadFunctions();

    expect(await statusWith(firstKey)).toBe(200);
    expect(await statusWith(secondKey)).toBe(200);
  });

  it('rejects the first key after a second rotation, and accepts the two latest', async () => {
    ({ currentKey: thirdKey } = await cloud.rotateApiKey());
    expect(await statusWith(thirdKey)).toBe(200);

    await cloud.reloadFunctions();

    expect(await statusWith(firstKey)).toBe(401);
    expect(await statusWith(secondKey)).toBe(200);
    expect(await statusWith(thirdKey)).toBe(200);
    expect(await statusWith(`${thirdKey}x`)).toBe(401);
    expect(new Set([firstKey, secondKey, thirdKey]).size).toBe(3);
  });
});
