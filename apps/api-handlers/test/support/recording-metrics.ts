/**
 * Records what handlers publish through the metrics port, so tests can say which metrics a
 * request produced. (The Powertools adapter itself is tested on real EMF output.)
 */
import type { InvocationMetrics, MetricSample } from '@tap/lambda-runtime';

/** One `publish` call: one EMF line in production. */
export interface PublishedBatch {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly samples: readonly MetricSample[];
}

/** A metrics port that keeps every batch. */
export interface RecordingMetrics extends InvocationMetrics {
  readonly batches: PublishedBatch[];
  readonly coldStarts: (string | undefined)[];
  /** Every batch as `{ ...dimensions, <metric>: value }`, the shape an EMF line has. */
  flattened(): Record<string, string | number>[];
}

/** Creates a {@link RecordingMetrics}. */
export function recordingMetrics(): RecordingMetrics {
  const batches: PublishedBatch[] = [];
  const coldStarts: (string | undefined)[] = [];
  return {
    batches,
    coldStarts,
    publish: (dimensions, samples) => batches.push({ dimensions, samples }),
    coldStart: (functionName) => coldStarts.push(functionName),
    flattened: () =>
      batches.map(({ dimensions, samples }) => ({
        ...dimensions,
        ...Object.fromEntries(samples.map((sample) => [sample.name, sample.value])),
      })),
  };
}
