import type { ThrottleLimits, ThrottleSettings } from '@tap/contracts';

/** A clock in milliseconds (monotonic); tests pass their own. */
export type Clock = () => number;

/**
 * One token bucket of API Gateway's throttling: it holds up to `burstLimit` requests, starts
 * full, and refills at `rateLimit` per second.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: Clock,
  ) {
    this.tokens = limits.burstLimit;
    this.refilledAt = now();
  }

  /** Whether a request may pass now (without taking its token). */
  hasToken(): boolean {
    this.refill();
    return this.tokens >= 1;
  }

  /** Takes one request's token; call only after {@link hasToken}. */
  take(): void {
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(
      this.limits.burstLimit,
      this.tokens + elapsedSeconds * this.limits.rateLimit,
    );
    this.refilledAt = now;
  }
}

/**
 * The HTTP API's throttles: one bucket for the stage, which every request draws from, and
 * one per route key that has limits of its own. A request passes only when both have a
 * token, and then takes one from each; a refused request takes none.
 */
export class GatewayThrottle {
  private readonly stage: TokenBucket;
  private readonly routes = new Map<string, TokenBucket>();

  constructor(settings: ThrottleSettings, now: Clock = () => performance.now()) {
    this.stage = new TokenBucket(settings.stage, now);
    for (const [routeKey, limits] of Object.entries(settings.routes)) {
      this.routes.set(routeKey, new TokenBucket(limits, now));
    }
  }

  /**
   * Admits a request of `routeKey` (undefined: no route matched, only the stage's limit
   * applies), taking its tokens, or refuses it.
   */
  admit(routeKey: string | undefined): boolean {
    const route = routeKey === undefined ? undefined : this.routes.get(routeKey);
    if (!this.stage.hasToken() || (route && !route.hasToken())) return false;
    this.stage.take();
    route?.take();
    return true;
  }
}
