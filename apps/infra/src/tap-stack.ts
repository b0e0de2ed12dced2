import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  FUNCTION_ENV,
  FUNCTIONS,
  functionLogGroupName,
  resolveEnvironmentSuffix,
  resourceNames,
  routeTable,
  serviceName,
  TAP_REGION,
  type FunctionName,
  type StackOutputs,
} from '@tap/contracts';
import {
  apiFunctionAcknowledgements,
  apiFunctionStatements,
  authorizerFunctionStatements,
  healthFunctionStatements,
  rotationFunctionStatements,
} from './access-policies';
import { AlarmTopic } from './constructs/alarm-topic';
import { ApiKeyRotation } from './constructs/api-key-rotation';
import { AppSecrets } from './constructs/app-secrets';
import { DataTable } from './constructs/data-table';
import { EncryptionKey } from './constructs/encryption-key';
import { FileBucket } from './constructs/file-bucket';
import { TapHttpApi } from './constructs/http-api';
import { alarmNamePattern, TapAlarms } from './constructs/tap-alarms';
import { TapDashboard } from './constructs/tap-dashboard';
import { TapFunction } from './constructs/tap-function';
import { readEnvironmentConfig, type EnvironmentConfig } from './environment-config';
import { ENVIRONMENT_SUFFIX_CONTEXT_KEY, resolveMaxUploadBytes } from './stack-config';

/** Props of {@link TapStack}. */
export interface TapStackProps extends StackProps {
  /**
   * Suffix of every physical name. Default: context `environmentSuffix`, else `dev`
   * (`createApp` also reads `ENVIRONMENT_SUFFIX`).
   */
  readonly environmentSuffix?: string;
  /**
   * Origins allowed by CORS. Default: context (`environments.<suffix>.corsAllowOrigins`,
   * then `corsAllowOrigins`), else any origin, which only disposable environments accept.
   */
  readonly corsAllowOrigins?: readonly string[];
  /** Largest upload the api function issues a presigned URL for, in bytes (≤ 5 GiB). */
  readonly maxUploadBytes?: number;
}

/** Milliseconds the health function waits for each dependency. */
const HEALTH_CHECK_TIMEOUT_MS = 2000;

/**
 * Every resource of one TAP environment, in us-west-2. Only composes constructs; each
 * physical name carries the environment suffix so environments live side by side.
 *
 * A protected environment (context `protectedEnvironments`, default `prod` and `staging`)
 * retains its key, table, bucket and secrets, and has termination protection on; any
 * other is a disposable developer stack that leaves nothing behind.
 */
export class TapStack extends Stack {
  /** The validated environment suffix. */
  public readonly environmentSuffix: string;
  /** The environment's settings, read from context once. */
  public readonly config: EnvironmentConfig;

  public constructor(scope: Construct, id: string, props: TapStackProps = {}) {
    const suffix = resolveEnvironmentSuffix({
      props: props.environmentSuffix,
      context: scope.node.tryGetContext(ENVIRONMENT_SUFFIX_CONTEXT_KEY),
    });
    if (props.env?.region !== undefined && props.env.region !== TAP_REGION) {
      throw new Error(`TapStack deploys to ${TAP_REGION} only, not ${props.env.region}`);
    }
    const config = readEnvironmentConfig(suffix, (key) => scope.node.tryGetContext(key), {
      corsAllowOrigins: props.corsAllowOrigins,
    });
    const tags = { ...props.tags, project: 'tap', environment: suffix };
    super(scope, id, {
      ...props,
      env: { ...props.env, region: TAP_REGION },
      tags,
      terminationProtection: props.terminationProtection ?? config.isProtected,
    });
    this.environmentSuffix = suffix;
    this.config = config;
    // Stack tags reach CloudFormation's own propagation; tagging the resources too keeps
    // them in the template, where they can be reviewed and tested.
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);

    const names = resourceNames(suffix, this.account, this.region);
    const maxUploadBytes = resolveMaxUploadBytes(props.maxUploadBytes);
    const dataRemovalPolicy = config.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const alarmNames = alarmNamePattern(suffix);

    const functionNames: Record<FunctionName, string> = {
      health: names.healthFunction,
      api: names.apiFunction,
      authorizer: names.authorizerFunction,
      rotation: names.rotationFunction,
    };
    const { key } = new EncryptionKey(this, 'EncryptionKey', {
      aliasName: names.kmsKeyAlias,
      logGroupNames: [
        ...Object.values(functionNames).map(functionLogGroupName),
        names.accessLogGroup,
      ],
      alarmNamePattern: alarmNames,
      removalPolicy: dataRemovalPolicy,
    });
    const { table } = new DataTable(this, 'DataTable', {
      tableName: names.table,
      encryptionKey: key,
      isProtected: config.isProtected,
    });
    const { bucket } = new FileBucket(this, 'FileBucket', {
      bucketName: names.bucket,
      encryptionKey: key,
      corsAllowOrigins: config.corsAllowOrigins,
      isProtected: config.isProtected,
    });
    const secrets = new AppSecrets(this, 'AppSecrets', {
      apiKeySecretName: names.apiKeySecret,
      cursorKeySecretName: names.cursorKeySecret,
      encryptionKey: key,
      removalPolicy: dataRemovalPolicy,
    });
    const arns = { tableArn: table.tableArn, bucketArn: bucket.bucketArn, keyArn: key.keyArn };

    const health = new TapFunction(this, 'HealthFunction', {
      functionName: functionNames.health,
      settings: FUNCTIONS.health,
      serviceName: serviceName('health'),
      description: 'GET /health: checks the table and the bucket',
      encryptionKey: key,
      environment: {
        [FUNCTION_ENV.tableName]: table.tableName,
        [FUNCTION_ENV.bucketName]: bucket.bucketName,
        [FUNCTION_ENV.healthCheckTimeoutMs]: String(HEALTH_CHECK_TIMEOUT_MS),
      },
      statements: healthFunctionStatements(arns),
    });
    const api = new TapFunction(this, 'ApiFunction', {
      functionName: functionNames.api,
      settings: FUNCTIONS.api,
      serviceName: serviceName('api'),
      description: '/api routes: items and their files',
      encryptionKey: key,
      environment: {
        [FUNCTION_ENV.tableName]: table.tableName,
        [FUNCTION_ENV.bucketName]: bucket.bucketName,
        [FUNCTION_ENV.cursorKeySecretId]: secrets.cursorKeySecret.secretArn,
        [FUNCTION_ENV.maxUploadBytes]: String(maxUploadBytes),
      },
      statements: apiFunctionStatements({
        ...arns,
        cursorKeySecretArn: secrets.cursorKeySecret.secretArn,
      }),
      roleAcknowledgements: apiFunctionAcknowledgements(
        this.getLogicalId(bucket.node.defaultChild as CfnBucket),
      ),
    });
    const authorizer = new TapFunction(this, 'AuthorizerFunction', {
      functionName: functionNames.authorizer,
      settings: FUNCTIONS.authorizer,
      serviceName: serviceName('authorizer'),
      description: 'Checks the x-api-key header of /api requests',
      encryptionKey: key,
      environment: { [FUNCTION_ENV.apiKeySecretId]: secrets.apiKeySecret.secretArn },
      statements: authorizerFunctionStatements({
        apiKeySecretArn: secrets.apiKeySecret.secretArn,
        keyArn: key.keyArn,
      }),
    });
    const rotation = new TapFunction(this, 'RotationFunction', {
      functionName: functionNames.rotation,
      settings: FUNCTIONS.rotation,
      serviceName: serviceName('rotation'),
      description: 'Rotates the API key secret (Secrets Manager rotation steps)',
      encryptionKey: key,
      environment: { [FUNCTION_ENV.apiKeySecretId]: secrets.apiKeySecret.secretArn },
      statements: rotationFunctionStatements({
        apiKeySecretArn: secrets.apiKeySecret.secretArn,
        keyArn: key.keyArn,
        region: this.region,
      }),
    });
    new ApiKeyRotation(this, 'ApiKeyRotation', {
      secret: secrets.apiKeySecret,
      rotationFunction: rotation.function,
      rotationDays: config.rotationDays,
    });

    const { httpApi } = new TapHttpApi(this, 'HttpApi', {
      apiName: names.httpApi,
      authorizerName: `tap-api-key-authorizer-${suffix}`,
      corsAllowOrigins: config.corsAllowOrigins,
      routes: routeTable,
      handlers: { health: health.function, api: api.function },
      authorizerFunction: authorizer.function,
      accessLogGroupName: names.accessLogGroup,
      encryptionKey: key,
      throttle: config.throttle,
    });

    const functions = {
      health: health.function,
      api: api.function,
      authorizer: authorizer.function,
      rotation: rotation.function,
    };
    const { topic } = new AlarmTopic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      encryptionKey: key,
      alarmNamePattern: alarmNames,
      emails: config.alarmEmails,
    });
    const { alarms } = new TapAlarms(this, 'Alarms', {
      environmentSuffix: suffix,
      topic,
      httpApi,
      functions,
      table,
      thresholds: config.alarms,
    });
    new TapDashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      environmentSuffix: suffix,
      httpApi,
      functions,
      table,
      alarms: [...alarms.values()],
    });

    const outputs: Record<keyof StackOutputs, { value: string; description: string }> = {
      ApiUrl: { value: httpApi.apiEndpoint, description: 'Base URL of the HTTP API' },
      TableName: { value: table.tableName, description: 'DynamoDB table of the items' },
      BucketName: { value: bucket.bucketName, description: 'S3 bucket of the item files' },
      SecretArn: {
        value: secrets.apiKeySecret.secretArn,
        description: 'Secret holding the API key ({"apiKey": ...})',
      },
      KmsKeyArn: { value: key.keyArn, description: 'Customer-managed KMS key' },
      EnvironmentSuffix: { value: suffix, description: 'Suffix of every physical name' },
    };
    for (const [outputId, output] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, output);
    }
  }
}
