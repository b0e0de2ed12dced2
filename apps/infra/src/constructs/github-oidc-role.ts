import { Duration, Validations } from 'aws-cdk-lib';
import {
  FederatedPrincipal,
  PolicyDocument,
  Role,
  type IManagedPolicy,
  type IOidcProvider,
  type PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Acknowledgement } from '../access-policies';

/** The issuer of GitHub Actions' OIDC tokens, without its scheme (the condition keys' prefix). */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` asks GitHub's tokens for. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** Props of {@link GithubOidcRole}. */
export interface GithubOidcRoleProps {
  /** The account's OIDC provider for {@link GITHUB_OIDC_ISSUER}. */
  readonly provider: IOidcProvider;
  /** Physical role name: its ARN is what the GitHub variable holds. */
  readonly roleName: string;
  readonly description: string;
  /**
   * The one `sub` claim the role trusts, exactly (no wildcard): a job of one repository in
   * one place, `repo:<owner>/<repo>:pull_request` or `repo:<owner>/<repo>:environment:<name>`.
   */
  readonly subject: string;
  /** Everything the role may do, action by action. */
  readonly statements: readonly PolicyStatement[];
  /** AWS managed policies, only where one is what the role is for (read-only access). */
  readonly managedPolicies?: readonly IManagedPolicy[];
  /** cdk-nag findings the statements or policies cause on purpose, each with why. */
  readonly acknowledgements?: readonly Acknowledgement[];
}

/**
 * A role GitHub Actions assumes with its OIDC token (`AssumeRoleWithWebIdentity`): trusted
 * for one audience and one exact subject, for an hour at most, holding the given statements
 * in one inline policy. No stored key exists for it anywhere.
 */
export class GithubOidcRole extends Construct {
  public readonly role: Role;

  public constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    super(scope, id);
    if (props.subject.includes('*') || props.subject.includes('?')) {
      throw new Error(`${props.roleName}: trust one exact subject, not ${props.subject}`);
    }
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: props.description,
      assumedBy: new FederatedPrincipal(
        props.provider.oidcProviderArn,
        {
          StringEquals: {
            [`${GITHUB_OIDC_ISSUER}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_ISSUER}:sub`]: props.subject,
          },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [...(props.managedPolicies ?? [])],
      inlinePolicies: {
        LeastPrivilege: new PolicyDocument({ statements: [...props.statements] }),
      },
    });
    if ((props.acknowledgements ?? []).length > 0) {
      Validations.of(this.role).acknowledge(...(props.acknowledgements ?? []));
    }
  }
}
