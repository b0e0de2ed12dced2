import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds the Nx workspace root (the nearest folder holding `nx.json`) from `start` upwards.
 * Starting from this module's folder makes the answer independent of the caller's cwd.
 *
 * @throws Error when no `nx.json` is found up to the filesystem root.
 */
export function findWorkspaceRoot(start: string = __dirname): string {
  let current = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(current, 'nx.json'))) return current;
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`No nx.json found above ${start}`);
    current = parent;
  }
}

/** A path as shown to developers: relative to the workspace when inside it, else as is. */
export function displayPath(workspaceRoot: string, file: string): string {
  const relative = path.relative(workspaceRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
