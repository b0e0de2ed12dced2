import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findWorkspaceRoot, WORKSPACE_ROOT } from './workspace-root';

describe('the workspace root', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'tap-workspace-root-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('is the nearest folder at or above the start holding nx.json', () => {
    const workspace = path.join(scratch, 'workspace');
    const nested = path.join(workspace, 'tools', 'some', 'deep', 'folder');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(workspace, 'nx.json'), '{}');

    expect(findWorkspaceRoot(nested)).toBe(workspace);
    expect(findWorkspaceRoot(workspace)).toBe(workspace);
  });

  it('is this workspace by default, whatever the current directory', () => {
    const cwd = process.cwd();
    process.chdir(scratch);
    try {
      expect(findWorkspaceRoot()).toBe(path.resolve(__dirname, '..', '..', '..'));
    } finally {
      process.chdir(cwd);
    }
    expect(WORKSPACE_ROOT).toBe(path.resolve(__dirname, '..', '..', '..'));
  });

  it('fails, naming the start, outside any workspace', () => {
    expect(() => findWorkspaceRoot(scratch)).toThrow(`No nx.json found in ${scratch} or above`);
  });
});
