/**
 * Custom metrics of TAP's functions, written as CloudWatch Embedded Metric Format lines on
 * stdout by Powertools Metrics (CloudWatch Logs turns them into metrics; no API call, no
 * added latency).
 *
 * Handlers see only {@link InvocationMetrics}: each call to `publish` records a batch and
 * flushes it at once, synchronously. One container may run overlapping invocations (the
 * local cloud does, and so do Lambda Managed Instances), and Powertools keeps one buffer of
 * metrics and dimensions per instance; a batch that is added and flushed with no `await` in
 * between can never pick up another invocation's dimensions.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '@tap/contracts';

/** Units TAP's metrics use. */
export type MetricUnitName = 'Count' | 'Milliseconds';

/** One value of one metric. */
export interface MetricSample {
  readonly name: string;
  readonly unit: MetricUnitName;
  readonly value: number;
}

/** Port: how handlers record metrics. */
export interface InvocationMetrics {
  /**
   * Records the samples under the dimensions (plus the default `service` dimension) and
   * flushes them as one EMF line.
   */
  publish(dimensions: Readonly<Record<string, string>>, samples: readonly MetricSample[]): void;
  /** Counts a `ColdStart` on the container's first invocation; does nothing afterwards. */
  coldStart(functionName: string | undefined): void;
}

/** The Powertools calls {@link powertoolsMetrics} makes (a `Metrics` instance has them all). */
type PowertoolsMetricsLike = Pick<
  Metrics,
  'addDimension' | 'addMetric' | 'publishStoredMetrics' | 'captureColdStartMetric'
>;

const UNITS: Readonly<Record<MetricUnitName, (typeof MetricUnit)[keyof typeof MetricUnit]>> = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
};

/** Adapts a Powertools `Metrics` instance to {@link InvocationMetrics}. */
function powertoolsMetrics(metrics: PowertoolsMetricsLike): InvocationMetrics {
  return {
    publish(dimensions, samples) {
      if (samples.length === 0) return;
      for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
      for (const sample of samples)
        metrics.addMetric(sample.name, UNITS[sample.unit], sample.value);
      metrics.publishStoredMetrics();
    },
    coldStart(functionName) {
      metrics.captureColdStartMetric(functionName);
    },
  };
}

/** Options of {@link createMetrics}. */
export interface CreateMetricsOptions {
  /** The `service` dimension: `serviceName(fn)` from `@tap/contracts`. */
  readonly serviceName: string;
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Powertools Metrics for a function: namespace from `POWERTOOLS_METRICS_NAMESPACE`, else
 * {@link METRICS_NAMESPACE}; the `service` dimension is the function's service name.
 */
export function createMetrics(options: CreateMetricsOptions): InvocationMetrics {
  const env = options.env ?? process.env;
  return powertoolsMetrics(
    new Metrics({
      namespace: env['POWERTOOLS_METRICS_NAMESPACE']?.trim() || METRICS_NAMESPACE,
      serviceName: options.serviceName,
    }),
  );
}
