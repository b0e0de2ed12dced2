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
  Alias,
  Architecture,
  Function as LambdaFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
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
  /**
   * For a function invoked asynchronously (the model's `bucketEvents`): where Lambda puts
   * an event that failed every attempt. Its `statements` must allow `sqs:SendMessage` on
   * the queue (and the key's data key when it is encrypted). Required for such a function.
   */
  readonly deadLetterQueue?: IQueue;
  /** Concurrent executions reserved for the function; `undefined`: unreserved. */
  readonly reservedConcurrency?: number;
  /** How long the function's log group keeps its events. */
  readonly logRetention: RetentionDays;
}

/**
 * Name of the alias every caller invokes (routes, authorizer, bucket notifications): the
 * function's current version, moved gradually by CodeDeploy in a protected environment.
 */
export const LIVE_ALIAS_NAME = 'live';

/** Retries of an asynchronous event after its first failed attempt (Lambda's maximum). */
export const ASYNC_RETRY_ATTEMPTS = 2;

/** How long Lambda keeps retrying an asynchronous event before it goes to the queue. */
export const ASYNC_MAX_EVENT_AGE = Duration.hours(1);

/**
 * One TAP Lambda function with what it owns: a role holding exactly the given statements,
 * its log group, encrypted and kept as long as the environment says, created here so
 * retention and removal are the stack's rather than Lambda's (which would create it
 * unencrypted, kept forever), and its {@link LIVE_ALIAS_NAME} alias on the current version.
 * Callers invoke the alias, never the function itself, so that moving the alias (all at
 * once, or gradually by CodeDeploy) is what puts a new version in front of them.
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
 *
 * A function the model invokes asynchronously (`bucketEvents`) is retried
 * {@link ASYNC_RETRY_ATTEMPTS} times within {@link ASYNC_MAX_EVENT_AGE} (the alias's
 * asynchronous invocation settings: it is what the events invoke), then its event goes to
 * its dead-letter queue; the others are invoked synchronously and take none.
 */
export class TapFunction extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** Its execution role (the function itself holds an immutable view of it). */
  public readonly role: Role;
  /** Its log group. */
  public readonly logGroup: LogGroup;
  /** The alias callers invoke: {@link LIVE_ALIAS_NAME}, on the current version. */
  public readonly alias: Alias;

  public constructor(scope: Construct, id: string, props: TapFunctionProps) {
    super(scope, id);
    const { model } = props;
    const isAsync = model.bucketEvents !== undefined;
    if (isAsync !== (props.deadLetterQueue !== undefined)) {
      throw new Error(
        `${model.physicalName}: a function invoked asynchronously (bucket events) needs a ` +
          'dead-letter queue, and only such a function takes one',
      );
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: functionLogGroupName(props.model.physicalName),
      retention: props.logRetention,
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
      reservedConcurrentExecutions: props.reservedConcurrency,
      // Failed asynchronous events end in the queue (the dead-letter queue is part of the
      // version). The role is immutable, so the CDK's grant to the queue adds nothing:
      // `statements` do.
      deadLetterQueue: props.deadLetterQueue,
    });

    // A version per change of code or configuration; the alias names the current one.
    this.alias = new Alias(this, 'LiveAlias', {
      aliasName: LIVE_ALIAS_NAME,
      version: this.function.currentVersion,
      description: `What the callers of ${model.physicalName} invoke`,
      // Asynchronous events (S3 notifications) invoke the alias: retried twice, then kept
      // in the queue.
      ...(isAsync ? { retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: ASYNC_MAX_EVENT_AGE } : {}),
    });

    // The cdk-nag findings of TAP functions, acknowledged here once for all.
    if (isAsync) {
      const invokeConfig = this.alias.node.tryFindChild('EventInvokeConfig');
      if (invokeConfig === undefined) {
        throw new Error(`${model.physicalName}: the CDK created no EventInvokeConfig`);
      }
      Validations.of(invokeConfig).acknowledge({
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'An event that fails every attempt goes to the dead-letter queue of the function ' +
          '(DeadLetterConfig), with the error as message attributes; an on-failure ' +
          'destination as well would deliver every failed event twice.',
      });
    } else {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'The function is invoked synchronously (API Gateway routes and the authorizer): ' +
          'the caller receives the error and retries, so there is no asynchronous event a ' +
          'dead-letter queue could keep.',
      });
    }
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
