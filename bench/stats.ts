/**
 * The statistics every benchmark quotes. Medians, not means: a benchmark run shares the
 * machine with whatever else runs, and a few slow outliers (GC, another process) must
 * not move the figure.
 */

/** Value at quantile `q` (0–1) of `values`, linearly interpolated between ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const p90 = (values: readonly number[]): number => quantile(values, 0.9);

/** `ours / baseline`: below 1 means ours is smaller or faster. */
export function ratio(ours: number, baseline: number): number {
  if (baseline <= 0) throw new Error(`ratio against a non-positive baseline (${baseline})`);
  return ours / baseline;
}

/** Median and p90 of one series of samples. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
}

export const summarize = (values: readonly number[]): Summary => ({
  n: values.length,
  median: median(values),
  p90: p90(values),
});

/**
 * Runs every variant once per round, `rounds` times, rotating which goes first, and
 * returns each variant's samples. Interleaving puts a figure and its baseline under the
 * same conditions: a burst of load from another process hits both, not one.
 *
 * @param warmupRounds - rounds run first and discarded (JIT, caches, connections).
 */
export async function interleave<K extends string>(
  variants: Readonly<Record<K, () => Promise<number>>>,
  rounds: number,
  warmupRounds = 0,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let round = 0; round < warmupRounds + rounds; round += 1) {
    const offset = round % names.length;
    const order = [...names.slice(offset), ...names.slice(0, offset)];
    for (const name of order) {
      const value = await variants[name]();
      if (round >= warmupRounds) samples[name].push(value);
    }
  }
  return samples;
}

/** Milliseconds an async call takes, on the monotonic clock. */
export async function timeMs(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}
