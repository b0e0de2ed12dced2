/**
 * The janitor's choice (janitor.yml runs expired-stacks.mjs over `describe-stacks`): the
 * disposable stacks whose `tap:expires-at` has passed, never a protected one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { runOrThrow } from './support/processes';

const EXPIRED_STACKS = path.join(
  WORKSPACE_ROOT,
  'tools',
  'delivery-tests',
  'scripts',
  'expired-stacks.mjs',
);
const NOW = '2026-06-01T12:00:00Z';
const PAST = '2026-06-01T11:59:59Z';
const FUTURE = '2026-06-02T00:00:00Z';

const stack = (
  name: string,
  expiresAt?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  StackName: name,
  StackStatus: 'CREATE_COMPLETE',
  Tags: [
    { Key: 'project', Value: 'tap' },
    ...(expiresAt === undefined ? [] : [{ Key: 'tap:expires-at', Value: expiresAt }]),
  ],
  ...extra,
});

describe('the janitor', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tap-janitor-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function expired(stacks: Record<string, unknown>[]): Promise<string[]> {
    const file = path.join(dir, 'stacks.json');
    writeFileSync(file, JSON.stringify({ Stacks: stacks }));
    const result = await runOrThrow(process.execPath, [EXPIRED_STACKS, file, '--now', NOW], {
      cwd: dir,
    });
    return result.stdout.split('\n').filter(Boolean);
  }

  it('destroys the PR and developer stacks past their tap:expires-at, and only those', async () => {
    await expect(
      expired([
        stack('TapStack-pr41', PAST),
        stack('TapStack-alice', PAST),
        stack('TapStack-pr42', FUTURE),
        stack('TapStack-bob'),
        stack('OtherStack-pr1', PAST),
      ]),
    ).resolves.toEqual(['TapStack-alice', 'TapStack-pr41']);
  });

  it('never destroys a protected environment, whatever its tag says', async () => {
    await expect(
      expired([stack('TapStack-prod', PAST), stack('TapStack-staging', PAST)]),
    ).resolves.toEqual([]);
  });

  it('leaves a stack with termination protection, one being deleted, or an unreadable tag', async () => {
    await expect(
      expired([
        stack('TapStack-carol', PAST, { EnableTerminationProtection: true }),
        stack('TapStack-pr7', PAST, { StackStatus: 'DELETE_IN_PROGRESS' }),
        stack('TapStack-pr8', 'tomorrow'),
      ]),
    ).resolves.toEqual([]);
  });

  it('is what janitor.yml runs, on the stacks the PR deploys tag', () => {
    const workflows = path.join(WORKSPACE_ROOT, '.github', 'workflows');
    expect(readFileSync(path.join(workflows, 'janitor.yml'), 'utf8')).toContain(
      'node tools/delivery-tests/scripts/expired-stacks.mjs stacks.json',
    );
    expect(readFileSync(path.join(workflows, 'pull-request.yml'), 'utf8')).toContain(
      '--tags "tap:expires-at=$expires_at"',
    );
  });
});
