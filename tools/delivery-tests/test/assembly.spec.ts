/**
 * Build once: main.yml's checks job synthesizes the staging and production cloud
 * assemblies and uploads them; the deploy jobs deploy those directories with
 * `cdk deploy --app <dir>`. Here the checks job's own step runs in a scratch copy of this
 * workspace, and the cdk CLI is asked what each deploy job's `--app` holds, without
 * synthesizing anything. The bootstrap policy is generated from the same assembly.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { isolatedEnv, run, runOrThrow } from './support/processes';
import { binOf, createScratchWorkspace, type ScratchWorkspace } from './support/scratch-workspace';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}

const main = parse(
  readFileSync(path.join(WORKSPACE_ROOT, '.github', 'workflows', 'main.yml'), 'utf8'),
) as { jobs: Record<string, Job> };
const job = (id: string): Job => {
  const found = main.jobs[id];
  if (!found) throw new Error(`main.yml has no job ${id}`);
  return found;
};

/** The accounts (fictitious) of the protected environments: AWS_*_ACCOUNT_ID in CI. */
const ACCOUNTS = { staging: '111111111111', prod: '222222222222' };

/**
 * What a protected environment needs in context to synthesize (TAP_CDK_CONTEXT in CI): its
 * account, which the assembly must be synthesized for, its origins and sign-in URLs.
 */
const DEPLOYMENT_CONTEXT = {
  accounts: ACCOUNTS,
  environments: Object.fromEntries(
    ['staging', 'prod'].map((suffix) => {
      const origin = `https://${suffix}.example.com`;
      return [
        suffix,
        {
          corsAllowOrigins: [origin],
          authCallbackUrls: [`${origin}/callback`],
          authLogoutUrls: [`${origin}/`],
        },
      ];
    }),
  ),
};

/** The `--app` directory of a job's deploy step, relative to the workspace. */
function deployedDirectory(jobId: string): string {
  const deploy = job(jobId).steps.find((step) => /cdk\.ts deploy\b/.test(step.run ?? ''));
  const app = /--app\s+"?([^"\s]+)"?/.exec(deploy?.run ?? '')?.[1];
  if (!app) throw new Error(`${jobId} deploys no --app directory`);
  return app.replace(/^\$GITHUB_WORKSPACE\//, '');
}

describe('the cloud assemblies of main.yml', () => {
  let workspace: ScratchWorkspace;
  let cdk: string;

  /** `cdk ls` over an assembly directory: reads it, synthesizes nothing. */
  async function stacksIn(directory: string): Promise<string[]> {
    const result = await runOrThrow(process.execPath, [cdk, 'ls', '--app', directory], {
      cwd: workspace.root,
      env: isolatedEnv({ CDK_DISABLE_VERSION_CHECK: 'true' }),
    });
    return result.stdout.split('\n').filter(Boolean);
  }

  beforeAll(async () => {
    workspace = await createScratchWorkspace(WORKSPACE_ROOT, 'tap-assembly-');
    cdk = binOf(workspace.root, 'aws-cdk', 'cdk');
    const step = job('checks').steps.find((candidate) => candidate.id === 'assembly');
    if (!step?.run) throw new Error('main.yml checks has no step with id "assembly"');
    // The step as CI runs it (bash -e), with the repository variables it reads.
    const result = await run('bash', ['-eo', 'pipefail', '-c', step.run], {
      cwd: workspace.root,
      timeoutMs: 240_000,
      env: isolatedEnv({
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        NX_CACHE_DIRECTORY: path.join(workspace.root, '.nx', 'cache'),
        NX_WORKSPACE_DATA_DIRECTORY: path.join(workspace.root, '.nx', 'workspace-data'),
        CDK_DEFAULT_ACCOUNT: '',
        ENVIRONMENT_SUFFIX: '',
        STAGING_ACCOUNT: ACCOUNTS.staging,
        PROD_ACCOUNT: ACCOUNTS.prod,
        CDK_CONTEXT: JSON.stringify(DEPLOYMENT_CONTEXT),
      }),
    });
    if (result.code !== 0) {
      throw new Error(`the assembly step failed:\n${result.stdout}\n${result.stderr}`);
    }
  }, 300_000);

  afterAll(() => {
    workspace?.remove();
  });

  it('are uploaded from where the checks job synthesized them', () => {
    const upload = job('checks').steps.find((step) =>
      step.uses?.startsWith('actions/upload-artifact@'),
    );
    expect(upload?.with).toMatchObject({ name: 'cloud-assembly', path: 'dist/assemblies' });
    expect(
      existsSync(path.join(workspace.root, 'dist', 'assemblies', 'staging', 'manifest.json')),
    ).toBe(true);
    expect(
      existsSync(path.join(workspace.root, 'dist', 'assemblies', 'prod', 'manifest.json')),
    ).toBe(true);
  });

  it.each([
    ['deploy-staging', 'TapStack-staging'],
    ['deploy-production', 'TapStack-prod'],
  ])(
    "%s deploys the checks job's assembly of %s, downloaded where it was uploaded",
    async (jobId, stack) => {
      const directory = deployedDirectory(jobId);
      const download = job(jobId).steps.find((step) =>
        step.uses?.startsWith('actions/download-artifact@'),
      );
      expect(download?.with).toEqual({ name: 'cloud-assembly', path: 'dist/assemblies' });
      expect(directory.startsWith('dist/assemblies/')).toBe(true);
      await expect(stacksIn(directory)).resolves.toEqual([stack]);
      expect(job(jobId).env?.ENVIRONMENT_SUFFIX).toBe(stack.replace('TapStack-', ''));
    },
  );

  it('diffs production against the very assembly the production job deploys', () => {
    const diff = job('diff-production').steps.find((step) => /cdk\.ts diff\b/.test(step.run ?? ''));
    expect(diff?.run).toContain(
      `--app "$GITHUB_WORKSPACE/${deployedDirectory('deploy-production')}"`,
    );
  });

  it('give the bootstrap policy generator every service the stack creates, and no more, and the roles their boundary', async () => {
    const assembly = path.join(workspace.root, 'dist', 'assemblies', 'prod');
    const template = JSON.parse(
      readFileSync(path.join(assembly, 'TapStack-prod.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string }> };
    const tsx = binOf(workspace.root, 'tsx', 'tsx');
    const generated = await runOrThrow(
      process.execPath,
      [tsx, 'apps/infra/scripts/bootstrap-policy.ts', assembly, '--account', '111111111111'],
      { cwd: workspace.root },
    );
    const policy = JSON.parse(generated.stdout) as {
      Statement: {
        Effect: string;
        Action: string[];
        Resource: string | string[];
        Condition?: unknown;
      }[];
    };
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    const services = new Set(actions.map((action) => action.split(':')[0]));
    for (const type of new Set(Object.values(template.Resources).map((r) => r.Type))) {
      if (type === 'AWS::CDK::Metadata') continue;
      const namespace = type.startsWith('Custom::') ? 'Lambda' : (type.split('::')[1] ?? '');
      const expected =
        {
          ApiGatewayV2: 'apigateway',
          Cognito: 'cognito-idp',
        }[namespace] ?? namespace.toLowerCase();
      expect({ type, covered: services.has(expected) }).toEqual({ type, covered: true });
    }
    // Not administrator access: no wildcard action, and IAM only on the stacks' roles.
    expect(actions.filter((action) => action === '*' || action === 'iam:*')).toEqual([]);
    const iam = policy.Statement.find((statement) =>
      statement.Action.some((a) => a.startsWith('iam:')),
    );
    expect(iam?.Resource).toBe('arn:aws:iam::111111111111:role/TapStack-*');
    // A role is created only with the permissions boundary, which the roles cannot leave.
    expect(iam?.Action).toContain('iam:CreateRole');
    expect(iam?.Condition).toEqual({
      StringEquals: {
        'iam:PermissionsBoundary': 'arn:aws:iam::111111111111:policy/tap-permissions-boundary',
      },
    });
    expect(services.has('ec2')).toBe(false);

    // The boundary, from the same assembly: what the stack's roles use, and never IAM.
    const boundary = JSON.parse(
      (
        await runOrThrow(
          process.execPath,
          [tsx, 'apps/infra/scripts/bootstrap-policy.ts', assembly, '--boundary'],
          { cwd: workspace.root },
        )
      ).stdout,
    ) as typeof policy;
    const allowed = boundary.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(allowed).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'lambda:UpdateAlias']));
    expect(allowed.filter((action) => action.startsWith('iam:'))).toEqual([]);
    expect(boundary.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: expect.arrayContaining(['iam:*']) }),
    );
  }, 60_000);
});
