/**
 * An {@link IdempotencyGuard} that builds the real one on first use.
 *
 * Only a write that carries an `Idempotency-Key` needs Powertools Idempotency. The API
 * function's composition root passes a loader that `import()`s the guard's module, so a
 * container that never sees a key never loads it, and one that does loads it once.
 */
import type { IdempotencyGuard } from '../../core/idempotency';

/**
 * Wraps `load` as a guard. `load` runs on the first keyed request and its result serves
 * every later one of the container; requests made while it runs share it. A failed load is
 * not remembered: that request fails, and the next one tries again.
 */
export function createLazyIdempotencyGuard(
  load: () => Promise<IdempotencyGuard>,
): IdempotencyGuard {
  let loading: Promise<IdempotencyGuard> | undefined;

  const guard = (): Promise<IdempotencyGuard> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return {
    run: async (request, serve) => (await guard()).run(request, serve),
  };
}
