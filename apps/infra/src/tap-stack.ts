import {
  CfnOutput,
  PermissionsBoundary,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
  type StackProps,
} from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  DATA_TABLE_SCHEMA,
  deployedFunctions,
  FILE_TABLE_SCHEMA,
  functionLogGroupName,
  IDEMPOTENCY_TABLE_SCHEMA,
  KEY_TABLE_SCHEMA,
  resolveEnvironmentSuffix,
  resourceNames,
  routeTable,
  TAP_REGION,
  type BucketEventSubscription,
  type FunctionName,
  type StackOutputs,
} from '@tap/contracts';
import {
  apiFunctionAcknowledgements,
  apiFunctionStatements,
  authorizerFunctionStatements,
  filesFunctionStatements,
  healthFunctionStatements,
  itemFilesAcknowledgements,
  nagResourceName,
} from './access-policies';
import { AlarmTopic } from './constructs/alarm-topic';
import { AppSecrets } from './constructs/app-secrets';
import { BucketNotifications } from './constructs/bucket-notifications';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { EncryptionKey } from './constructs/encryption-key';
import { FileBucket } from './constructs/file-bucket';
import {
  FunctionDeployments,
  type FunctionDeploymentTarget,
} from './constructs/function-deployments';
import { TapHttpApi } from './constructs/http-api';
import { alarmNamePattern, TapAlarms } from './constructs/tap-alarms';
import { TapDashboard } from './constructs/tap-dashboard';
import { TapFunction } from './constructs/tap-function';
import { TapTable } from './constructs/tap-table';
import { UserDirectory } from './constructs/user-directory';
import { UserPoolJwks, userPoolJwksLogGroupNames } from './constructs/user-pool-jwks';
import {
  assertDeploymentAccount,
  readEnvironmentConfig,
  type EnvironmentConfig,
} from './environment-config';
import { retentionDaysOf } from './log-retention';
import { PERMISSIONS_BOUNDARY_NAME } from './permissions-boundary';
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

/**
 * Every resource of one TAP environment, in us-west-2. Only composes constructs; each
 * physical name carries the environment suffix so environments live side by side.
 *
 * A protected environment (context `protectedEnvironments`, default `prod` and `staging`)
 * retains its key, tables, bucket, secret and user pool, has termination protection on,
 * is synthesized only for the account context lists for it, and by default shifts new
 * function versions gradually (CodeDeploy, rolled back by the alarms); any other is a
 * disposable developer stack that leaves nothing behind.
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
    const account = props.env?.account;
    assertDeploymentAccount(
      config,
      account === undefined || Token.isUnresolved(account) ? undefined : account,
    );
    const tags = { ...props.tags, project: 'tap', environment: suffix };
    super(scope, id, {
      ...props,
      env: { ...props.env, region: TAP_REGION },
      tags,
      terminationProtection: props.terminationProtection ?? config.isProtected,
      // Every AWS::IAM::Role of the template gets it, the raw ones of CDK's custom resource
      // providers included (an aspect over the CloudFormation type). Not a prop: the
      // execution policy refuses a role without it, in every environment.
      permissionsBoundary: PermissionsBoundary.fromName(PERMISSIONS_BOUNDARY_NAME),
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
    const jwksLogGroupNames = userPoolJwksLogGroupNames(suffix);
    const logRetention = retentionDaysOf(config.logRetentionDays);

    const { key } = new EncryptionKey(this, 'EncryptionKey', {
      aliasName: names.kmsKeyAlias,
      logGroupNames: [
        ...Object.values(names.functions).map(functionLogGroupName),
        names.accessLogGroup,
        jwksLogGroupNames.handler,
        jwksLogGroupNames.provider,
      ],
      alarmNamePattern: alarmNames,
      removalPolicy: dataRemovalPolicy,
    });
    const { table } = new TapTable(this, 'DataTable', {
      tableName: names.table,
      schema: DATA_TABLE_SCHEMA,
      encryptionKey: key,
      isProtected: config.isProtected,
    });
    const { table: keyTable } = new TapTable(this, 'KeyTable', {
      tableName: names.keyTable,
      schema: KEY_TABLE_SCHEMA,
      encryptionKey: key,
      isProtected: config.isProtected,
    });
    const { table: fileTable } = new TapTable(this, 'FileTable', {
      tableName: names.fileTable,
      schema: FILE_TABLE_SCHEMA,
      encryptionKey: key,
      isProtected: config.isProtected,
    });
    const { table: idempotencyTable } = new TapTable(this, 'IdempotencyTable', {
      tableName: names.idempotencyTable,
      schema: IDEMPOTENCY_TABLE_SCHEMA,
      encryptionKey: key,
      isProtected: config.isProtected,
    });
    const { bucket } = new FileBucket(this, 'FileBucket', {
      bucketName: names.bucket,
      encryptionKey: key,
      corsAllowOrigins: config.corsAllowOrigins,
      isProtected: config.isProtected,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: config.abortIncompleteMultipartUploadDays,
    });
    // The bucket by name rather than by reference wherever the files function sees it: the
    // bucket's notification refers to that function, which therefore cannot refer back.
    const bucketArnByName = `arn:${this.partition}:s3:::${names.bucket}`;
    const secrets = new AppSecrets(this, 'AppSecrets', {
      cursorKeySecretName: names.cursorKeySecret,
      encryptionKey: key,
      removalPolicy: dataRemovalPolicy,
    });
    const users = new UserDirectory(this, 'Users', {
      userPoolName: names.userPool,
      clientName: names.userPoolClient,
      domainPrefix: names.userPoolDomainPrefix,
      callbackUrls: config.authCallbackUrls,
      logoutUrls: config.authLogoutUrls,
      isProtected: config.isProtected,
    });
    // The pool's keys, read at deployment, so the authorizer's first token needs no fetch.
    const { jwks } = new UserPoolJwks(this, 'UserPoolJwks', {
      userPoolId: users.userPool.userPoolId,
      logGroupNames: jwksLogGroupNames,
      encryptionKey: key,
      logRetention,
    });
    const arns = { tableArn: table.tableArn, bucketArn: bucket.bucketArn, keyArn: key.keyArn };
    // The region KMS sees the services call from (`kms:ViaService`).
    const region = this.region;
    const { queue: filesDeadLetterQueue } = new DeadLetterQueue(this, 'FilesDeadLetterQueue', {
      queueName: `${names.functions.files}-dlq`,
      encryptionKey: key,
    });

    // The contract's model of every function, its environment pointing at this stack's
    // resources through their tokens; TapFunction only translates it.
    const models = deployedFunctions({
      names,
      refs: {
        table: table.tableName,
        keyTable: keyTable.tableName,
        fileTable: fileTable.tableName,
        idempotencyTable: idempotencyTable.tableName,
        // Its name, not a reference: the files function must not depend on the bucket.
        bucket: names.bucket,
        cursorKeySecret: secrets.cursorKeySecret.secretArn,
      },
      // The authorizer accepts access tokens of the pool issued to the SPA client, and
      // starts with the pool's keys (empty when too large: it then fetches them).
      tokens: { issuer: users.issuerUrl, clientIds: [users.client.userPoolClientId], jwks },
      maxUploadBytes,
      fileQuotas: config.fileQuotas,
    });
    const health = new TapFunction(this, 'HealthFunction', {
      model: models.health,
      encryptionKey: key,
      statements: healthFunctionStatements(arns),
      logRetention,
    });
    const api = new TapFunction(this, 'ApiFunction', {
      model: models.api,
      encryptionKey: key,
      statements: apiFunctionStatements({
        ...arns,
        region,
        fileTableArn: fileTable.tableArn,
        idempotencyTableArn: idempotencyTable.tableArn,
        cursorKeySecretArn: secrets.cursorKeySecret.secretArn,
        tableNames: [table.tableName, fileTable.tableName, idempotencyTable.tableName],
      }),
      logRetention,
      roleAcknowledgements: apiFunctionAcknowledgements(
        this.getLogicalId(bucket.node.defaultChild as CfnBucket),
      ),
      reservedConcurrency: config.apiReservedConcurrency,
    });
    const authorizer = new TapFunction(this, 'AuthorizerFunction', {
      model: models.authorizer,
      encryptionKey: key,
      statements: authorizerFunctionStatements({
        keyTableArn: keyTable.tableArn,
        keyTableName: keyTable.tableName,
        keyArn: key.keyArn,
        region,
      }),
      logRetention,
    });
    const files = new TapFunction(this, 'FilesFunction', {
      model: models.files,
      encryptionKey: key,
      statements: filesFunctionStatements({
        ...arns,
        region,
        bucketArn: bucketArnByName,
        fileTableArn: fileTable.tableArn,
        deadLetterQueueArn: filesDeadLetterQueue.queueArn,
        tableNames: [table.tableName, fileTable.tableName],
      }),
      logRetention,
      roleAcknowledgements: itemFilesAcknowledgements(
        nagResourceName(this.resolve(bucketArnByName)),
      ),
      deadLetterQueue: filesDeadLetterQueue,
    });
    // TapFunction has checked that the files function has bucket events (hence its queue).
    const fileEvents = models.files.bucketEvents as BucketEventSubscription;
    new BucketNotifications(this, 'FileBucketNotifications', {
      bucket,
      bucketArn: bucketArnByName,
      targets: [{ function: files.alias, subscription: fileEvents }],
    });

    const { httpApi } = new TapHttpApi(this, 'HttpApi', {
      apiName: names.httpApi,
      authorizerName: `tap-authorizer-${suffix}`,
      corsAllowOrigins: config.corsAllowOrigins,
      routes: routeTable,
      // The aliases: what the routes and the authorizer invoke moves with them.
      handlers: { health: health.alias, api: api.alias },
      authorizerFunction: authorizer.alias,
      accessLogGroupName: names.accessLogGroup,
      encryptionKey: key,
      logRetention,
      throttle: config.throttle,
    });

    const functions = {
      health: health.function,
      api: api.function,
      authorizer: authorizer.function,
      files: files.function,
    };
    const { topic } = new AlarmTopic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      encryptionKey: key,
      alarmNamePattern: alarmNames,
      emails: config.alarmEmails,
    });
    const tapAlarms = new TapAlarms(this, 'Alarms', {
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
      alarms: [...tapAlarms.alarms.values()],
    });

    // Gradual deployment: each function's errors stop (and roll back) its shift, and for
    // the functions answering HTTP requests the API's 5xx rate too. `all-at-once` moves the
    // aliases with the stack update, without CodeDeploy.
    const { strategy } = config.deployment;
    if (strategy !== 'all-at-once') {
      const target = (
        id: string,
        fn: FunctionName,
        { alias }: TapFunction,
        servesHttp: boolean,
      ): FunctionDeploymentTarget => ({
        id,
        deploymentGroupName: `tap-${fn}-${suffix}`,
        alias,
        alarms: [
          tapAlarms.functionErrorsOf(fn),
          ...(servesHttp ? [tapAlarms.serverErrorRate] : []),
        ],
      });
      new FunctionDeployments(this, 'Deployments', {
        applicationName: `tap-functions-${suffix}`,
        strategy,
        targets: [
          target('Health', 'health', health, true),
          target('Api', 'api', api, true),
          target('Authorizer', 'authorizer', authorizer, true),
          target('Files', 'files', files, false),
        ],
      });
    }

    const outputs: Record<keyof StackOutputs, { value: string; description: string }> = {
      ApiUrl: { value: httpApi.apiEndpoint, description: 'Base URL of the HTTP API' },
      TableName: { value: table.tableName, description: 'DynamoDB table of the items' },
      KeyTableName: {
        value: keyTable.tableName,
        description: 'DynamoDB table of the machine keys (one per keyId)',
      },
      BucketName: { value: bucket.bucketName, description: 'S3 bucket of the item files' },
      UserPoolId: {
        value: users.userPool.userPoolId,
        description: 'Cognito user pool of the users',
      },
      UserPoolClientId: {
        value: users.client.userPoolClientId,
        description: 'App client of the browser SPA (authorization code with PKCE, no secret)',
      },
      IssuerUrl: {
        value: users.issuerUrl,
        description: 'Issuer of the user tokens; its discovery document names the endpoints',
      },
      KmsKeyArn: { value: key.keyArn, description: 'Customer-managed KMS key' },
      EnvironmentSuffix: { value: suffix, description: 'Suffix of every physical name' },
    };
    for (const [outputId, output] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, output);
    }
  }
}
