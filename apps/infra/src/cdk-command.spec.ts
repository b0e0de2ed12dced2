import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StackOutputs } from '@tap/contracts';
import {
  extractStackOutputs,
  planCdkInvocation,
  runCdkCommand,
  type CdkRunner,
} from './cdk-command';
import { findWorkspaceRoot } from './lambda-bundle';

const ROOT = path.join(path.sep, 'workspace');

const OUTPUTS: StackOutputs = {
  ApiUrl: 'https://abc123.execute-api.us-west-2.amazonaws.com',
  TableName: 'tap-data-table-alice',
  KeyTableName: 'tap-api-keys-alice',
  BucketName: 'tap-files-alice-123456789012-us-west-2',
  UserPoolId: 'us-west-2_AbCdEfGhI',
  UserPoolClientId: '1example23456789abcdefghij',
  IssuerUrl: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEfGhI',
  KmsKeyArn: 'arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555',
  EnvironmentSuffix: 'alice',
};

describe('nx run infra:destroy (scripts/cdk.ts)', () => {
  it('refuses a protected environment with a clear message and a non-zero exit, before running cdk', () => {
    const result = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.join(__dirname, '..', 'scripts', 'cdk.ts'), 'destroy'],
      { env: { ...process.env, ENVIRONMENT_SUFFIX: 'prod' }, encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'Refusing to destroy TapStack-prod: environment "prod" is protected',
    );
    // Refused while planning: the cdk CLI never started.
    expect(result.stdout).not.toContain('cdk destroy');
  });
});

describe('cdk command wrapper', () => {
  describe('planning', () => {
    it('diffs the stack of ENVIRONMENT_SUFFIX, passing the suffix on as context', () => {
      expect(planCdkInvocation('diff', [], { ENVIRONMENT_SUFFIX: 'alice' }, ROOT).cdkArgs).toEqual([
        'diff',
        'TapStack-alice',
        '--context',
        'environmentSuffix=alice',
      ]);
    });

    it('deploys without approval prompts, writing outputs to cfn-outputs/<suffix>.json', () => {
      const plan = planCdkInvocation(
        'deploy',
        ['--verbose'],
        { ENVIRONMENT_SUFFIX: 'alice' },
        ROOT,
      );
      const outputsFile = path.join(ROOT, 'cfn-outputs', 'alice.json');
      expect(plan.outputsFile).toBe(outputsFile);
      expect(plan.cdkArgs).toEqual([
        'deploy',
        'TapStack-alice',
        '--context',
        'environmentSuffix=alice',
        '--require-approval',
        'never',
        '--outputs-file',
        outputsFile,
        '--verbose',
      ]);
    });

    it('destroys without asking', () => {
      expect(planCdkInvocation('destroy', [], {}, ROOT).cdkArgs).toEqual([
        'destroy',
        'TapStack-dev',
        '--context',
        'environmentSuffix=dev',
        '--force',
      ]);
    });

    it.each([
      [['-c', 'environmentSuffix=bob']],
      [['--context', 'environmentSuffix=bob']],
      [['--context=environmentSuffix=bob']],
    ])('takes the suffix from context %j over ENVIRONMENT_SUFFIX, like the app', (args) => {
      const plan = planCdkInvocation('diff', args, { ENVIRONMENT_SUFFIX: 'alice' }, ROOT);
      expect(plan.stackName).toBe('TapStack-bob');
      expect(plan.cdkArgs).toEqual(['diff', 'TapStack-bob', '--context', 'environmentSuffix=bob']);
    });

    it('passes other context values through', () => {
      const args = ['-c', 'corsAllowOrigins=https://a.example.com'];
      expect(planCdkInvocation('diff', args, {}, ROOT).cdkArgs).toEqual([
        'diff',
        'TapStack-dev',
        '--context',
        'environmentSuffix=dev',
        ...args,
      ]);
    });

    it('refuses an invalid suffix with the rule it breaks', () => {
      expect(() =>
        planCdkInvocation('deploy', [], { ENVIRONMENT_SUFFIX: 'Bad_Name' }, ROOT),
      ).toThrow('only lowercase letters, digits and hyphens are allowed');
    });

    describe('destroy of a protected environment', () => {
      it.each(['prod', 'staging'])('refuses %s, the default protected environments', (suffix) => {
        expect(() =>
          planCdkInvocation('destroy', [], { ENVIRONMENT_SUFFIX: suffix }, ROOT, {}),
        ).toThrow(
          `Refusing to destroy TapStack-${suffix}: environment "${suffix}" is protected ` +
            '(protectedEnvironments: prod, staging).',
        );
      });

      it("refuses the environments the project's cdk.json protects", () => {
        const projectContext = { protectedEnvironments: ['live'] };
        expect(() =>
          planCdkInvocation('destroy', ['-c', 'environmentSuffix=live'], {}, ROOT, projectContext),
        ).toThrow('Refusing to destroy TapStack-live');
        expect(
          planCdkInvocation('destroy', [], { ENVIRONMENT_SUFFIX: 'prod' }, ROOT, projectContext)
            .stackName,
        ).toBe('TapStack-prod');
      });

      it('reads the protected environments from the cdk.json of the workspace', () => {
        expect(() =>
          planCdkInvocation('destroy', [], { ENVIRONMENT_SUFFIX: 'prod' }, findWorkspaceRoot()),
        ).toThrow('Refusing to destroy TapStack-prod');
      });

      it('lets -c protectedEnvironments add a protected environment, never remove one', () => {
        const args = ['--context=protectedEnvironments=alice'];
        expect(() =>
          planCdkInvocation('destroy', args, { ENVIRONMENT_SUFFIX: 'alice' }, ROOT, {}),
        ).toThrow('Refusing to destroy TapStack-alice');
        expect(() =>
          planCdkInvocation('destroy', args, { ENVIRONMENT_SUFFIX: 'prod' }, ROOT, {}),
        ).toThrow('Refusing to destroy TapStack-prod');
      });

      it('still diffs and deploys a protected environment', () => {
        for (const command of ['diff', 'deploy']) {
          expect(
            planCdkInvocation(command, [], { ENVIRONMENT_SUFFIX: 'prod' }, ROOT, {}).stackName,
          ).toBe('TapStack-prod');
        }
      });
    });

    it('refuses other commands', () => {
      expect(() => planCdkInvocation('bootstrap', [], {}, ROOT)).toThrow(
        'Unknown command "bootstrap": use diff, deploy, destroy',
      );
    });
  });

  describe('outputs', () => {
    it('keeps exactly the contract outputs of the deployed stack', () => {
      const all = {
        'TapStack-alice': { ...OUTPUTS, ExtraOutput: 'x' },
        'TapStack-bob': { ...OUTPUTS, EnvironmentSuffix: 'bob' },
      };
      expect(extractStackOutputs(all, 'TapStack-alice')).toEqual(OUTPUTS);
    });

    it('fails when the stack or an output is missing', () => {
      expect(() => extractStackOutputs({}, 'TapStack-alice')).toThrow(
        'The cdk outputs file has no outputs for stack TapStack-alice',
      );
      const partial = Object.fromEntries(
        Object.entries(OUTPUTS).filter(([key]) => key !== 'KmsKeyArn'),
      );
      expect(() => extractStackOutputs({ 'TapStack-alice': partial }, 'TapStack-alice')).toThrow(
        'Stack TapStack-alice has no output KmsKeyArn',
      );
    });
  });

  describe('running', () => {
    let workspace: string;

    beforeEach(() => {
      workspace = mkdtempSync(path.join(tmpdir(), 'tap-cdk-'));
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
    });

    afterEach(() => {
      rmSync(workspace, { recursive: true, force: true });
      jest.restoreAllMocks();
    });

    it('runs cdk from apps/infra and rewrites the outputs file to the stack outputs alone', () => {
      const calls: { args: readonly string[]; cwd: string }[] = [];
      // Writes what `cdk deploy --outputs-file` writes: every stack's outputs by name.
      const runCdk: CdkRunner = (args, cwd) => {
        calls.push({ args, cwd });
        const file = args[args.indexOf('--outputs-file') + 1] as string;
        writeFileSync(file, JSON.stringify({ 'TapStack-alice': { ...OUTPUTS, Other: 'x' } }));
        return 0;
      };
      const status = runCdkCommand(['deploy'], {
        env: { ENVIRONMENT_SUFFIX: 'alice' },
        workspaceRoot: workspace,
        runCdk,
      });
      expect(status).toBe(0);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.cwd).toBe(path.join(workspace, 'apps', 'infra'));
      const written: unknown = JSON.parse(
        readFileSync(path.join(workspace, 'cfn-outputs', 'alice.json'), 'utf8'),
      );
      expect(written).toEqual(OUTPUTS);
      expect(Object.keys(written as object)).toEqual([
        'ApiUrl',
        'TableName',
        'KeyTableName',
        'BucketName',
        'UserPoolId',
        'UserPoolClientId',
        'IssuerUrl',
        'KmsKeyArn',
        'EnvironmentSuffix',
      ]);
    });

    it('never runs cdk destroy for a protected environment', () => {
      const runCdk = jest.fn<number, Parameters<CdkRunner>>(() => 0);
      expect(() =>
        runCdkCommand(['destroy'], {
          env: { ENVIRONMENT_SUFFIX: 'prod' },
          workspaceRoot: workspace,
          runCdk,
        }),
      ).toThrow('Refusing to destroy TapStack-prod');
      expect(runCdk).not.toHaveBeenCalled();
    });

    it('returns the cdk exit code and leaves outputs alone when cdk fails', () => {
      const status = runCdkCommand(['deploy'], {
        env: {},
        workspaceRoot: workspace,
        runCdk: () => 3,
      });
      expect(status).toBe(3);
      expect(existsSync(path.join(workspace, 'cfn-outputs', 'dev.json'))).toBe(false);
    });
  });
});
