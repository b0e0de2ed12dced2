import path from 'node:path';

// The workspace root itself is found by `findWorkspaceRoot` (@tap/test-support).

/** A path as shown to developers: relative to the workspace when inside it, else as is. */
export function displayPath(workspaceRoot: string, file: string): string {
  const relative = path.relative(workspaceRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
