import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds the Nx workspace root: the nearest folder at or above `start` holding `nx.json`.
 * Walking up, rather than a fixed `../..`, keeps the answer right whatever the caller's
 * folder depth or current directory. Starting from this module's folder (the default)
 * makes it this workspace.
 *
 * @throws Error when no `nx.json` is found up to the filesystem root.
 */
export function findWorkspaceRoot(start: string = __dirname): string {
  let current = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(current, 'nx.json'))) return current;
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`No nx.json found in ${start} or above`);
    current = parent;
  }
}

/** This workspace's root folder. */
export const WORKSPACE_ROOT: string = findWorkspaceRoot();
