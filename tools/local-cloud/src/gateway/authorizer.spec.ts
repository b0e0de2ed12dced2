import { API_KEY_HEADER } from '@tap/contracts';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { InvokeOutcome } from '../lambda/execution-environment';
import { evaluateAuthorizerOutcome, LambdaRequestAuthorizer } from './authorizer';

/** Builds the minimum event the authorizer sends; the tests look at identitySource only. */
const eventFor = (identitySource: readonly string[]): APIGatewayRequestAuthorizerEventV2 =>
  ({ identitySource: [...identitySource] }) as APIGatewayRequestAuthorizerEventV2;

/** An authorizer function that allows `good`, and records the identities it was asked about. */
function recordingAuthorizer(): {
  asked: string[];
  invoke: (event: APIGatewayRequestAuthorizerEventV2) => Promise<InvokeOutcome>;
} {
  const asked: string[] = [];
  return {
    asked,
    invoke: async (event) => {
      const key = event.identitySource[0] ?? '';
      asked.push(key);
      return { status: 'ok', payload: { isAuthorized: key === 'good', context: { key } } };
    },
  };
}

describe('evaluateAuthorizerOutcome', () => {
  it('allows with the context on isAuthorized true, and caches it', () => {
    expect(
      evaluateAuthorizerOutcome({
        status: 'ok',
        payload: { isAuthorized: true, context: { a: 1 } },
      }),
    ).toEqual({
      decision: { effect: 'allow', context: { a: 1 } },
      cacheable: true,
    });
  });

  it('forbids on isAuthorized false, and caches it', () => {
    expect(
      evaluateAuthorizerOutcome({ status: 'ok', payload: { isAuthorized: false } }),
    ).toMatchObject({
      decision: { effect: 'deny', statusCode: 403, message: 'Forbidden' },
      cacheable: true,
    });
  });

  it('answers 401 for an error whose message is exactly Unauthorized, without caching', () => {
    const outcome: InvokeOutcome = {
      status: 'error',
      error: { errorType: 'Error', errorMessage: 'Unauthorized' },
    };
    expect(evaluateAuthorizerOutcome(outcome)).toMatchObject({
      decision: { statusCode: 401, message: 'Unauthorized' },
      cacheable: false,
    });
  });

  it.each<[string, InvokeOutcome]>([
    [
      'another error',
      { status: 'error', error: { errorType: 'Error', errorMessage: 'unauthorized!' } },
    ],
    ['a timeout', { status: 'timeout', timeoutMs: 10 }],
    ['a response without isAuthorized', { status: 'ok', payload: { allowed: true } }],
    ['a non-object response', { status: 'ok', payload: 'yes' }],
  ])('fails closed with 500, uncached, on %s', (_, outcome) => {
    expect(evaluateAuthorizerOutcome(outcome)).toMatchObject({
      decision: { effect: 'deny', statusCode: 500, message: 'Internal Server Error' },
      cacheable: false,
    });
  });
});

/** The headers of a request carrying `value` as its API key (none when undefined). */
const key = (value: string | undefined): Record<string, string | undefined> =>
  value === undefined ? {} : { [API_KEY_HEADER]: value };

describe('LambdaRequestAuthorizer', () => {
  it('without identity sources or caching, asks the function on every request, credential or not', async () => {
    const fn = recordingAuthorizer();
    const authorizer = new LambdaRequestAuthorizer({
      invoke: fn.invoke,
      ttlMs: 0,
      identityHeaders: [],
    });
    await authorizer.authorize({}, eventFor);
    await authorizer.authorize(key('good'), eventFor);
    await authorizer.authorize(key('good'), eventFor);
    expect(fn.asked).toHaveLength(3);
  });

  it('answers 401 without invoking the function when the identity is missing or empty', async () => {
    const fn = recordingAuthorizer();
    const authorizer = new LambdaRequestAuthorizer({
      invoke: fn.invoke,
      ttlMs: 1000,
      identityHeaders: [API_KEY_HEADER],
    });
    for (const identity of [undefined, '']) {
      expect(await authorizer.authorize(key(identity), eventFor)).toMatchObject({
        statusCode: 401,
      });
    }
    expect(fn.asked).toEqual([]);
  });

  it('reuses a decision for the same identity until the TTL passes', async () => {
    let now = 1_000;
    const fn = recordingAuthorizer();
    const authorizer = new LambdaRequestAuthorizer({
      invoke: fn.invoke,
      ttlMs: 300_000,
      identityHeaders: [API_KEY_HEADER],
      now: () => now,
    });

    expect(await authorizer.authorize(key('good'), eventFor)).toEqual({
      effect: 'allow',
      context: { key: 'good' },
    });
    expect(await authorizer.authorize(key('bad'), eventFor)).toMatchObject({ statusCode: 403 });
    now += 299_999;
    await authorizer.authorize(key('good'), eventFor);
    await authorizer.authorize(key('bad'), eventFor);
    expect(fn.asked).toEqual(['good', 'bad']);

    now += 1;
    await authorizer.authorize(key('good'), eventFor);
    expect(fn.asked).toEqual(['good', 'bad', 'good']);
  });

  it('asks the function once for concurrent requests with the same identity', async () => {
    const fn = recordingAuthorizer();
    const authorizer = new LambdaRequestAuthorizer({
      invoke: fn.invoke,
      ttlMs: 1000,
      identityHeaders: [API_KEY_HEADER],
    });
    const decisions = await Promise.all(
      [1, 2, 3].map(() => authorizer.authorize(key('good'), eventFor)),
    );
    expect(decisions.every((decision) => decision.effect === 'allow')).toBe(true);
    expect(fn.asked).toEqual(['good']);
  });

  it('asks again after an uncached failure', async () => {
    const asked: string[] = [];
    const authorizer = new LambdaRequestAuthorizer({
      ttlMs: 1000,
      identityHeaders: [API_KEY_HEADER],
      invoke: async (event) => {
        asked.push(event.identitySource[0] ?? '');
        return { status: 'error', error: { errorType: 'Error', errorMessage: 'Unauthorized' } };
      },
    });
    await authorizer.authorize(key('k'), eventFor);
    await authorizer.authorize(key('k'), eventFor);
    expect(asked).toEqual(['k', 'k']);
  });

  it('forgets cached decisions on clear()', async () => {
    const fn = recordingAuthorizer();
    const authorizer = new LambdaRequestAuthorizer({
      invoke: fn.invoke,
      ttlMs: 1000,
      identityHeaders: [API_KEY_HEADER],
    });
    await authorizer.authorize(key('good'), eventFor);
    authorizer.clear();
    await authorizer.authorize(key('good'), eventFor);
    expect(fn.asked).toEqual(['good', 'good']);
  });
});
