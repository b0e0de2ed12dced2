#!/usr/bin/env node
// The base `nx affected` compares with in CI, moved past the release commits that follow
// it. `nx release` commits `chore(release): publish` on main: a new version in the
// released package's package.json and in package-lock.json, and a CHANGELOG entry. Nx
// reads any package-lock.json change as a change to every project, so without this the
// merge after a release (even a docs-only one) would check and deploy everything.
//
//   node tools/delivery-tests/scripts/release-aware-base.mjs <base> <head>
//
// Prints the base to use: `<base>` itself, or the last of the release commits that come
// right after it on head's first-parent line. A commit counts only when it is exactly
// what `nx release` writes: one parent, the release subject, and nothing changed but
// `version` fields of workspace packages (package.json files, their package-lock.json
// entries) and CHANGELOG.md files. A commit with the subject and anything else is an
// ordinary commit, and so is everything after it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The subject of Nx's release commit (nx.json `release.git.commitMessage`, default). */
export const RELEASE_SUBJECT = 'chore(release): publish';

const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trimEnd();

/** A file at a commit, or `undefined` where it does not exist. */
function show(cwd, commit, file) {
  try {
    return execFileSync('git', ['show', `${commit}:${file}`], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

/** A manifest without its `version`: what must not change in a release commit. */
function withoutVersion(manifest) {
  const rest = { ...manifest };
  delete rest.version;
  return rest;
}

/**
 * A lockfile without the versions of the workspace's own packages (its `packages` keys
 * outside `node_modules/`): those are all a release changes in it.
 */
function withoutWorkspaceVersions(lockfile) {
  const packages = Object.fromEntries(
    Object.entries(lockfile.packages ?? {}).map(([key, entry]) =>
      key.startsWith('node_modules/') || key === '' ? [key, entry] : [key, withoutVersion(entry)],
    ),
  );
  return { ...lockfile, packages };
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Why `file` changed by more than a release changes it; `undefined` if it did not. */
function nonReleaseChange(cwd, commit, file) {
  if (path.posix.basename(file) === 'CHANGELOG.md') return undefined;
  const before = show(cwd, `${commit}^`, file);
  const after = show(cwd, commit, file);
  if (before === undefined || after === undefined) return `${file} added or removed`;
  try {
    if (file === 'package-lock.json') {
      const same = sameJson(
        withoutWorkspaceVersions(JSON.parse(before)),
        withoutWorkspaceVersions(JSON.parse(after)),
      );
      return same ? undefined : 'package-lock.json changes more than workspace versions';
    }
    if (path.posix.basename(file) === 'package.json' && file !== 'package.json') {
      const same = sameJson(withoutVersion(JSON.parse(before)), withoutVersion(JSON.parse(after)));
      return same ? undefined : `${file} changes more than its version`;
    }
  } catch {
    return `${file} is not valid JSON`;
  }
  return `${file} is not a release file`;
}

/**
 * Why `commit` is not a release commit, or `undefined` when it is one.
 *
 * @param {string} cwd the repository
 * @param {string} commit a commit id
 * @returns {string | undefined}
 */
export function notAReleaseCommit(cwd, commit) {
  const [parents = '', subject = ''] = git(cwd, 'log', '-1', '--format=%P%n%s', commit).split('\n');
  if (parents.split(' ').filter(Boolean).length !== 1) return 'not a single-parent commit';
  if (subject !== RELEASE_SUBJECT) return `subject is not "${RELEASE_SUBJECT}"`;
  const files = git(cwd, 'diff-tree', '--no-commit-id', '--name-only', '-r', commit)
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    const reason = nonReleaseChange(cwd, commit, file);
    if (reason) return reason;
  }
  return undefined;
}

/**
 * The base to compare `head` with: `base`, moved over the release commits right after it.
 *
 * @param {string} cwd the repository
 * @param {string} base the last commit CI checked and deployed (nx-set-shas' base)
 * @param {string} head the commit to check
 * @returns {{ base: string, skipped: string[] }} the base and the release commits passed over
 */
export function releaseAwareBase(cwd, base, head) {
  const baseId = git(cwd, 'rev-parse', '--verify', `${base}^{commit}`);
  const line = git(cwd, 'rev-list', '--first-parent', '--reverse', `${baseId}..${head}`)
    .split('\n')
    .filter(Boolean);
  let moved = baseId;
  const skipped = [];
  for (const commit of line) {
    // Only a commit whose parent is the current base: the first-parent line may pass
    // through a merge, and a release commit beyond it is no longer "right after".
    if (git(cwd, 'rev-parse', `${commit}^`) !== moved) break;
    if (notAReleaseCommit(cwd, commit) !== undefined) break;
    moved = commit;
    skipped.push(commit);
  }
  return { base: moved, skipped };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [base, head = 'HEAD'] = process.argv.slice(2);
  if (!base) {
    console.error('Usage: release-aware-base.mjs <base> [head]');
    process.exit(2);
  }
  const result = releaseAwareBase(process.cwd(), base, head);
  for (const commit of result.skipped)
    console.error(`Release commit ${commit}: not a change to check`);
  console.log(result.base);
}
