import { GatewayThrottle, TokenBucket } from './throttle';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let time = 1_000;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** How many of `count` requests of `routeKey` are admitted, at one instant. */
const admitted = (throttle: GatewayThrottle, routeKey: string | undefined, count: number): number =>
  Array.from({ length: count }, () => throttle.admit(routeKey)).filter(Boolean).length;

describe('TokenBucket', () => {
  it('starts full with the burst, and refills at the rate up to the burst', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, clock.now);
    const drain = (): number => {
      let taken = 0;
      while (bucket.hasToken()) {
        bucket.take();
        taken += 1;
      }
      return taken;
    };

    expect(drain()).toBe(3);
    clock.advance(500);
    expect(drain()).toBe(1);
    clock.advance(60_000);
    expect(drain()).toBe(3);
  });
});

describe('GatewayThrottle', () => {
  const settings = {
    stage: { rateLimit: 10, burstLimit: 5 },
    routes: { 'POST /api/items': { rateLimit: 1, burstLimit: 2 } },
  };

  it("refuses a route's requests past its own burst while the stage still has room", () => {
    const clock = manualClock();
    const throttle = new GatewayThrottle(settings, clock.now);

    expect(admitted(throttle, 'POST /api/items', 4)).toBe(2);
    expect(admitted(throttle, 'GET /api/items', 1)).toBe(1);
    clock.advance(1_000);
    expect(admitted(throttle, 'POST /api/items', 2)).toBe(1);
  });

  it('refuses every route past the stage burst, unmatched requests included', () => {
    const clock = manualClock();
    const throttle = new GatewayThrottle(settings, clock.now);

    expect(admitted(throttle, 'GET /api/items', 5)).toBe(5);
    expect(throttle.admit('GET /health')).toBe(false);
    expect(throttle.admit(undefined)).toBe(false);
    clock.advance(100);
    expect(throttle.admit(undefined)).toBe(true);
  });

  it('takes no stage token for a request its route refuses', () => {
    const clock = manualClock();
    const throttle = new GatewayThrottle(settings, clock.now);

    expect(admitted(throttle, 'POST /api/items', 5)).toBe(2);
    expect(admitted(throttle, 'GET /api/items', 5)).toBe(3);
  });
});
