/**
 * A stand-in for Secrets Manager, which has no emulator in this workspace: serves fixed
 * values through the same port the Powertools-backed reader implements, and records reads.
 */
import { toDomainFailure } from '../../src/adapters/aws/dependency-failure';
import type { JsonSecretReader } from '../../src/core/secret-reader';

/** A secret reader that serves fixed values and counts reads. */
export interface FakeSecretReader extends JsonSecretReader {
  readonly reads: string[];
  /** Replaces the value served for a secret id. */
  set(secretId: string, value: unknown): void;
}

/**
 * Creates a {@link FakeSecretReader}; a value that is an Error is thrown instead, translated
 * as the Powertools-backed adapter translates it (a transient failure becomes
 * `DependencyUnavailableError`).
 */
export function fakeSecretReader(values: Record<string, unknown>): FakeSecretReader {
  const current = new Map(Object.entries(values));
  const reads: string[] = [];
  return {
    reads,
    set: (secretId, value) => current.set(secretId, value),
    async readJson(secretId) {
      reads.push(secretId);
      const value = current.get(secretId);
      if (value instanceof Error) throw toDomainFailure('Secrets Manager', value);
      return value;
    },
  };
}
