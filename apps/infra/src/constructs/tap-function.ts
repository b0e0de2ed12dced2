import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  Function as LambdaFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionLogGroupName, SECRETS_EXTENSION, type DeployedFunction } from '@tap/contracts';
import { writeTracesStatement, type Acknowledgement } from '../access-policies';
import { lambdaBundleCode } from '../lambda-bundle';

/**
 * The CDK's runtime object for the model's runtime identifier (`LAMBDA_RUNTIME`), so the
 * CDK knows its family and what it supports.
 *
 * @throws Error when this aws-cdk-lib does not know the runtime.
 */
export function lambdaRuntime(name: string): Runtime {
  const runtime = Runtime.ALL.find((candidate) => candidate.name === name);
  if (!runtime) throw new Error(`aws-cdk-lib does not know the Lambda runtime ${name}`);
  return runtime;
}

const ARCHITECTURES: Readonly<Record<DeployedFunction['architecture'], Architecture>> = {
  arm64: Architecture.ARM_64,
};

/**
 * The AWS Parameters and Secrets Lambda Extension as the contract's `SECRETS_EXTENSION`
 * describes it. A pinned version rather than the newest, so a CDK upgrade never swaps the
 * layer unnoticed; the CDK picks the layer of the stack's region and the function's
 * architecture.
 */
function secretsExtensionLayer(): ParamsAndSecretsLayerVersion {
  return ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
    cacheEnabled: true,
    // The CDK writes the port to `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` itself, the
    // variable both the layer and the function read.
    httpPort: SECRETS_EXTENSION.port,
    // Never longer than the function's own cache: a forced refetch must not read back an
    // older value from the extension.
    secretsManagerTtl: Duration.seconds(SECRETS_EXTENSION.ttlSeconds),
    parameterStoreTtl: Duration.seconds(SECRETS_EXTENSION.ttlSeconds),
    logLevel: ParamsAndSecretsLogLevel.WARN,
    cacheSize: SECRETS_EXTENSION.cacheSize,
    maxConnections: SECRETS_EXTENSION.maxConnections,
  });
}

/** Props of {@link TapFunction}. */
export interface TapFunctionProps {
  /**
   * The function as the contract models it (`deployedFunctions`): name, bundle, runtime,
   * architecture, limits, environment (with the stack's tokens), extension. This construct
   * only translates it.
   */
  readonly model: DeployedFunction;
  /** Key encrypting the log group. */
  readonly encryptionKey: IKey;
  /**
   * Everything the function may do besides writing its own logs and traces. Written out
   * action by action: `grant*` helpers add wildcard actions.
   */
  readonly statements: readonly PolicyStatement[];
  /**
   * cdk-nag findings of this function's role that its `statements` cause and that are
   * safe, each with why (e.g. a prefix wildcard on object keys).
   */
  readonly roleAcknowledgements?: readonly Acknowledgement[];
}

/**
 * One TAP Lambda function with what it owns: a role holding exactly the given statements,
 * and its log group, encrypted and kept a week, created here so retention and removal are
 * the stack's rather than Lambda's (which would create it unencrypted, kept forever).
 *
 * The role has no managed policy (`AWSLambdaBasicExecutionRole` would allow writing to any
 * log group) and is handed to the function and to everything else as immutable: a CDK
 * helper called on the function later (tracing, `grant*`) cannot
 * slip a statement, possibly with wildcard actions, into it. What the role holds is what
 * this construct wrote, all in one inline policy.
 *
 * Every function runs on arm64 with X-Ray active tracing, and Powertools reads its service
 * name and metrics namespace from the environment. A function whose settings say
 * `secretsExtension` gets the AWS Parameters and Secrets Lambda Extension as its layer,
 * serving Secrets Manager values, cached, on a loopback port. The extension calls Secrets
 * Manager with the function's own role, so its `statements` must allow
 * `secretsmanager:GetSecretValue` (and `kms:Decrypt`) on the secrets it reads.
 */
export class TapFunction extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** Its execution role (the function itself holds an immutable view of it). */
  public readonly role: Role;
  /** Its log group. */
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: TapFunctionProps) {
    super(scope, id);
    const { model } = props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: functionLogGroupName(props.model.physicalName),
      retention: RetentionDays.ONE_WEEK,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const writeOwnLogs = new PolicyStatement({
      sid: 'WriteOwnLogs',
      effect: Effect.ALLOW,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's `Arn` attribute ends in `:*`, so it covers the group's streams.
      resources: [this.logGroup.logGroupArn],
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.model.physicalName}`,
      inlinePolicies: {
        LeastPrivilege: new PolicyDocument({
          statements: [writeOwnLogs, writeTracesStatement(), ...props.statements],
        }),
      },
    });

    this.function = new LambdaFunction(this, 'Function', {
      functionName: model.physicalName,
      description: model.description,
      runtime: lambdaRuntime(model.runtime),
      architecture: ARCHITECTURES[model.architecture],
      handler: model.handler,
      code: lambdaBundleCode(model),
      timeout: Duration.seconds(model.timeoutSeconds),
      memorySize: model.memoryMb,
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      // The layer's construct writes the extension's variables too, from the same settings
      // the model's environment holds (infra's parity test compares them).
      paramsAndSecrets: model.secretsExtension ? secretsExtensionLayer() : undefined,
      environment: { ...model.environment },
    });

    // The cdk-nag findings every TAP function has, acknowledged here once for all.
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Every TAP function is invoked synchronously (API Gateway routes and the ' +
        'authorizer): the caller receives the error and retries, so there is no ' +
        'asynchronous event a dead-letter queue could keep.',
    });
    const starResourceReason =
      'The only `*` resources are actions without resource-level permissions: ' +
      '`xray:PutTraceSegments` and `xray:PutTelemetryRecords` (tracing); the IAM unit test ' +
      'allow-lists each one.';
    Validations.of(this.role).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: starResourceReason },
      { id: 'Serverless-LambdaStarPermissions', reason: starResourceReason },
      ...(props.roleAcknowledgements ?? []),
    );
  }
}
