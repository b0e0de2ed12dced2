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
import {
  functionLogGroupName,
  METRICS_NAMESPACE,
  SECRETS_EXTENSION,
  type FunctionSettings,
} from '@tap/contracts';
import { writeTracesStatement, type Acknowledgement } from '../access-policies';
import { lambdaBundleCode } from '../lambda-bundle';

/**
 * Runtime of every function: the newest concrete Node.js runtime of aws-cdk-lib. A concrete
 * one rather than `NODEJS_LATEST`, so a CDK upgrade never changes the runtime unnoticed.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

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
    // WARN, not the default INFO: what an operator needs from the extension is its
    // failures (Secrets Manager unreachable, a refused request), which still reach the
    // function's log group as warnings and errors; its routine INFO lines would only add
    // ingestion to every environment of a function on the path of each API request.
    logLevel: ParamsAndSecretsLogLevel.WARN,
    // Cache size and connections keep their defaults (1000 entries, 3 connections): the
    // function reads one secret, one request at a time.
  });
}

/** Props of {@link TapFunction}. */
export interface TapFunctionProps {
  /** Physical function name; the log group is named after it. */
  readonly functionName: string;
  /** Bundle folder, timeout and memory (`FUNCTIONS[name]` of the contract). */
  readonly settings: FunctionSettings;
  /** `POWERTOOLS_SERVICE_NAME`: how the function's logs, traces and metrics name it. */
  readonly serviceName: string;
  /** Short description shown in the Lambda console. */
  readonly description: string;
  /** Key encrypting the log group. */
  readonly encryptionKey: IKey;
  /** Variables the handler reads (`FUNCTION_ENV`), on top of the common ones. */
  readonly environment: Readonly<Record<string, string>>;
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
 * helper called on the function later (tracing, `addRotationSchedule`, `grant*`) cannot
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

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: functionLogGroupName(props.functionName),
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
      description: `Execution role of ${props.functionName}`,
      inlinePolicies: {
        LeastPrivilege: new PolicyDocument({
          statements: [writeOwnLogs, writeTracesStatement(), ...props.statements],
        }),
      },
    });

    this.function = new LambdaFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: lambdaBundleCode(props.settings),
      timeout: Duration.seconds(props.settings.timeoutSeconds),
      memorySize: props.settings.memoryMb,
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      paramsAndSecrets: props.settings.secretsExtension ? secretsExtensionLayer() : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });

    // The cdk-nag findings every TAP function has, acknowledged here once for all.
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Every TAP function is invoked synchronously (API Gateway routes and authorizer, ' +
        'Secrets Manager rotation steps): the caller receives the error and retries, so there ' +
        'is no asynchronous event a dead-letter queue could keep.',
    });
    const starResourceReason =
      'The only `*` resources are actions without resource-level permissions: ' +
      '`xray:PutTraceSegments`/`xray:PutTelemetryRecords` (tracing) and, for the rotation ' +
      'function, `secretsmanager:GetRandomPassword`; the IAM unit test allow-lists each one.';
    Validations.of(this.role).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: starResourceReason },
      { id: 'Serverless-LambdaStarPermissions', reason: starResourceReason },
      ...(props.roleAcknowledgements ?? []),
    );
  }
}
