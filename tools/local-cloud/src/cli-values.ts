/**
 * Values the local cloud's commands take, read one way everywhere: durations (`90m`, `1h`)
 * and scope lists (`items:read,items:write`).
 */

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Bounds of a duration, in seconds. */
export interface DurationBounds {
  readonly min: number;
  readonly max: number;
}

/** How a bound reads in a message. */
const spoken = (seconds: number): string =>
  seconds % 86_400 === 0 && seconds > 0
    ? `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`
    : `${seconds} second${seconds === 1 ? '' : 's'}`;

/**
 * A duration: whole seconds (`3600`) or a number with a unit (`90s`, `30m`, `1h`, `1d`).
 *
 * @throws Error naming the flag, unless it is within the bounds.
 */
export function parseDuration(value: string, flag: string, bounds: DurationBounds): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (DURATION_UNITS[match[2] || 's'] ?? 1) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < bounds.min || seconds > bounds.max) {
    throw new Error(
      `${flag} must be ${spoken(bounds.min)} to ${spoken(bounds.max)}, as seconds or with s, m, h or d (e.g. 30m), got ${JSON.stringify(value)}`,
    );
  }
  return seconds;
}

/** Names from `a b` or `a,b`, each once, in the order given. */
export function splitList(value: string): readonly string[] {
  return [...new Set(value.split(/[\s,]+/).filter((name) => name !== ''))];
}
