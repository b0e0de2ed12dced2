import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { InvokeOutcome } from '../lambda/execution-environment';

/** What the gateway does with a request after asking the authorizer. */
export type AuthorizationDecision =
  | { readonly effect: 'allow'; readonly context: Readonly<Record<string, unknown>> }
  | {
      readonly effect: 'deny';
      readonly statusCode: 401 | 403 | 500;
      readonly message: 'Unauthorized' | 'Forbidden' | 'Internal Server Error';
      /** Why, for the local cloud's log (never sent to the client). */
      readonly reason?: string;
    };

/** Options of {@link LambdaRequestAuthorizer}. */
export interface LambdaRequestAuthorizerOptions {
  /** Invokes the authorizer function. */
  readonly invoke: (event: APIGatewayRequestAuthorizerEventV2) => Promise<InvokeOutcome>;
  /** How long a decision is reused for the same identity; 0 disables caching. */
  readonly ttlMs: number;
  /**
   * Headers (lower case) that make up the identity, as `$request.header.<name>` identity
   * sources: a request lacking one is refused with 401 before the function runs, and
   * cached decisions are keyed by their values. Empty (the stack's choice, with caching
   * off): every request invokes the function, whatever it carries.
   */
  readonly identityHeaders: readonly string[];
  /** Clock, in epoch ms. */
  readonly now?: () => number;
}

interface Evaluation {
  readonly decision: AuthorizationDecision;
  /** API Gateway caches only the function's own answers, never its failures. */
  readonly cacheable: boolean;
}

const UNAUTHORIZED: AuthorizationDecision = {
  effect: 'deny',
  statusCode: 401,
  message: 'Unauthorized',
};
const FORBIDDEN: AuthorizationDecision = { effect: 'deny', statusCode: 403, message: 'Forbidden' };
const failed = (reason: string): AuthorizationDecision => ({
  effect: 'deny',
  statusCode: 500,
  message: 'Internal Server Error',
  reason,
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads an authorizer's outcome as an HTTP API with simple responses does. */
export function evaluateAuthorizerOutcome(outcome: InvokeOutcome): Evaluation {
  switch (outcome.status) {
    case 'timeout':
      return {
        decision: failed(`the authorizer timed out after ${outcome.timeoutMs} ms`),
        cacheable: false,
      };
    case 'error':
      // The one error API Gateway maps to 401 rather than failing closed with 500.
      if (outcome.error.errorMessage === 'Unauthorized') {
        return { decision: UNAUTHORIZED, cacheable: false };
      }
      return {
        decision: failed(
          `the authorizer failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`,
        ),
        cacheable: false,
      };
    case 'ok': {
      const { payload } = outcome;
      if (!isRecord(payload) || typeof payload['isAuthorized'] !== 'boolean') {
        return {
          decision: failed(
            `the authorizer answered ${JSON.stringify(payload)}, not {isAuthorized}`,
          ),
          cacheable: false,
        };
      }
      if (!payload['isAuthorized']) return { decision: FORBIDDEN, cacheable: true };
      const context = isRecord(payload['context']) ? payload['context'] : {};
      return { decision: { effect: 'allow', context }, cacheable: true };
    }
  }
}

/**
 * A REQUEST Lambda authorizer with simple responses, as an HTTP API runs one: with
 * identity sources, a request missing one is refused with 401 before the function runs,
 * decisions are cached per identity for the TTL, and concurrent requests with the same
 * identity share one invocation; without identity sources and caching (the stack's
 * configuration), every request is one invocation.
 */
export class LambdaRequestAuthorizer {
  private readonly cache = new Map<
    string,
    { decision: AuthorizationDecision; expiresAt: number }
  >();
  private readonly inFlight = new Map<string, Promise<Evaluation>>();
  private readonly now: () => number;

  constructor(private readonly options: LambdaRequestAuthorizerOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Decides on a request.
   *
   * @param headers the request's headers, lower-case names.
   * @param buildEvent builds the authorizer event for the identity sources' values.
   */
  async authorize(
    headers: Readonly<Record<string, string | undefined>>,
    buildEvent: (identitySource: readonly string[]) => APIGatewayRequestAuthorizerEventV2,
  ): Promise<AuthorizationDecision> {
    const values = this.options.identityHeaders.map((name) => headers[name]);
    if (values.some((value) => value === undefined || value === '')) return UNAUTHORIZED;
    const identitySource = values as string[];
    if (identitySource.length === 0 || this.options.ttlMs <= 0) {
      return evaluateAuthorizerOutcome(await this.options.invoke(buildEvent(identitySource)))
        .decision;
    }
    const identity = JSON.stringify(identitySource);
    const cached = this.cache.get(identity);
    if (cached && cached.expiresAt > this.now()) return cached.decision;
    this.cache.delete(identity);

    let evaluation = this.inFlight.get(identity);
    if (!evaluation) {
      evaluation = this.options
        .invoke(buildEvent(identitySource))
        .then(evaluateAuthorizerOutcome)
        .finally(() => this.inFlight.delete(identity));
      this.inFlight.set(identity, evaluation);
    }
    const { decision, cacheable } = await evaluation;
    if (cacheable) {
      this.cache.set(identity, { decision, expiresAt: this.now() + this.options.ttlMs });
    }
    return decision;
  }

  /** Forgets every cached decision. */
  clear(): void {
    this.cache.clear();
  }
}
