/**
 * The release configuration (nx.json `release`, tap-client's publish target) run for
 * real on a scratch copy of this workspace whose history, like a fresh CI clone's, has no
 * release tag yet; only the upload to npm is a dry run. The story runs in order: a first
 * release, its publish, a release caused by the contract alone, a change the client
 * does not ship, and what CI selects on the run after a release commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { run } from './support/processes';
import { binOf, createScratchWorkspace, type ScratchWorkspace } from './support/scratch-workspace';

const CLIENT_MANIFEST = 'libs/tap-client/package.json';
const BUILT_MANIFEST = 'dist/libs/tap-client/package.json';
const CHANGELOG = 'libs/tap-client/CHANGELOG.md';
/** The script main.yml's checks run to pick their base (see the workflows spec). */
const RELEASE_AWARE_BASE = 'tools/delivery-tests/scripts/release-aware-base.mjs';

/**
 * The version after a conventional-commits bump. Below 1.0.0 Nx shifts bumps down one
 * level (`adjustSemverBumpsForZeroMajorVersion`): a feature is a patch, a break a minor.
 */
function bumped(version: string, bump: 'minor' | 'patch'): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  const effective = major === 0 && bump === 'minor' ? 'patch' : bump;
  return effective === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

describe('nx release of @tap/client', () => {
  let workspace: ScratchWorkspace;
  const read = (file: string): string => readFileSync(path.join(workspace.root, file), 'utf8');
  const versionIn = (file: string): string =>
    (JSON.parse(read(file)) as { version: string }).version;
  const tags = async (): Promise<string[]> =>
    (await workspace.git('tag', '--list')).split('\n').filter((tag) => tag !== '');

  /** `nx release` as CI runs it, publishing aside; fails with Nx's output. */
  async function release(): Promise<void> {
    const result = await workspace.nx(['release', '--skip-publish'], 90_000);
    if (result.code !== 0) {
      throw new Error(`nx release failed:\n${result.stdout}\n${result.stderr}`);
    }
  }

  beforeAll(async () => {
    workspace = await createScratchWorkspace(WORKSPACE_ROOT, 'tap-release-');
  }, 30_000);

  afterAll(() => {
    workspace?.remove();
  });

  it('releases from a history without tags: version, changelog, commit and tag', async () => {
    await expect(tags()).resolves.toEqual([]);
    const next = bumped(versionIn(CLIENT_MANIFEST), 'minor');
    await workspace.commitChange(
      'libs/tap-client/src/index.ts',
      'feat(tap-client): list items by tag',
    );
    await workspace.commitChange('apps/infra/src/main.ts', 'feat(infra): alarms on the stack');

    await release();

    await expect(tags()).resolves.toEqual([`tap-client@${next}`]);
    expect(versionIn(CLIENT_MANIFEST)).toBe(next);
    const changelog = read(CHANGELOG);
    expect(changelog).toMatch(new RegExp(`^## ${next.replaceAll('.', '\\.')} `));
    expect(changelog).toContain('list items by tag');
    expect(changelog).not.toContain('alarms on the stack');
    await expect(workspace.git('log', '-1', '--format=%s')).resolves.toBe(
      'chore(release): publish',
    );
    const released = (await workspace.git('show', '--name-only', '--format=', 'HEAD')).split('\n');
    expect(released.sort()).toEqual([CHANGELOG, CLIENT_MANIFEST, 'package-lock.json']);
  }, 120_000);

  it('leaves a release commit that passes the format check of `npm test`', async () => {
    const released = (await workspace.git('show', '--name-only', '--format=', 'HEAD')).split('\n');
    const prettier = binOf(workspace.root, 'prettier', 'prettier');
    const format = await run(process.execPath, [prettier, '--check', ...released], {
      cwd: workspace.root,
    });
    expect({ code: format.code, output: format.stdout + format.stderr }).toMatchObject({ code: 0 });
  });

  it('publishes the released version from the package built after versioning', async () => {
    const result = await workspace.nx(['release', 'publish', '--dry-run'], 90_000);
    expect(result.code).toBe(0);
    // nx-release-publish depends on build: dist/libs/tap-client carries the new version.
    expect(versionIn(BUILT_MANIFEST)).toBe(versionIn(CLIENT_MANIFEST));
    expect(result.stdout).toMatch(/Would publish to \S+ with tag "latest"/);
    expect(result.stdout).toMatch(/index\.d\.ts/);
  }, 120_000);

  it('releases the client again when only the contract it is typed from changed', async () => {
    const next = bumped(versionIn(CLIENT_MANIFEST), 'minor');
    await workspace.commitChange(
      'libs/contracts/openapi.yaml',
      'feat(contracts): items carry a colour',
    );

    await release();

    await expect(tags()).resolves.toContain(`tap-client@${next}`);
    expect(versionIn(CLIENT_MANIFEST)).toBe(next);
    // Nx lists only commits to the client's own files; the entry says why there is none.
    expect(read(CHANGELOG)).toContain('this version follows a change in what it is built from');
  }, 120_000);

  it('does not release the client for a change it does not ship', async () => {
    const before = { tags: await tags(), version: versionIn(CLIENT_MANIFEST) };
    await workspace.commitChange('apps/infra/src/main.ts', 'fix(infra): alarm threshold');

    await release();

    expect({ tags: await tags(), version: versionIn(CLIENT_MANIFEST) }).toEqual(before);
  }, 120_000);

  /** The base main.yml's checks compare with, from nx-set-shas' base: the workflow's own script. */
  async function ciBase(base: string, head = 'HEAD'): Promise<string> {
    const result = await run(
      process.execPath,
      [path.join(workspace.root, RELEASE_AWARE_BASE), base, head],
      { cwd: workspace.root },
    );
    if (result.code !== 0) throw new Error(`release-aware-base failed:\n${result.stderr}`);
    return result.stdout.trim();
  }

  /** What main.yml's deploy-scope step asks (`-t deploy`), or every affected project. */
  const affected = (base: string, target?: string[]): Promise<string[]> =>
    workspace.nxJson<string[]>([
      'show',
      'projects',
      '--affected',
      ...(target ?? []),
      `--base=${base}`,
      '--head=HEAD',
      '--json',
    ]);

  describe('the run after a release', () => {
    let beforeRelease: string;
    let releaseCommit: string;

    beforeAll(async () => {
      await workspace.commitChange('libs/tap-client/src/index.ts', 'fix(tap-client): retry on 503');
      beforeRelease = await workspace.git('rev-parse', 'HEAD');
      await release();
      releaseCommit = await workspace.git('rev-parse', 'HEAD');
    }, 120_000);

    it('made a release commit: package-lock.json changed, which Nx reads as everything', async () => {
      await expect(workspace.git('log', '-1', '--format=%s')).resolves.toBe(
        'chore(release): publish',
      );
      // The problem the base solves: compared with the commit before it, all is affected.
      expect(await affected(beforeRelease, ['-t', 'deploy'])).toEqual(['infra']);
    }, 60_000);

    it('selects nothing: the base moves past the release commit', async () => {
      const base = await ciBase(beforeRelease);
      expect(base).toBe(releaseCommit);
      expect(await affected(base)).toEqual([]);
      expect(await affected(base, ['-t', 'deploy'])).toEqual([]);
    }, 60_000);

    it('still selects what the next commit changes, and only that', async () => {
      await workspace.commitChange('apps/infra/src/main.ts', 'fix(infra): alarm period');
      const base = await ciBase(beforeRelease);
      expect(base).toBe(releaseCommit);
      expect(await affected(base, ['-t', 'deploy'])).toEqual(['infra']);
      expect(await affected(base)).not.toContain('tap-client');
    }, 60_000);

    it('does not pass over a commit that only has the release subject', async () => {
      const before = await workspace.git('rev-parse', 'HEAD');
      await workspace.commitChange('apps/infra/src/main.ts', 'chore(release): publish');
      expect(await ciBase(before)).toBe(before);
    }, 60_000);

    it('does not pass over a "release" that changes a dependency in the lockfile', async () => {
      const before = await workspace.git('rev-parse', 'HEAD');
      const lockfile = JSON.parse(read('package-lock.json')) as {
        packages: Record<string, { version?: string }>;
      };
      const dependency = lockfile.packages['node_modules/openapi-fetch'];
      if (!dependency) throw new Error('package-lock.json has no openapi-fetch');
      dependency.version = '0.0.1';
      writeFileSync(
        path.join(workspace.root, 'package-lock.json'),
        `${JSON.stringify(lockfile, null, 2)}\n`,
      );
      await workspace.git('commit', '-q', '-am', 'chore(release): publish');
      expect(await ciBase(before)).toBe(before);
    }, 60_000);
  });
});
