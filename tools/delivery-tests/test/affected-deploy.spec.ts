/**
 * `nx affected -t deploy` is what CI deploys with, so what it selects is tested on real
 * commits: a scratch copy of this workspace gets one commit per scenario (each on its own
 * branch off the same base) and the real Nx is asked which projects to deploy.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { createScratchWorkspace, type ScratchWorkspace } from './support/scratch-workspace';

/** A source file of the project (not a test), so the change is one to shipped code. */
function aSourceFileOf(root: string, projectRoot: string): string {
  const walk = (dir: string): string | undefined => {
    const entries = readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        return relative;
      }
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const found = walk(path.posix.join(dir, entry.name));
      if (found) return found;
    }
    return undefined;
  };
  const file = walk(path.posix.join(projectRoot, 'src'));
  if (!file) throw new Error(`${projectRoot}/src holds no source file`);
  return file;
}

interface Scenario {
  /** What changes, in words. */
  readonly what: string;
  /** The file a commit changes, relative to the workspace root. */
  readonly file: (root: string) => string;
  /** Whether `infra` (the one project with a `deploy` target) must be selected. */
  readonly deploys: boolean;
  /** A project the change must still affect: proof that Nx saw the commit at all. */
  readonly seenBy?: string;
}

const SCENARIOS: readonly Scenario[] = [
  {
    what: 'the health handler',
    file: (root) => aSourceFileOf(root, 'apps/health-handler'),
    deploys: true,
  },
  {
    what: 'the API handlers',
    file: (root) => aSourceFileOf(root, 'apps/api-handlers'),
    deploys: true,
  },
  { what: 'the OpenAPI contract', file: () => 'libs/contracts/openapi.yaml', deploys: true },
  { what: 'the stack itself', file: (root) => aSourceFileOf(root, 'apps/infra'), deploys: true },
  {
    what: 'only the client',
    file: (root) => aSourceFileOf(root, 'libs/tap-client'),
    deploys: false,
    seenBy: 'tap-client',
  },
  {
    // Published inside the package, so it must stay an input of the client's build.
    what: "the client's README",
    file: () => 'libs/tap-client/README.md',
    deploys: false,
    seenBy: 'tap-client',
  },
  { what: 'the root README', file: () => 'README.md', deploys: false },
  { what: "the stack's own README", file: () => 'apps/infra/README.md', deploys: false },
  { what: 'the delivery docs', file: () => 'docs/delivery.md', deploys: false },
];

describe('nx affected -t deploy', () => {
  let workspace: ScratchWorkspace;

  beforeAll(async () => {
    workspace = await createScratchWorkspace(WORKSPACE_ROOT, 'tap-affected-');
  }, 30_000);

  afterAll(() => {
    workspace?.remove();
  });

  /** Projects `nx affected` would run `target` for (all affected ones without a target). */
  async function affected(target?: string): Promise<string[]> {
    const targetArgs = target ? ['-t', target] : [];
    return workspace.nxJson<string[]>([
      'show',
      'projects',
      '--affected',
      ...targetArgs,
      '--base=main',
      '--head=HEAD',
      '--json',
    ]);
  }

  it('has exactly one project to deploy, the stack', async () => {
    // Without this, every "does not deploy" below would pass for want of a deploy target.
    await expect(
      workspace.nxJson<string[]>(['show', 'projects', '-t', 'deploy', '--json']),
    ).resolves.toEqual(['infra']);
  });

  it.each(SCENARIOS)(
    'a commit changing $what deploys the stack: $deploys',
    async ({ file, deploys, seenBy }) => {
      const changed = file(workspace.root);
      await workspace.git(
        'checkout',
        '-q',
        '-B',
        `scenario/${changed.replaceAll('/', '-')}`,
        'main',
      );
      await workspace.commitChange(changed, `test: change ${changed}`);
      await expect(workspace.git('diff', '--name-only', 'main', 'HEAD')).resolves.toBe(changed);

      const toDeploy = await affected('deploy');
      expect({ changed, toDeploy }).toEqual({ changed, toDeploy: deploys ? ['infra'] : [] });
      if (seenBy) expect(await affected()).toContain(seenBy);
    },
    20_000,
  );
});
