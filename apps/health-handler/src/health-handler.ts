import type { DependencyHealth, HealthReport } from '@tap/contracts';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { DependencyCheck } from './dependency-checks';
import type { InvocationMetrics } from '@tap/lambda-runtime';

/** The dependencies the contract reports on, in its order. */
export type DependencyName = keyof HealthReport['dependencies'];

/** Where the handler sends a line about a failed check (never into the response). */
export interface HealthLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Everything the health handler depends on; built once per container. */
export interface HealthHandlerDependencies {
  readonly checks: Readonly<Record<DependencyName, DependencyCheck>>;
  /** Budget of each check, in milliseconds. */
  readonly checkTimeoutMs: number;
  readonly logger: HealthLogger;
  /** Receives each check's latency and outcome, per dependency. */
  readonly metrics: InvocationMetrics;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Metric names the health function publishes, per `dependency` (namespace `TAP`). */
export const HEALTH_METRICS = {
  /** How long the dependency's check took, in ms (up to the check timeout). */
  latency: 'DependencyLatency',
  /** 1 when the check failed or timed out. */
  down: 'DependencyDown',
} as const;

/** A Lambda handler for `GET /health` (HTTP API payload format 2.0). */
export type HealthHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

class CheckTimeoutError extends Error {
  constructor() {
    super('check timed out');
    this.name = 'CheckTimeoutError';
  }
}

/**
 * Runs one check under its own deadline. The abort signal stops the SDK call; the
 * race makes sure a check that ignores the signal still counts as down on time.
 */
async function runCheck(
  check: DependencyCheck,
  timeoutMs: number,
  now: () => number,
): Promise<{ health: DependencyHealth; error?: unknown }> {
  const started = now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeoutError());
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), deadline]);
    return { health: { status: 'up', latencyMs: Math.max(0, Math.round(now() - started)) } };
  } catch (error) {
    return {
      health: { status: 'down', latencyMs: Math.max(0, Math.round(now() - started)) },
      error,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the `GET /health` handler: every dependency is checked in parallel under its
 * own timeout; 200 when all are up, 503 otherwise. The body says only up or down and
 * how long each check took: no ARNs, endpoints or error texts, which go to the log.
 */
export function createHealthHandler(deps: HealthHandlerDependencies): HealthHandler {
  const now = deps.now ?? (() => performance.now());
  const names = Object.keys(deps.checks) as DependencyName[];
  return async (event) => {
    const results = await Promise.all(
      names.map((name) => runCheck(deps.checks[name], deps.checkTimeoutMs, now)),
    );
    const dependencies = {} as Record<DependencyName, DependencyHealth>;
    names.forEach((name, index) => {
      const result = results[index];
      if (!result) return;
      dependencies[name] = result.health;
      deps.metrics.publish({ dependency: name }, [
        { name: HEALTH_METRICS.latency, unit: 'Milliseconds', value: result.health.latencyMs },
        { name: HEALTH_METRICS.down, unit: 'Count', value: result.health.status === 'up' ? 0 : 1 },
      ]);
      if (result.error !== undefined) {
        const error = result.error;
        deps.logger.warn('dependency check failed', {
          dependency: name,
          errorName: error instanceof Error ? error.name : typeof error,
          errorMessage: error instanceof Error ? error.message : String(error),
          latencyMs: result.health.latencyMs,
        });
      }
    });
    const allUp = names.every((name) => dependencies[name].status === 'up');
    const report: HealthReport = {
      status: allUp ? 'ok' : 'unavailable',
      checkedAt: new Date().toISOString(),
      dependencies,
    };
    return {
      statusCode: allUp ? 200 : 503,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-request-id': event.requestContext.requestId,
      },
      body: JSON.stringify(report),
    };
  };
}
