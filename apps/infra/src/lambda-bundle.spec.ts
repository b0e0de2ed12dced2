import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { AssetCode } from 'aws-cdk-lib/aws-lambda';
import { FUNCTIONS } from '@tap/contracts';
import { findWorkspaceRoot, lambdaBundleCode } from './lambda-bundle';

describe('lambda bundles', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'tap-infra-'));
    writeFileSync(path.join(workspace, 'nx.json'), '{}');
  });

  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('finds the workspace root from any folder below it', () => {
    const nested = path.join(workspace, 'apps', 'infra', 'src');
    mkdirSync(nested, { recursive: true });
    expect(findWorkspaceRoot(nested)).toBe(workspace);
    expect(findWorkspaceRoot(workspace)).toBe(workspace);
  });

  it('finds this workspace from the infra sources', () => {
    expect(findWorkspaceRoot()).toBe(path.resolve(__dirname, '..', '..', '..'));
  });

  it('fails outside a workspace', () => {
    rmSync(path.join(workspace, 'nx.json'));
    expect(() => findWorkspaceRoot(workspace)).toThrow('cannot locate the TAP workspace root');
  });

  it('refuses a missing bundle, telling how to build it', () => {
    expect(() => lambdaBundleCode(FUNCTIONS.authorizer, workspace)).toThrow(
      'Lambda bundle dist/apps/api-handlers/authorizer/index.mjs is missing: ' +
        'build the handlers first with `npx nx run-many -t build`',
    );
  });

  it('packages the bundle folder as the function code', () => {
    const bundleDir = path.join(workspace, FUNCTIONS.health.bundleDir);
    mkdirSync(bundleDir, { recursive: true });
    writeFileSync(path.join(bundleDir, 'index.mjs'), 'export const handler = async () => ({});');
    const code = lambdaBundleCode(FUNCTIONS.health, workspace);
    expect(code).toBeInstanceOf(AssetCode);
    expect((code as AssetCode).path).toBe(bundleDir);
    expect(code.bind(new Stack()).s3Location).toBeDefined();
  });
});
