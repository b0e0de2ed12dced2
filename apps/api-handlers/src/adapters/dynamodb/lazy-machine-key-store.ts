/**
 * A {@link MachineKeyStore} that builds the real one on its first lookup.
 *
 * The authorizer serves user tokens, which need no lookup, and machine keys, which need one
 * GetItem. Loading the DynamoDB client at cold start would make every token's first request
 * pay for a client it never uses; so the composition root passes a loader that `import()`s
 * it (a chunk beside `index.mjs`) on the first machine key instead.
 */
import type { MachineKeyStore } from '../../core/credentials';

/**
 * Wraps `load` as a key store. `load` runs on the first lookup and its result serves every
 * later one; lookups made while it runs share it. A failed load is not remembered: that
 * lookup fails (the authorizer fails closed), and the next one tries again.
 */
export function createLazyMachineKeyStore(load: () => Promise<MachineKeyStore>): MachineKeyStore {
  let loading: Promise<MachineKeyStore> | undefined;
  return {
    async find(keyId) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).find(keyId);
    },
  };
}
