import {
  appendFileSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isolatedEnv, runOrThrow, type RunResult, run } from './processes';

/**
 * A throwaway copy of this workspace in its own git repository, so tests can make real
 * commits and ask the real Nx what they affect, without touching the checkout they run
 * in (where other people's work is in progress).
 */
export interface ScratchWorkspace {
  /** Absolute path of the copy. */
  readonly root: string;
  /** Runs git in the copy; resolves to its trimmed stdout. */
  git(...args: string[]): Promise<string>;
  /** Runs the workspace's Nx in the copy, with its own cache and no daemon. */
  nx(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** `nx ... --json`, parsed; fails with Nx's output when it does not exit 0. */
  nxJson<T>(args: readonly string[]): Promise<T>;
  /** Appends a comment line to `file` (syntax chosen by extension) and commits it. */
  commitChange(file: string, message: string): Promise<void>;
  /** Deletes the copy (the node_modules links, never what they point to). */
  remove(): void;
}

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Delivery Tests',
  GIT_AUTHOR_EMAIL: 'delivery-tests@example.invalid',
  GIT_COMMITTER_NAME: 'Delivery Tests',
  GIT_COMMITTER_EMAIL: 'delivery-tests@example.invalid',
};

/** A comment in the file's own syntax, so the change is a plausible edit. */
function commentFor(file: string): string {
  const ext = path.extname(file);
  if (ext === '.md') return '\n<!-- delivery-tests: changed -->\n';
  if (ext === '.yaml' || ext === '.yml') return '\n# delivery-tests: changed\n';
  return '\n// delivery-tests: changed\n';
}

/**
 * Links the workspace's installed packages into the copy. The workspace's own packages
 * (`@tap/*`) are relative links into the copy's sources, as npm made them: were the
 * whole `node_modules` one link, those would resolve into the original checkout and
 * Nx would see no dependency between the copied projects.
 */
function linkNodeModules(workspaceRoot: string, root: string): void {
  const source = path.join(workspaceRoot, 'node_modules');
  const target = path.join(root, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry === '@tap') continue;
    symlinkSync(path.join(source, entry), path.join(target, entry));
  }
  const ownScope = path.join(source, '@tap');
  if (!existsSync(ownScope)) return;
  mkdirSync(path.join(target, '@tap'));
  for (const entry of readdirSync(ownScope)) {
    symlinkSync(readlinkSync(path.join(ownScope, entry)), path.join(target, '@tap', entry));
  }
}

/** The file a package's `bin` entry points to, as installed in `root`. */
export function binOf(root: string, packageName: string, binName: string): string {
  const packageDir = path.join(root, 'node_modules', packageName);
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  if (!bin) throw new Error(`${packageName} has no bin ${binName}`);
  return path.join(packageDir, bin);
}

/**
 * Copies what git would see of the workspace (tracked files and untracked, non-ignored
 * ones: the working tree as it is now) into a new temporary directory and commits it on
 * `main` as the base of every scenario.
 */
export async function createScratchWorkspace(
  workspaceRoot: string,
  prefix = 'tap-scratch-',
): Promise<ScratchWorkspace> {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const gitEnv = isolatedEnv(GIT_IDENTITY);
  const git = async (...args: string[]): Promise<string> =>
    (await runOrThrow('git', args, { cwd: root, env: gitEnv })).stdout.trim();
  try {
    const listed = await runOrThrow(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: workspaceRoot },
    );
    const files = listed.stdout.split('\0').filter((file) => file !== '');
    for (const file of files) {
      const from = path.join(workspaceRoot, file);
      const to = path.join(root, file);
      // A tracked file deleted in the working tree is not part of the snapshot.
      const stats = lstatSync(from, { throwIfNoEntry: false });
      if (!stats) continue;
      mkdirSync(path.dirname(to), { recursive: true });
      // Git lists a symbolic link as a file: it stays a link, never a copy of its target.
      if (stats.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
      else if (stats.isFile()) copyFileSync(from, to);
    }
    linkNodeModules(workspaceRoot, root);
    await git('init', '-q', '-b', 'main');
    await git('config', 'commit.gpgsign', 'false');
    await git('config', 'tag.gpgsign', 'false');
    await git('config', 'user.name', GIT_IDENTITY.GIT_AUTHOR_NAME);
    await git('config', 'user.email', GIT_IDENTITY.GIT_AUTHOR_EMAIL);
    await git('add', '-A');
    await git('commit', '-q', '-m', 'chore: workspace snapshot');
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const nxEnv = isolatedEnv({
    ...GIT_IDENTITY,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: path.join(root, '.nx', 'workspace-data'),
  });
  const nxBin = binOf(root, 'nx', 'nx');
  const nx = (args: readonly string[], timeoutMs = 60_000): Promise<RunResult> =>
    run(process.execPath, [nxBin, ...args], { cwd: root, env: nxEnv, timeoutMs });

  return {
    root,
    git,
    nx,
    async nxJson<T>(args: readonly string[]): Promise<T> {
      const result = await nx(args);
      if (result.code !== 0) {
        throw new Error(`nx ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    async commitChange(file: string, message: string): Promise<void> {
      appendFileSync(path.join(root, file), commentFor(file));
      await git('add', '--', file);
      await git('commit', '-q', '-m', message);
    },
    remove(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
