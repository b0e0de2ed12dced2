import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  FUNCTION_ENV,
  FUNCTIONS,
  functionLogGroupName,
  resolveEnvironmentSuffix,
  resourceNames,
  routeTable,
  TAP_REGION,
  type StackOutputs,
} from '@tap/contracts';
import {
  apiFunctionStatements,
  authorizerFunctionStatements,
  healthFunctionStatements,
} from './access-policies';
import { AppSecrets } from './constructs/app-secrets';
import { DataTable } from './constructs/data-table';
import { EncryptionKey } from './constructs/encryption-key';
import { FileBucket } from './constructs/file-bucket';
import { TapHttpApi } from './constructs/http-api';
import { TapFunction } from './constructs/tap-function';
import {
  CORS_ALLOW_ORIGINS_CONTEXT_KEY,
  ENVIRONMENT_SUFFIX_CONTEXT_KEY,
  resolveCorsAllowOrigins,
  resolveMaxUploadBytes,
} from './stack-config';

/** Props of {@link TapStack}. */
export interface TapStackProps extends StackProps {
  /**
   * Suffix of every physical name. Default: context `environmentSuffix`, else `dev`
   * (`createApp` also reads `ENVIRONMENT_SUFFIX`).
   */
  readonly environmentSuffix?: string;
  /** Origins allowed by CORS. Default: context `corsAllowOrigins`, else the contract's. */
  readonly corsAllowOrigins?: readonly string[];
  /** Largest upload the api function issues a presigned URL for, in bytes (≤ 5 GiB). */
  readonly maxUploadBytes?: number;
}

/** Milliseconds the health function waits for each dependency. */
const HEALTH_CHECK_TIMEOUT_MS = 2000;

/**
 * Every resource of one TAP environment, in us-west-2. Only composes constructs; each
 * physical name carries the environment suffix so environments live side by side.
 */
export class TapStack extends Stack {
  /** The validated environment suffix. */
  public readonly environmentSuffix: string;

  public constructor(scope: Construct, id: string, props: TapStackProps = {}) {
    const suffix = resolveEnvironmentSuffix({
      props: props.environmentSuffix,
      context: scope.node.tryGetContext(ENVIRONMENT_SUFFIX_CONTEXT_KEY),
    });
    if (props.env?.region !== undefined && props.env.region !== TAP_REGION) {
      throw new Error(`TapStack deploys to ${TAP_REGION} only, not ${props.env.region}`);
    }
    const tags = { ...props.tags, project: 'tap', environment: suffix };
    super(scope, id, { ...props, env: { ...props.env, region: TAP_REGION }, tags });
    this.environmentSuffix = suffix;
    // Stack tags reach CloudFormation's own propagation; tagging the resources too keeps
    // them in the template, where they can be reviewed and tested.
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);

    const names = resourceNames(suffix, this.account, this.region);
    const corsAllowOrigins = resolveCorsAllowOrigins(
      props.corsAllowOrigins,
      this.node.tryGetContext(CORS_ALLOW_ORIGINS_CONTEXT_KEY),
    );
    const maxUploadBytes = resolveMaxUploadBytes(props.maxUploadBytes);

    const { key } = new EncryptionKey(this, 'EncryptionKey', {
      aliasName: names.kmsKeyAlias,
      logGroupNames: [names.healthFunction, names.apiFunction, names.authorizerFunction].map(
        functionLogGroupName,
      ),
    });
    const { table } = new DataTable(this, 'DataTable', {
      tableName: names.table,
      encryptionKey: key,
    });
    const { bucket } = new FileBucket(this, 'FileBucket', {
      bucketName: names.bucket,
      encryptionKey: key,
    });
    const secrets = new AppSecrets(this, 'AppSecrets', {
      apiKeySecretName: names.apiKeySecret,
      cursorKeySecretName: names.cursorKeySecret,
      encryptionKey: key,
    });
    const arns = { tableArn: table.tableArn, bucketArn: bucket.bucketArn, keyArn: key.keyArn };

    const health = new TapFunction(this, 'HealthFunction', {
      functionName: names.healthFunction,
      settings: FUNCTIONS.health,
      serviceName: 'tap-health',
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
      functionName: names.apiFunction,
      settings: FUNCTIONS.api,
      serviceName: 'tap-api',
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
    });
    const authorizer = new TapFunction(this, 'AuthorizerFunction', {
      functionName: names.authorizerFunction,
      settings: FUNCTIONS.authorizer,
      serviceName: 'tap-authorizer',
      description: 'Checks the x-api-key header of /api requests',
      encryptionKey: key,
      environment: { [FUNCTION_ENV.apiKeySecretId]: secrets.apiKeySecret.secretArn },
      statements: authorizerFunctionStatements({
        apiKeySecretArn: secrets.apiKeySecret.secretArn,
        keyArn: key.keyArn,
      }),
    });

    const { httpApi } = new TapHttpApi(this, 'HttpApi', {
      apiName: names.httpApi,
      authorizerName: `tap-api-key-authorizer-${suffix}`,
      corsAllowOrigins,
      routes: routeTable,
      handlers: { health: health.function, api: api.function },
      authorizerFunction: authorizer.function,
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
