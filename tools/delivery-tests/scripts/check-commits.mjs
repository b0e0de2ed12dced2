#!/usr/bin/env node
// `npm run check:commits -- <range>`: every commit of a git range (`main..HEAD`,
// `<base>..<head>`, or one commit) has a conventional commit message, by the rules of
// @commitlint/config-conventional. `nx release` reads the versions from these messages:
// a commit that is not conventional releases nothing. Merge and revert commits git writes
// itself are let through (commitlint's default ignores).
//
// The structure is checked (a known type, an optional scope, `!` for a break, a
// subject); the house style is not: subjects may name an API in its own case
// (`TransactWriteItems`) and run past 100 characters, as this history's do. `bench` is a
// type too (the bench commits its results): the specification allows more types than
// feat and fix, and `nx release` bumps nothing for them.
//
// `npm run check:commits -- --message <text>` checks one message that is not a commit yet:
// a pull request's title, which a squash merge makes the subject of main's commit.
//
// Prints `<sha> <subject>` and the broken rules per rejected commit; exits 1 if any.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '@commitlint/config-conventional';
import lint from '@commitlint/lint';

/** Rules of config-conventional turned off: style, not structure (see above). */
const STYLE_RULES = [
  'subject-case',
  'header-max-length',
  'body-max-line-length',
  'footer-max-line-length',
];

const [typeLevel = 2, typeWhen = 'always', types = []] = config.rules['type-enum'] ?? [];

/** config-conventional's rules, with the house's changes. */
export const RULES = {
  ...Object.fromEntries(
    Object.entries(config.rules).filter(([name]) => !STYLE_RULES.includes(name)),
  ),
  'type-enum': [typeLevel, typeWhen, [...types, 'bench']],
};

/**
 * The parser of the config's preset, resolved from the config package (whose dependency
 * it is) rather than from the workspace.
 */
async function parserOptions() {
  const fromConfig = createRequire(import.meta.resolve('@commitlint/config-conventional'));
  const { default: createPreset } = await import(fromConfig.resolve(config.parserPreset));
  return (await createPreset()).parser;
}

/** One commit's verdict. */
/** @typedef {{ sha: string, subject: string, valid: boolean, errors: string[] }} CommitVerdict */

/**
 * Lints one commit message.
 *
 * @param {string} message the full message (subject, blank line, body)
 * @returns {Promise<{ valid: boolean, errors: string[] }>}
 */
export async function lintMessage(message) {
  const result = await lint(message, RULES, {
    parserOpts: await parserOptions(),
    defaultIgnores: true,
  });
  return {
    valid: result.valid,
    errors: result.errors.map((error) => `${error.name}: ${error.message}`),
  };
}

/**
 * Lints every commit of `range` in the repository at `cwd`, oldest first.
 *
 * @param {string} cwd
 * @param {string} range anything `git rev-list` takes (`a..b`, a commit)
 * @returns {Promise<CommitVerdict[]>}
 */
export async function checkCommits(cwd, range) {
  // A lone commit is that commit, not its whole history.
  const spec = range.includes('..') ? [range] : ['-1', range];
  const shas = execFileSync('git', ['rev-list', '--reverse', ...spec], { cwd, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const verdicts = [];
  for (const sha of shas) {
    const message = execFileSync('git', ['log', '-1', '--format=%B', sha], {
      cwd,
      encoding: 'utf8',
    });
    const { valid, errors } = await lintMessage(message.trim());
    verdicts.push({ sha, subject: message.split('\n')[0] ?? '', valid, errors });
  }
  return verdicts;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [range, message] = process.argv.slice(2);
  if (!range || (range === '--message' && message === undefined)) {
    console.error(
      'Usage: npm run check:commits -- <range>   (e.g. origin/main..HEAD)\n' +
        '       npm run check:commits -- --message <text>',
    );
    process.exit(2);
  }
  const verdicts =
    range === '--message'
      ? [
          {
            sha: '(message)',
            subject: message.split('\n')[0] ?? '',
            ...(await lintMessage(message.trim())),
          },
        ]
      : await checkCommits(process.cwd(), range);
  const rejected = verdicts.filter((verdict) => !verdict.valid);
  for (const { sha, subject, errors } of rejected) {
    console.log(`${sha.slice(0, 12)} ${subject}`);
    for (const error of errors) console.log(`  ✖ ${error}`);
  }
  console.log(
    rejected.length === 0
      ? `check:commits: ${verdicts.length} commit(s), all conventional`
      : `check:commits: ${rejected.length} of ${verdicts.length} commit(s) are not conventional commits (https://www.conventionalcommits.org)`,
  );
  process.exitCode = rejected.length === 0 ? 0 : 1;
}
