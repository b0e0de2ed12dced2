import { createTapClient, TapRateLimitError } from '@tap/client';
import { API_KEY_HEADER, THROTTLED_RESPONSE_BODY } from '@tap/contracts';
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import { itLocally } from './support/target';

/**
 * The gateway's throttles, as the local cloud enforces them (the stack's are checked in
 * its template): a route over its limit answers API Gateway's own 429, and the typed
 * client's back-off turns a burst into answers. A cloud of its own, with a tight limit on
 * one route, so the suite's other tests never meet it.
 */
describe('throttling', () => {
  let cloud: LocalCloud | undefined;
  const ROUTE_RATE = 10;

  beforeAll(async () => {
    if (!process.env.TAP_OUTPUTS_FILE) {
      cloud = await startLocalCloud({
        port: 0,
        inMemory: true,
        quiet: true,
        throttles: {
          stage: { rateLimit: 1000, burstLimit: 1000 },
          routes: { 'GET /api/items': { rateLimit: ROUTE_RATE, burstLimit: 2 } },
        },
      });
    }
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  itLocally('answers a burst over the route limit with the gateway’s 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${cloud!.baseUrl}/api/items`, {
          headers: { [API_KEY_HEADER]: cloud!.outputs.ApiKey },
        }),
      ),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    const throttled = answers.flatMap((answer, index) =>
      answer.status === 429 ? [{ answer, body: bodies[index]! }] : [],
    );
    expect(throttled.length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const { answer, body } of throttled) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(body)).toEqual(THROTTLED_RESPONSE_BODY);
    }
    // Other routes have their own buckets.
    const health = await fetch(`${cloud!.baseUrl}/health`);
    expect(health.status).toBe(200);
  });

  itLocally('maps a 429 to TapRateLimitError when the client does not retry', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const tap = createTapClient({
      baseUrl: cloud!.baseUrl,
      apiKey: cloud!.outputs.ApiKey,
      retry: false,
      throwOnError: true,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => tap.GET('/api/items', {})),
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const error of refused) {
      expect(error).toBeInstanceOf(TapRateLimitError);
      expect(error).toMatchObject({ status: 429, retryable: true });
    }
  });

  itLocally('turns a burst into answers with the client’s back-off', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const tap = createTapClient({
      baseUrl: cloud!.baseUrl,
      apiKey: cloud!.outputs.ApiKey,
      retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 2000 },
      throwOnError: true,
    });
    const started = Date.now();
    const pages = await Promise.all(Array.from({ length: 8 }, () => tap.GET('/api/items', {})));
    expect(pages.map((page) => page.response.status)).toEqual(Array(8).fill(200));
    // Eight calls through a bucket of two refilled at ROUTE_RATE a second cannot all be
    // answered at once: the client waited.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((8 - 2) / ROUTE_RATE) * 1000 * 0.8);
  });
});
