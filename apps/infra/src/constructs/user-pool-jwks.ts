import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { lambdaRuntime } from './tap-function';
import { FETCH_TIMEOUT_SECONDS, USER_POOL_JWKS_HANDLER_SOURCE } from './user-pool-jwks-handler';

/**
 * Names of the two log groups of {@link UserPoolJwks} in the environment `suffix`: its
 * function's and the provider framework's. Known at synth, so the encryption key's policy
 * can name them (the functions themselves keep CloudFormation's names).
 */
export function userPoolJwksLogGroupNames(suffix: string): { handler: string; provider: string } {
  return {
    handler: `/aws/lambda/tap-user-pool-jwks-${suffix}`,
    provider: `/aws/lambda/tap-user-pool-jwks-provider-${suffix}`,
  };
}

/** Props of {@link UserPoolJwks}. */
export interface UserPoolJwksProps {
  /** Id of the user pool whose keys to read. */
  readonly userPoolId: string;
  /** Names of the log groups, see {@link userPoolJwksLogGroupNames}. */
  readonly logGroupNames: { readonly handler: string; readonly provider: string };
  /** Key encrypting the log groups. */
  readonly encryptionKey: IKey;
  /** How long the log groups keep their events. */
  readonly logRetention: RetentionDays;
}

/**
 * The user pool's JWKS, read at deployment: a custom resource whose attribute `Jwks` is the
 * document `https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json`
 * (compacted JSON), or an empty string when it is too large for the authorizer's
 * environment (see `user-pool-jwks-handler.ts`). It is read again whenever the pool id
 * changes. The pool is created by the same stack, so its keys exist only at deploy time.
 *
 * Two small functions, neither bundled: the handler (inline code) and the custom-resources
 * provider framework's entry point, which calls it and answers CloudFormation. The
 * handler's role may only write its logs (the JWKS is public); the framework's may write
 * its logs and invoke the handler. Both roles are handed over immutable, so the framework
 * adds nothing to them, and both log groups are encrypted with the key and kept as long as the environment's others.
 */
export class UserPoolJwks extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The JWKS as JSON, or `''` when too large (a token until deployment). */
  public readonly jwks: string;
  /** The function reading the JWKS. */
  public readonly handler: LambdaFunction;

  public constructor(scope: Construct, id: string, props: UserPoolJwksProps) {
    super(scope, id);

    const logGroup = (logGroupId: string, logGroupName: string): LogGroup =>
      new LogGroup(this, logGroupId, {
        logGroupName,
        retention: props.logRetention,
        encryptionKey: props.encryptionKey,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    const writeLogs = (group: LogGroup): PolicyStatement =>
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's `Arn` attribute ends in `:*`, so it covers the group's streams.
        resources: [group.logGroupArn],
      });
    const role = (roleId: string, description: string, statements: PolicyStatement[]): Role =>
      new Role(this, roleId, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description,
        inlinePolicies: { LeastPrivilege: new PolicyDocument({ statements }) },
      });

    const handlerLogGroup = logGroup('HandlerLogGroup', props.logGroupNames.handler);
    const handlerRole = role(
      'HandlerRole',
      'Reads the user pool JWKS at deployment; writes its logs, nothing else',
      [writeLogs(handlerLogGroup)],
    );
    this.handler = new LambdaFunction(this, 'Handler', {
      description: 'Reads the user pool JWKS at deployment for the authorizer',
      runtime: lambdaRuntime(LAMBDA_RUNTIME),
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(USER_POOL_JWKS_HANDLER_SOURCE),
      timeout: Duration.seconds(FETCH_TIMEOUT_SECONDS + 5),
      memorySize: 128,
      role: handlerRole.withoutPolicyUpdates(),
      logGroup: handlerLogGroup,
    });

    const providerLogGroup = logGroup('ProviderLogGroup', props.logGroupNames.provider);
    const providerRole = role(
      'ProviderRole',
      'Provider framework of the user pool JWKS: invokes its handler, writes its logs',
      [
        writeLogs(providerLogGroup),
        // What `Provider` would grant itself, on the unqualified function only.
        new PolicyStatement({
          sid: 'InvokeHandler',
          effect: Effect.ALLOW,
          actions: ['lambda:GetFunction', 'lambda:InvokeFunction'],
          resources: [this.handler.functionArn],
        }),
      ],
    );
    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.handler,
      frameworkOnEventRole: providerRole.withoutPolicyUpdates(),
      logGroup: providerLogGroup,
    });
    const frameworkFunction = provider.node.findChild('framework-onEvent') as LambdaFunction;
    // The framework picks the newest runtime the CDK's region facts know, and Lambda's
    // default memory; its entry point is plain JavaScript, so it runs on the stack's
    // runtime and architecture like the rest, with the memory written out.
    const cfnFramework = frameworkFunction.node.defaultChild as CfnFunction;
    cfnFramework.runtime = LAMBDA_RUNTIME;
    cfnFramework.architectures = [Architecture.ARM_64.name];
    cfnFramework.memorySize = 128;

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::UserPoolJwks',
      properties: { UserPoolId: props.userPoolId, Region: Stack.of(this).region },
    });
    this.jwks = this.resource.getAttString('Jwks');

    const synchronous =
      'Invoked only at deployment, synchronously (CloudFormation calls the provider ' +
      'framework, which calls the handler and answers CloudFormation with its error): a ' +
      'failure fails the deployment, there is no asynchronous event a dead-letter queue ' +
      'could keep.';
    const untraced =
      'A deploy-time helper outside every request path, run once per deployment that ' +
      'changes the user pool; its logs record each run. Tracing would add X-Ray ' +
      'permissions on `*` to a role that only writes logs.';
    for (const fn of [this.handler, frameworkFunction]) {
      Validations.of(fn).acknowledge(
        { id: 'Serverless-LambdaDLQ', reason: synchronous },
        { id: 'Serverless-LambdaTracing', reason: untraced },
      );
    }
  }
}
