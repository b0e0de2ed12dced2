import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OidcProviderNative } from 'aws-cdk-lib/aws-iam';
import { GithubOidcRole } from './constructs/github-oidc-role';
import {
  createDeployRolesApp,
  deployRolesTemplate,
  parseDeployRolesArgs,
  type DeployRolesOptions,
} from './deploy-roles-app';
import { TapDeployRolesStack, type AccountKind } from './deploy-roles-stack';
import { findWorkspaceRoot } from './lambda-bundle';
import { iamActionFindings } from './template-checks/iam-actions';
import { L1ResourceSchema } from './template-checks/resource-schema';
import type { TemplateJson } from './template-checks/template-json';
import { acknowledgedFindings, idleAcknowledgements, unacknowledgedFindings } from './testing/nag';
import { actionsOf, resourcesOf, type StatementJson } from './testing/template';

/** Fictitious accounts, one per kind. */
const ACCOUNTS: Readonly<Record<AccountKind, string>> = {
  development: '444444444444',
  staging: '111111111111',
  production: '222222222222',
};
const REPOSITORY = 'acme/tap';

/** A role of the template: its name, trust and inline statements. */
interface RoleJson {
  readonly RoleName: string;
  readonly AssumeRolePolicyDocument: { readonly Statement: readonly StatementJson[] };
  readonly Policies?: readonly { readonly PolicyDocument: { Statement: StatementJson[] } }[];
  readonly ManagedPolicyArns?: readonly unknown[];
}

const optionsOf = (accountKind: AccountKind): DeployRolesOptions => ({
  accountKind,
  account: ACCOUNTS[accountKind],
  repository: REPOSITORY,
});

/** The template of the roles of one kind of account (cdk-nag off: a test of its own runs it). */
function templateOf(accountKind: AccountKind, extra: Partial<DeployRolesOptions> = {}): Template {
  const stack = new TapDeployRolesStack(new App(), 'TapDeployRoles', {
    ...optionsOf(accountKind),
    ...extra,
  });
  return Template.fromStack(stack);
}

/** The roles of a template, by role name. */
function rolesOf(template: Template): Record<string, RoleJson> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::IAM::Role')).map((resource) => {
      const role = resource.Properties as RoleJson;
      return [role.RoleName, role];
    }),
  );
}

const statementsOf = (role: RoleJson | undefined): StatementJson[] =>
  (role?.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);

/** The `sub` claims a role trusts, and how (the condition operator). */
function trustedSubjects(role: RoleJson | undefined): string[] {
  return (role?.AssumeRolePolicyDocument.Statement ?? []).flatMap((statement) =>
    Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
      ([operator, values]) =>
        Object.entries(values)
          .filter(([key]) => key === 'token.actions.githubusercontent.com:sub')
          .map(([, value]) => `${operator} ${String(value)}`),
    ),
  );
}

describe('TapDeployRolesStack', () => {
  const templates = {} as Record<AccountKind, Template>;

  beforeAll(() => {
    for (const kind of ['development', 'staging', 'production'] as const) {
      templates[kind] = templateOf(kind);
    }
  });

  it.each([
    ['development', ['tap-github-janitor', 'tap-github-pr-deploy']],
    ['staging', ['tap-github-readonly', 'tap-github-staging-deploy']],
    ['production', ['tap-github-prod-deploy', 'tap-github-readonly']],
  ] as const)('gives the %s account the roles docs/delivery.md lists for it', (kind, names) => {
    expect(Object.keys(rolesOf(templates[kind])).sort()).toEqual([...names]);
  });

  it("creates GitHub's OIDC provider for the audience sts.amazonaws.com, or trusts the account's existing one", () => {
    templates.production.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    templates.production.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const existing = templateOf('production', { existingOidcProvider: true });
    existing.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const role = rolesOf(existing)['tap-github-prod-deploy'];
    expect(role?.AssumeRolePolicyDocument.Statement[0]?.Principal).toEqual({
      Federated: `arn:aws:iam::${ACCOUNTS.production}:oidc-provider/token.actions.githubusercontent.com`,
    });
  });

  it("trusts every role for GitHub's audience and one exact subject, by web identity only", () => {
    for (const template of Object.values(templates)) {
      for (const role of Object.values(rolesOf(template))) {
        expect(role.AssumeRolePolicyDocument.Statement).toEqual([
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: expect.any(String) } },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': expect.stringMatching(
                  /^repo:acme\/tap:(pull_request|environment:[a-z-]+)$/,
                ),
              },
            },
          },
        ]);
      }
    }
  });

  it('trusts the production roles for the production environments only: the deploy role `environment:production`, and no role a pull request', () => {
    const roles = rolesOf(templates.production);
    expect(trustedSubjects(roles['tap-github-prod-deploy'])).toEqual([
      'StringEquals repo:acme/tap:environment:production',
    ]);
    expect(trustedSubjects(roles['tap-github-readonly'])).toEqual([
      'StringEquals repo:acme/tap:environment:production-readonly',
    ]);
    const everySubject = Object.values(roles).flatMap(trustedSubjects);
    expect(everySubject.filter((subject) => !subject.includes(':environment:production'))).toEqual(
      [],
    );
  });

  it('trusts the PR role for pull requests of the repository, and lives in the development account only', () => {
    const pr = rolesOf(templates.development)['tap-github-pr-deploy'];
    expect(trustedSubjects(pr)).toEqual(['StringEquals repo:acme/tap:pull_request']);
    for (const kind of ['staging', 'production'] as const) {
      const subjects = Object.values(rolesOf(templates[kind])).flatMap(trustedSubjects);
      expect(subjects.filter((subject) => subject.endsWith(':pull_request'))).toEqual([]);
    }
  });

  it('lets the PR role assume nothing in the production account: only the development account’s own bootstrap roles', () => {
    const statements = statementsOf(rolesOf(templates.development)['tap-github-pr-deploy']);
    const assumable = statements
      .filter((statement) => actionsOf(statement).includes('sts:AssumeRole'))
      .flatMap(resourcesOf);
    const dev = ACCOUNTS.development;
    expect(assumable.sort()).toEqual(
      ['deploy', 'file-publishing', 'lookup'].map(
        (kind) => `arn:aws:iam::${dev}:role/cdk-hnb659fds-${kind}-role-${dev}-us-west-2`,
      ),
    );
    // Nothing the role may touch names another account, or any account.
    const everyResource = statements.flatMap(resourcesOf).map((resource) => String(resource));
    expect(everyResource.filter((resource) => resource.includes(ACCOUNTS.production))).toEqual([]);
    expect(
      everyResource.filter((resource) => resource.split(':')[4] !== dev && resource !== '*'),
    ).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain(ACCOUNTS.production);
  });

  it.each(['development', 'staging', 'production'] as const)(
    'lets no role of the %s account assume a role outside that account, nor any role but the bootstrap’s',
    (kind) => {
      const account = ACCOUNTS[kind];
      for (const role of Object.values(rolesOf(templates[kind]))) {
        const assumable = statementsOf(role)
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith('sts:')))
          .flatMap(resourcesOf);
        for (const arn of assumable) {
          expect(arn).toMatch(
            new RegExp(
              `^arn:aws:iam::${account}:role/cdk-hnb659fds-[a-z-]+-role-${account}-us-west-2$`,
            ),
          );
        }
      }
    },
  );

  it('lets the read-only roles assume the lookup role only, read, and start drift detection of their stack', () => {
    for (const [kind, suffix] of [
      ['staging', 'staging'],
      ['production', 'prod'],
    ] as const) {
      const role = rolesOf(templates[kind])['tap-github-readonly'];
      const account = ACCOUNTS[kind];
      const statements = statementsOf(role);
      expect(
        statements
          .filter((statement) => actionsOf(statement).includes('sts:AssumeRole'))
          .flatMap(resourcesOf),
      ).toEqual([`arn:aws:iam::${account}:role/cdk-hnb659fds-lookup-role-${account}-us-west-2`]);
      expect(statements.find((statement) => statement.Sid === 'DetectDrift')).toEqual({
        Sid: 'DetectDrift',
        Effect: 'Allow',
        Action: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'],
        Resource: `arn:aws:cloudformation:us-west-2:${account}:stack/TapStack-${suffix}/*`,
      });
      expect(JSON.stringify(role?.ManagedPolicyArns)).toContain(':iam::aws:policy/ReadOnlyAccess');
      // ReadOnlyAccess reads data too (items, objects, logs): denied outright.
      const deny = statements.find((statement) => statement.Sid === 'NoDataReads');
      if (!deny) throw new Error('the read-only role has no NoDataReads statement');
      expect(deny).toMatchObject({ Effect: 'Deny', Resource: '*' });
      expect(actionsOf(deny)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Scan',
          's3:GetObject',
          'logs:GetLogEvents',
          'logs:StartQuery',
          'secretsmanager:GetSecretValue',
          'kms:Decrypt',
        ]),
      );
    }
  });

  it('lets the janitor delete only TapStack-* stacks, passing only the bootstrap execution role, to CloudFormation only', () => {
    const dev = ACCOUNTS.development;
    const statements = statementsOf(rolesOf(templates.development)['tap-github-janitor']);
    expect(
      statements.map((statement) => [statement.Sid, actionsOf(statement), statement.Resource]),
    ).toEqual([
      ['ListStacks', ['cloudformation:DescribeStacks'], '*'],
      [
        'DeleteTapStacks',
        ['cloudformation:DeleteStack'],
        `arn:aws:cloudformation:us-west-2:${dev}:stack/TapStack-*/*`,
      ],
      [
        'DeleteWithTheExecutionRole',
        ['iam:PassRole'],
        `arn:aws:iam::${dev}:role/cdk-hnb659fds-cfn-exec-role-${dev}-us-west-2`,
      ],
    ]);
    expect(statements[2]?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    });
  });

  it("lets the suites' roles issue machine keys in their environments' key tables only, and decrypt them through DynamoDB only", () => {
    for (const [kind, roleName, table] of [
      ['development', 'tap-github-pr-deploy', 'tap-api-keys-pr*'],
      ['staging', 'tap-github-staging-deploy', 'tap-api-keys-staging'],
    ] as const) {
      const account = ACCOUNTS[kind];
      const statements = statementsOf(rolesOf(templates[kind])[roleName]);
      expect(
        statements.find((statement) => statement.Sid === 'IssueTestMachineKeys')?.Resource,
      ).toBe(`arn:aws:dynamodb:us-west-2:${account}:table/${table}`);
      expect(
        statements.find((statement) => statement.Sid === 'DecryptKeyTableThroughDynamoDb'),
      ).toEqual({
        Sid: 'DecryptKeyTableThroughDynamoDb',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: `arn:aws:kms:us-west-2:${account}:key/*`,
        Condition: {
          StringEquals: { 'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:dynamodb:tableName': table },
        },
      });
    }
    // Production's deploy role runs no suite: it touches no data.
    const prod = JSON.stringify(
      statementsOf(rolesOf(templates.production)['tap-github-prod-deploy']),
    );
    expect(prod).not.toContain('dynamodb:');
    expect(prod).not.toContain('kms:');
  });

  it('outputs each role ARN for the GitHub variable docs/delivery.md says it goes to', () => {
    const docs = readFileSync(path.join(findWorkspaceRoot(), 'docs', 'delivery.md'), 'utf8');
    const variables = Object.values(templates).flatMap((template) =>
      Object.values(template.toJSON().Outputs as Record<string, { Description: string }>).map(
        (output) => output.Description.replace('GitHub variable ', ''),
      ),
    );
    expect(new Set(variables)).toEqual(
      new Set([
        'AWS_DEPLOY_ROLE_ARN',
        'AWS_JANITOR_ROLE_ARN',
        'AWS_STAGING_DEPLOY_ROLE_ARN',
        'AWS_PROD_DEPLOY_ROLE_ARN',
        'AWS_READONLY_ROLE_ARN',
      ]),
    );
    expect(variables.filter((variable) => !docs.includes(`\`${variable}\``))).toEqual([]);
  });

  it('passes the template checks: known resource types and properties, real IAM actions', async () => {
    const schema = L1ResourceSchema.load();
    for (const template of Object.values(templates)) {
      const json = template.toJSON() as TemplateJson;
      expect(schema.findings(json)).toEqual([]);
      expect(await iamActionFindings(json)).toEqual([]);
    }
  });

  it.each(['development', 'staging', 'production'] as const)(
    'synthesizes the %s account’s template with no cdk-nag finding, and without the CDK bootstrap',
    (kind) => {
      const template = deployRolesTemplate(optionsOf(kind));
      expect(Object.keys(template).sort()).toEqual(['Description', 'Outputs', 'Resources']);
      const types = Object.values(template.Resources as Record<string, { Type: string }>).map(
        (resource) => resource.Type,
      );
      expect(new Set(types)).toEqual(new Set(['AWS::IAM::OIDCProvider', 'AWS::IAM::Role']));
    },
  );

  it.each(['development', 'staging', 'production'] as const)(
    'acknowledges in the %s account only findings cdk-nag raises, each with a reason',
    (kind) => {
      const { app } = createDeployRolesApp(optionsOf(kind));
      expect(unacknowledgedFindings(app)).toEqual([]);
      expect(acknowledgedFindings(app).length).toBeGreaterThan(0);
      expect(idleAcknowledgements(app)).toEqual([]);
    },
  );

  it('refuses an account that is not twelve digits, a repository that is not owner/repo', () => {
    expect(() => createDeployRolesApp({ ...optionsOf('production'), account: '2222' })).toThrow(
      'Invalid account "2222": expected twelve digits',
    );
    expect(() => createDeployRolesApp({ ...optionsOf('production'), repository: 'tap' })).toThrow(
      'Invalid repository "tap": expected <owner>/<repo>',
    );
  });

  it('refuses to trust a subject with a wildcard: one job place per role', () => {
    const stack = new Stack(new App(), 'Roles');
    const provider = OidcProviderNative.fromOidcProviderArn(
      stack,
      'Provider',
      'arn:aws:iam::444444444444:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(
      () =>
        new GithubOidcRole(stack, 'Role', {
          provider,
          roleName: 'any-branch',
          description: 'too broad',
          subject: 'repo:acme/tap:*',
          statements: [],
        }),
    ).toThrow('any-branch: trust one exact subject, not repo:acme/tap:*');
  });

  describe('command line', () => {
    it('reads the kind, the account, the repository, and the optional qualifier and existing provider', () => {
      expect(
        parseDeployRolesArgs([
          '--kind',
          'staging',
          '--account',
          ACCOUNTS.staging,
          '--repository',
          REPOSITORY,
          '--qualifier',
          'tap2',
          '--existing-oidc-provider',
        ]),
      ).toEqual({
        accountKind: 'staging',
        account: ACCOUNTS.staging,
        repository: REPOSITORY,
        bootstrapQualifier: 'tap2',
        existingOidcProvider: true,
      });
    });

    it.each([
      [
        ['--kind', 'qa', '--account', '1', '--repository', 'a/b'],
        '--kind must be one of development, staging, production',
      ],
      [['--kind', 'production', '--repository', 'a/b'], '--account is required'],
      [
        ['--kind', 'production', '--account', ACCOUNTS.production, '--repo', 'a/b'],
        'Unexpected argument "--repo"',
      ],
    ])('refuses %j', (argv, message) => {
      expect(() => parseDeployRolesArgs(argv)).toThrow(message);
    });
  });
});
