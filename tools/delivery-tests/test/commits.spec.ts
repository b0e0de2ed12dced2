/**
 * `npm run check:commits -- <range>` (the PR workflow's commit check) on a scratch
 * repository: conventional commits pass, a commit that is not one fails the range and is
 * named.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { isolatedEnv, run, runOrThrow, type RunResult } from './support/processes';

const CHECK_COMMITS = path.join(
  WORKSPACE_ROOT,
  'tools',
  'delivery-tests',
  'scripts',
  'check-commits.mjs',
);

describe('the conventional commits check', () => {
  let repo: string;
  const env = isolatedEnv({
    GIT_AUTHOR_NAME: 'Delivery Tests',
    GIT_AUTHOR_EMAIL: 'delivery-tests@example.invalid',
    GIT_COMMITTER_NAME: 'Delivery Tests',
    GIT_COMMITTER_EMAIL: 'delivery-tests@example.invalid',
  });
  const git = async (...args: string[]): Promise<string> =>
    (await runOrThrow('git', args, { cwd: repo, env })).stdout.trim();
  let counter = 0;
  /** Commits a change with `message`; resolves to its id. */
  async function commit(message: string): Promise<string> {
    writeFileSync(path.join(repo, 'file.txt'), `change ${++counter}\n`);
    await git('add', 'file.txt');
    await git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  }
  const check = (range: string): Promise<RunResult> =>
    run(process.execPath, [CHECK_COMMITS, range], { cwd: repo, env });

  beforeAll(async () => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'tap-commits-'));
    await git('init', '-q', '-b', 'main');
    await git('config', 'commit.gpgsign', 'false');
    await commit('chore: start');
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('is the npm script check:commits', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(WORKSPACE_ROOT, 'package.json'), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts['check:commits']).toBe(
      'node tools/delivery-tests/scripts/check-commits.mjs',
    );
  });

  it('accepts a range of conventional commits, scopes, breaks and the release commit alike', async () => {
    const base = await git('rev-parse', 'HEAD');
    await commit('feat(api-handlers): TransactWriteItems on the emulator');
    await commit('fix!: items keep their tags\n\nBREAKING CHANGE: tags are a set');
    await commit('chore(release): publish\n\n- project: tap-client 0.2.0');
    const result = await check(`${base}..HEAD`);
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: 0,
      stdout: 'check:commits: 3 commit(s), all conventional\n',
    });
  });

  it('rejects a range holding a commit that is not conventional, and names it', async () => {
    const base = await git('rev-parse', 'HEAD');
    await commit('feat(infra): alarms on the stack');
    const bad = await commit('Fix the alarm threshold');
    const result = await check(`${base}..HEAD`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${bad.slice(0, 12)} Fix the alarm threshold`);
    expect(result.stdout).toMatch(/type-empty/);
    expect(result.stdout).toContain('1 of 2 commit(s) are not conventional commits');
  });

  it("checks a pull request's title, the subject a squash merge gives main's commit", async () => {
    const good = await run(process.execPath, [CHECK_COMMITS, '--message', 'fix(infra): alarms'], {
      cwd: repo,
      env,
    });
    expect(good).toMatchObject({
      code: 0,
      stdout: 'check:commits: 1 commit(s), all conventional\n',
    });
    const bad = await run(process.execPath, [CHECK_COMMITS, '--message', 'Update main.yml'], {
      cwd: repo,
      env,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/\(message\) Update main\.yml\n {2}✖ subject-empty/);
  });

  it('rejects an unknown type', async () => {
    await commit('feature: list items by tag');
    const result = await check('HEAD');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/type-enum/);
  });
});
