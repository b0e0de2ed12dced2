import { Validations } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import {
  LambdaApplication,
  LambdaDeploymentConfig,
  LambdaDeploymentGroup,
  type ILambdaDeploymentConfig,
} from 'aws-cdk-lib/aws-codedeploy';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DeploymentStrategy } from '../environment-config';

/** A strategy that shifts traffic through CodeDeploy (every one but `all-at-once`). */
export type GradualDeploymentStrategy = Exclude<DeploymentStrategy, 'all-at-once'>;

/** CodeDeploy's predefined Lambda configuration of each gradual strategy. */
export const DEPLOYMENT_CONFIGS: Readonly<
  Record<GradualDeploymentStrategy, ILambdaDeploymentConfig>
> = {
  'canary10-5min': LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'canary10-10min': LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  'canary10-15min': LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'canary10-30min': LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  'linear10-1min': LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  'linear10-2min': LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  'linear10-3min': LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  'linear10-10min': LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

/** The AWS managed policy of a CodeDeploy service role for Lambda. */
export const CODEDEPLOY_LAMBDA_POLICY = 'service-role/AWSCodeDeployRoleForLambdaLimited';

/** One function whose alias CodeDeploy shifts. */
export interface FunctionDeploymentTarget {
  /** Construct id of the deployment group. */
  readonly id: string;
  /** Name of the deployment group. */
  readonly deploymentGroupName: string;
  /** The alias every caller invokes; a new version reaches it through CodeDeploy. */
  readonly alias: Alias;
  /** Alarms that stop the shift and roll the alias back when they fire. */
  readonly alarms: readonly IAlarm[];
}

/** Props of {@link FunctionDeployments}. */
export interface FunctionDeploymentsProps {
  /** Name of the CodeDeploy application holding the groups. */
  readonly applicationName: string;
  readonly strategy: GradualDeploymentStrategy;
  readonly targets: readonly FunctionDeploymentTarget[];
}

/**
 * Gradual deployment of the functions: one CodeDeploy application, and a deployment group
 * per function alias. When a stack update gives an alias a new version, CloudFormation
 * hands the change to CodeDeploy (the alias's `CodeDeployLambdaAliasUpdate` policy), which
 * moves the alias's traffic to it as the strategy says, and rolls the alias back to the
 * previous version, failing the stack update, when the deployment fails or one of the
 * target's alarms fires. `cdk deploy` returns only once the shift is done.
 *
 * Every group uses one service role holding only the AWS managed policy CodeDeploy
 * documents for Lambda (`AWSCodeDeployRoleForLambdaLimited`: read alarms, update the
 * alias, invoke `CodeDeployHook_*` functions); the groups see it immutable, so nothing
 * else is ever attached.
 */
export class FunctionDeployments extends Construct {
  public readonly application: LambdaApplication;
  /** The service role of every group. */
  public readonly role: Role;
  /** The groups, in the order of the targets. */
  public readonly deploymentGroups: readonly LambdaDeploymentGroup[];

  public constructor(scope: Construct, id: string, props: FunctionDeploymentsProps) {
    super(scope, id);
    this.application = new LambdaApplication(this, 'Application', {
      applicationName: props.applicationName,
    });
    this.role = new Role(this, 'ServiceRole', {
      assumedBy: new ServicePrincipal('codedeploy.amazonaws.com'),
      description: `CodeDeploy shifting the function aliases of ${props.applicationName}`,
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName(CODEDEPLOY_LAMBDA_POLICY)],
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${CODEDEPLOY_LAMBDA_POLICY}]`,
      reason:
        'The policy CodeDeploy documents for a Lambda deployment group, limited to what a ' +
        'traffic shift needs: describe alarms, get and update aliases, invoke only ' +
        '`CodeDeployHook_*` functions (TAP has none). An inline copy would not follow the ' +
        "service's changes.",
    });
    // Every group would attach the managed policy again: the role already holds it.
    const role = this.role.withoutPolicyUpdates();
    this.deploymentGroups = props.targets.map(
      (target) =>
        new LambdaDeploymentGroup(this, target.id, {
          application: this.application,
          deploymentGroupName: target.deploymentGroupName,
          alias: target.alias,
          deploymentConfig: DEPLOYMENT_CONFIGS[props.strategy],
          alarms: [...target.alarms],
          role,
          autoRollback: { failedDeployment: true, deploymentInAlarm: true },
        }),
    );
  }
}
