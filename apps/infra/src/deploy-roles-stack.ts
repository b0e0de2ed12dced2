import { CfnOutput, DefaultStackSynthesizer, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { ManagedPolicy, OidcProviderNative, type IOidcProvider } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { TAP_REGION } from '@tap/contracts';
import {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_ISSUER,
  GithubOidcRole,
} from './constructs/github-oidc-role';
import {
  assumeBootstrapRoles,
  combine,
  denyDataReads,
  describeStacks,
  detectDrift,
  issueTestMachineKeys,
  janitorGrant,
  namePattern,
  type DeployAccount,
  type RoleGrant,
} from './deploy-role-policies';

/** The three kinds of TAP account (docs/delivery.md). */
export const ACCOUNT_KINDS = ['development', 'staging', 'production'] as const;

/** One of {@link ACCOUNT_KINDS}. */
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Name of the roles stack in every account. */
export const DEPLOY_ROLES_STACK_NAME = 'TapDeployRoles';

/** One role of an account: the GitHub variable its ARN goes to, who may assume it, what it may do. */
export interface DeployRoleSpec {
  /** Construct id, and the stack output holding the ARN. */
  readonly id: string;
  readonly roleName: string;
  /** The GitHub Actions variable (docs/delivery.md) that holds the role's ARN. */
  readonly variable: string;
  /** Where in the workflows the role is assumed: the `sub` claim's tail. */
  readonly subjectTail: string;
  readonly description: string;
  readonly grant: RoleGrant;
  /** The managed `ReadOnlyAccess` (drift detection reads every resource of the stack). */
  readonly readOnlyAccess?: boolean;
}

/**
 * The roles of an account of `kind`, as the table of docs/delivery.md lists them: the PR
 * role and the janitor in development, a deploy role and a read-only role in staging and in
 * production. Each may assume only the bootstrap roles of `target`, its own account.
 */
export function deployRoleSpecs(kind: AccountKind, target: DeployAccount): DeployRoleSpec[] {
  const deployRoles = assumeBootstrapRoles(target, ['deploy', 'file-publishing', 'lookup']);
  const readOnly = (environment: string, suffix: string): DeployRoleSpec => ({
    id: 'ReadOnlyRole',
    roleName: 'tap-github-readonly',
    variable: 'AWS_READONLY_ROLE_ARN',
    subjectTail: `environment:${environment}-readonly`,
    description: `The production diff and drift detection of TapStack-${suffix} (read only)`,
    grant: combine(
      assumeBootstrapRoles(target, ['lookup']),
      detectDrift(target, suffix),
      denyDataReads(),
    ),
    readOnlyAccess: true,
  });
  switch (kind) {
    case 'development':
      return [
        {
          id: 'PullRequestRole',
          roleName: 'tap-github-pr-deploy',
          variable: 'AWS_DEPLOY_ROLE_ARN',
          subjectTail: 'pull_request',
          description: "Pull requests' own stacks (TapStack-pr<number>): deploy, test, destroy",
          grant: combine(
            deployRoles,
            describeStacks(
              target,
              namePattern((names) => names.stack, 'pr*'),
            ),
            issueTestMachineKeys(target, 'pr*'),
          ),
        },
        {
          id: 'JanitorRole',
          roleName: 'tap-github-janitor',
          variable: 'AWS_JANITOR_ROLE_ARN',
          subjectTail: 'environment:janitor',
          description: 'Deletes the expired TapStack-* stacks of the development account',
          grant: janitorGrant(target),
        },
      ];
    case 'staging':
      return [
        {
          id: 'DeployRole',
          roleName: 'tap-github-staging-deploy',
          variable: 'AWS_STAGING_DEPLOY_ROLE_ARN',
          subjectTail: 'environment:staging',
          description: 'Deploys TapStack-staging and runs the integration suite against it',
          grant: combine(
            deployRoles,
            describeStacks(
              target,
              namePattern((names) => names.stack, 'staging'),
            ),
            issueTestMachineKeys(target, 'staging'),
          ),
        },
        readOnly('staging', 'staging'),
      ];
    case 'production':
      return [
        {
          id: 'DeployRole',
          roleName: 'tap-github-prod-deploy',
          variable: 'AWS_PROD_DEPLOY_ROLE_ARN',
          subjectTail: 'environment:production',
          description: 'Deploys TapStack-prod, after the production reviewers approved',
          grant: combine(
            deployRoles,
            describeStacks(
              target,
              namePattern((names) => names.stack, 'prod'),
            ),
          ),
        },
        readOnly('production', 'prod'),
      ];
  }
}

/** Props of {@link TapDeployRolesStack}. */
export interface TapDeployRolesStackProps extends StackProps {
  readonly accountKind: AccountKind;
  /** The account the roles live in, and the only one they reach: twelve digits. */
  readonly account: string;
  /** `<owner>/<repo>` of the repository whose workflows assume the roles. */
  readonly repository: string;
  /** Qualifier of the account's CDK bootstrap (default `hnb659fds`). */
  readonly bootstrapQualifier?: string;
  /**
   * The account already has GitHub's OIDC provider (an account holds one per issuer): the
   * roles trust it instead of a new one.
   */
  readonly existingOidcProvider?: boolean;
}

const ACCOUNT_PATTERN = /^\d{12}$/;
const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * What one TAP account needs before GitHub Actions can use it, deployed once per account
 * with administrator credentials (docs/delivery.md, `apps/infra/scripts/deploy-roles.ts`):
 * GitHub's OIDC provider and the roles of {@link deployRoleSpecs} for the account's kind,
 * each trusting exactly one `sub` of the repository and outputting its ARN for the GitHub
 * variable it goes to. Only composes constructs; the roles' statements are in
 * `deploy-role-policies.ts`.
 *
 * Its template needs no CDK bootstrap (no asset, no bootstrap version check): it is
 * deployed with CloudFormation directly, typically before `cdk bootstrap` runs.
 */
export class TapDeployRolesStack extends Stack {
  /** The roles, by construct id. */
  public readonly roles: ReadonlyMap<string, GithubOidcRole>;

  public constructor(scope: Construct, id: string, props: TapDeployRolesStackProps) {
    if (!ACCOUNT_PATTERN.test(props.account)) {
      throw new Error(`Invalid account ${JSON.stringify(props.account)}: expected twelve digits`);
    }
    if (!REPOSITORY_PATTERN.test(props.repository)) {
      throw new Error(
        `Invalid repository ${JSON.stringify(props.repository)}: expected <owner>/<repo>`,
      );
    }
    super(scope, id, {
      ...props,
      env: { account: props.account, region: TAP_REGION },
      description: `GitHub Actions OIDC roles of the TAP ${props.accountKind} account`,
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
    });
    Tags.of(this).add('project', 'tap');

    const issuerUrl = `https://${GITHUB_OIDC_ISSUER}`;
    const provider: IOidcProvider = props.existingOidcProvider
      ? OidcProviderNative.fromOidcProviderArn(
          this,
          'GithubOidcProvider',
          `arn:aws:iam::${props.account}:oidc-provider/${GITHUB_OIDC_ISSUER}`,
        )
      : new OidcProviderNative(this, 'GithubOidcProvider', {
          url: issuerUrl,
          clientIds: [GITHUB_OIDC_AUDIENCE],
        });

    const target: DeployAccount = {
      account: props.account,
      region: TAP_REGION,
      qualifier: props.bootstrapQualifier,
    };
    const roles = new Map<string, GithubOidcRole>();
    for (const spec of deployRoleSpecs(props.accountKind, target)) {
      const role = new GithubOidcRole(this, spec.id, {
        provider,
        roleName: spec.roleName,
        description: spec.description,
        subject: `repo:${props.repository}:${spec.subjectTail}`,
        statements: spec.grant.statements,
        managedPolicies: spec.readOnlyAccess
          ? [ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')]
          : [],
        acknowledgements: [
          ...spec.grant.acknowledgements,
          ...(spec.readOnlyAccess
            ? [
                {
                  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]',
                  reason:
                    "Drift detection reads every resource of the stack with the caller's " +
                    'permissions, whatever types the stack holds: AWS keeps ReadOnlyAccess ' +
                    'current with them; the role writes nothing.',
                },
              ]
            : []),
        ],
      });
      roles.set(spec.id, role);
      new CfnOutput(this, `${spec.id}Arn`, {
        value: role.role.roleArn,
        description: `GitHub variable ${spec.variable}`,
      });
    }
    this.roles = roles;
  }
}
