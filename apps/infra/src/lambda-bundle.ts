import { existsSync } from 'node:fs';
import path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { DeployedFunction } from '@tap/contracts';

/** File every bundle folder must hold; the functions' handler is `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/**
 * Finds the workspace root: the nearest folder at or above `startDir` holding `nx.json`.
 * Walking up (rather than a fixed `../..`) keeps working whether the code runs from
 * source through tsx, from Jest, or from the `scripts/` folder.
 *
 * @throws Error when no folder above `startDir` holds `nx.json`.
 */
export function findWorkspaceRoot(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No nx.json in ${startDir} or above: cannot locate the TAP workspace root`);
    }
    dir = parent;
  }
}

/**
 * The Lambda code asset of a prebuilt bundle (the model's `bundleDir`). The stack never
 * bundles on its own: the handler projects' `build` target does, so what is tested is what
 * is deployed.
 *
 * @throws Error naming the missing bundle and the command that builds it.
 */
export function lambdaBundleCode(
  settings: Pick<DeployedFunction, 'bundleDir'>,
  workspaceRoot: string = findWorkspaceRoot(),
): Code {
  const bundleDir = path.join(workspaceRoot, settings.bundleDir);
  if (!existsSync(path.join(bundleDir, BUNDLE_ENTRY_FILE))) {
    throw new Error(
      `Lambda bundle ${settings.bundleDir}/${BUNDLE_ENTRY_FILE} is missing: ` +
        'build the handlers first with `npx nx run-many -t build`',
    );
  }
  return Code.fromAsset(bundleDir);
}
