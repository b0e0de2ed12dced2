/**
 * The HTTP API's throttles, end to end: token buckets for the stage and per route key,
 * enforced before the authorizer, answered with API Gateway's 429.
 */
import { DEFAULT_THROTTLES, THROTTLED_RESPONSE_BODY } from '@tap/contracts';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../src';
import { fixtureBundle, send, type TestResponse } from './support/http';

const fixtures: LocalCloudOptions['functionBundles'] = {
  health: fixtureBundle('echo'),
  api: fixtureBundle('echo'),
  authorizer: fixtureBundle('authorizer'),
};

const statuses = (responses: readonly TestResponse[]): number[] =>
  responses.map((response) => response.status).sort();

describe('throttling with low limits', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: fixtures,
      throttles: {
        stage: { rateLimit: 1000, burstLimit: 1000 },
        routes: {
          'GET /health': { rateLimit: 4, burstLimit: 3 },
          'GET /api/items': { rateLimit: 0.001, burstLimit: 1 },
        },
      },
    });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers 429 with API Gateway body past the burst, and lets requests through again once refilled', async () => {
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => send(cloud.baseUrl, '/health')),
    );

    expect(statuses(burst)).toEqual([200, 200, 200, 429, 429]);
    const refused = burst.find((response) => response.status === 429);
    expect(refused?.headers['content-type']).toBe('application/json');
    expect(refused?.json()).toEqual(THROTTLED_RESPONSE_BODY);
    expect(refused?.headers['apigw-requestid']).toEqual(expect.any(String));

    // 4 per second: a token is back within 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await send(cloud.baseUrl, '/health')).status).toBe(200);
  });

  it('throttles before the authorizer runs', async () => {
    // Without credentials: the authorizer refuses the first, the throttle the second.
    expect((await send(cloud.baseUrl, '/api/items')).status).toBe(401);
    const second = await send(cloud.baseUrl, '/api/items');
    expect(second.status).toBe(429);
    expect(second.json()).toEqual(THROTTLED_RESPONSE_BODY);
  });

  it("does not count a route's requests against another route's bucket", async () => {
    expect((await send(cloud.baseUrl, '/api/items/x', {})).status).toBe(401);
  });
});

describe('throttling by default and off', () => {
  const burstOf = (cloud: LocalCloud, count: number): Promise<TestResponse[]> =>
    Promise.all(Array.from({ length: count }, () => send(cloud.baseUrl, '/health')));
  const healthBurst = DEFAULT_THROTTLES.routes['GET /health']?.burstLimit ?? 0;

  it("enforces the stack's throttles unless told otherwise", async () => {
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: fixtures,
    });
    try {
      // Five over the burst: the refill during the burst (5 per second) cannot cover them.
      const answers = statuses(await burstOf(cloud, healthBurst + 5));
      expect(answers.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
      expect(answers.filter((status) => status === 200).length).toBeLessThan(healthBurst + 5);
    } finally {
      await cloud.stop();
    }
  });

  it('lets every request through with throttles: false', async () => {
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: fixtures,
      throttles: false,
    });
    try {
      expect(new Set(statuses(await burstOf(cloud, healthBurst + 2)))).toEqual(new Set([200]));
    } finally {
      await cloud.stop();
    }
  });
});
