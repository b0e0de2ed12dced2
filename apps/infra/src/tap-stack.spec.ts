import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  DATA_TABLE_SCHEMA,
  DEFAULT_FILE_QUOTAS,
  DEFAULT_MAX_UPLOAD_BYTES,
  deployedFunctions,
  FILE_TABLE_SCHEMA,
  FILES_PREFIX,
  FUNCTIONS,
  IDEMPOTENCY_TABLE_SCHEMA,
  KEY_TABLE_SCHEMA,
  METRICS_NAMESPACE,
  resourceNames,
  SECRETS_EXTENSION,
  serviceName,
  STACK_OUTPUT_KEYS,
  userPoolIssuerUrl,
  type FunctionName,
} from '@tap/contracts';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findWorkspaceRoot } from './lambda-bundle';
import {
  arnOf,
  FUNCTION_NAMES,
  functionNameOf,
  liveAliasIdOf,
  logicalIdOf,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
  type PolicyDocumentJson,
} from './testing/template';
import type { TapStack } from './tap-stack';
import { userPoolJwksLogGroupNames } from './constructs/user-pool-jwks';

describe('TapStack resources', () => {
  let template: Template;
  let stack: TapStack;
  let keyId: string;
  let tableId: string;
  let keyTableId: string;
  let fileTableId: string;
  let idempotencyTableId: string;
  let bucketId: string;
  let cursorKeySecretId: string;
  let userPoolId: string;
  let clientId: string;
  let jwksId: string;

  beforeAll(() => {
    ({ template, stack } = synthesize());
    keyId = logicalIdOf(template, 'AWS::KMS::Key');
    tableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', {
      TableName: `tap-data-table-${TEST_SUFFIX}`,
    });
    keyTableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', {
      TableName: `tap-api-keys-${TEST_SUFFIX}`,
    });
    fileTableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', {
      TableName: `tap-file-records-${TEST_SUFFIX}`,
    });
    idempotencyTableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', {
      TableName: `tap-idempotency-${TEST_SUFFIX}`,
    });
    bucketId = logicalIdOf(template, 'AWS::S3::Bucket');
    cursorKeySecretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', {
      Name: `tap-cursor-signing-key-${TEST_SUFFIX}`,
    });
    userPoolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
    clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
    jwksId = logicalIdOf(template, 'Custom::UserPoolJwks');
  });

  it('deploys to us-west-2 as TapStack-<suffix>, tagged with project and environment', () => {
    expect(stack.region).toBe('us-west-2');
    expect(stack.stackName).toBe(`TapStack-${TEST_SUFFIX}`);
    expect(stack.tags.tagValues()).toEqual({ project: 'tap', environment: TEST_SUFFIX });
    template.hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([
        { Key: 'environment', Value: TEST_SUFFIX },
        { Key: 'project', Value: 'tap' },
      ]),
    });
  });

  describe('encryption key', () => {
    it('is a customer-managed key with rotation, aliased per environment', () => {
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true }),
        DeletionPolicy: 'Delete',
      });
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: `alias/tap-key-${TEST_SUFFIX}`,
        TargetKeyId: arnOf(keyId),
      });
    });

    it('lets CloudWatch Logs use it only for the function log groups, the access log group and the JWKS reader', () => {
      const logGroupArns = new Capture();
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logs.us-west-2.amazonaws.com' },
              Action: [
                'kms:Decrypt',
                'kms:DescribeKey',
                'kms:Encrypt',
                'kms:GenerateDataKey',
                'kms:GenerateDataKeyWithoutPlaintext',
                'kms:ReEncryptFrom',
                'kms:ReEncryptTo',
              ],
              Resource: '*',
              Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
            }),
          ]),
        },
      });
      const arns = (logGroupArns.asArray() as unknown[]).map((arn) => JSON.stringify(arn));
      expect(arns).toHaveLength(FUNCTION_NAMES.length + 3);
      for (const fn of FUNCTION_NAMES) {
        expect(arns).toContainEqual(
          expect.stringContaining(`:log-group:/aws/lambda/${functionNameOf(fn)}"`),
        );
      }
      expect(arns).toContainEqual(
        expect.stringContaining(`:log-group:/aws/apigateway/tap-http-api-${TEST_SUFFIX}"`),
      );
      for (const name of Object.values(userPoolJwksLogGroupNames(TEST_SUFFIX))) {
        expect(arns).toContainEqual(expect.stringContaining(`:log-group:${name}"`));
      }
    });

    it('lets CloudWatch alarms of this environment, in this account, encrypt notifications to the alarm topic', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowCloudWatchAlarmsToPublishToTapAlarmTopic',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': refTo('AWS::AccountId') },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:aws:cloudwatch:us-west-2:',
                        refTo('AWS::AccountId'),
                        `:alarm:tap-*-${TEST_SUFFIX}`,
                      ],
                    ],
                  },
                },
              },
            },
          ]),
        },
      });
    });

    it('has no key policy statement besides the account delegation, CloudWatch Logs and CloudWatch alarms', () => {
      const policy = resources(template)[keyId]?.Properties?.KeyPolicy as PolicyDocumentJson;
      const principals = policy.Statement.map((statement) => JSON.stringify(statement.Principal));
      expect(principals).toEqual([
        expect.stringContaining(':root'),
        JSON.stringify({ Service: 'logs.us-west-2.amazonaws.com' }),
        JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
      ]);
    });
  });

  describe('files bucket', () => {
    it('is named per environment, account and region, and encrypted with the key and a bucket key', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: {
          'Fn::Join': ['', [`tap-files-${TEST_SUFFIX}-`, refTo('AWS::AccountId'), '-us-west-2']],
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: arnOf(keyId),
              },
            },
          ],
        },
      });
    });

    it('blocks all public access and keeps versions', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });

    it('denies every request not made over TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: refTo(bucketId),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [arnOf(bucketId), { 'Fn::Join': ['', [arnOf(bucketId), '/*']] }],
            }),
          ]),
        },
      });
    });

    it('denies presigned requests whose signature is older than 15 minutes, to everyone', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: refTo(bucketId),
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'DenyStalePresignedRequests',
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: {
                StringEquals: { 's3:authType': 'REST-QUERY-STRING' },
                NumericGreaterThan: { 's3:signatureAge': 900000 },
              },
              Resource: [arnOf(bucketId), { 'Fn::Join': ['', [arnOf(bucketId), '/*']] }],
            },
          ]),
        },
      });
    });

    it('lets pages of the allowed origins PUT, GET and HEAD objects through presigned URLs', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            {
              AllowedOrigins: ['*'],
              AllowedMethods: ['PUT', 'GET', 'HEAD'],
              // `if-none-match`: upload URLs sign it, so an upload never overwrites.
              AllowedHeaders: [
                'content-type',
                'content-length',
                'x-amz-meta-file-name',
                'if-none-match',
              ],
              ExposedHeaders: ['ETag'],
              MaxAge: 3600,
            },
          ],
        },
      });
    });

    it('expires noncurrent versions after 30 days and aborts incomplete multipart uploads after 1 day', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'ExpireNoncurrentVersions',
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            },
            {
              Id: 'AbortIncompleteMultipartUploads',
              Status: 'Enabled',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      });
    });

    it('takes both lifecycle periods from context', () => {
      const { template: tuned } = synthesize({
        context: {
          noncurrentVersionExpirationDays: 90,
          environments: { [TEST_SUFFIX]: { abortIncompleteMultipartUploadDays: 3 } },
        },
      });
      tuned.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } }),
          ],
        },
      });
    });

    it('is emptied and deleted with the stack', () => {
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      template.hasResourceProperties('Custom::S3AutoDeleteObjects', {
        BucketName: refTo(bucketId),
      });
    });
  });

  describe('data table', () => {
    it('is an on-demand table keyed by tenant (partition) and item id (sort), as the contract says', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        Properties: Match.objectLike({
          TableName: `tap-data-table-${TEST_SUFFIX}`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'tenant', KeyType: 'HASH' },
            { AttributeName: 'id', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'tenant', AttributeType: 'S' },
            { AttributeName: 'id', AttributeType: 'S' },
          ],
        }),
        DeletionPolicy: 'Delete',
      });
      expect([DATA_TABLE_SCHEMA.partitionKey.name, DATA_TABLE_SCHEMA.sortKey.name]).toEqual([
        'tenant',
        'id',
      ]);
    });

    it('is encrypted with the key and has point-in-time recovery', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: `tap-data-table-${TEST_SUFFIX}`,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            Region: 'us-west-2',
            SSESpecification: { KMSMasterKeyId: arnOf(keyId) },
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      });
    });
  });

  describe('key table', () => {
    it('is an on-demand table of machine keys keyed by keyId alone, as the contract says', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        Properties: Match.objectLike({
          TableName: `tap-api-keys-${TEST_SUFFIX}`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: KEY_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'keyId', AttributeType: 'S' }],
        }),
        DeletionPolicy: 'Delete',
      });
    });

    it('is encrypted with the key and has point-in-time recovery, without deletion protection in a developer stack', () => {
      const replicas = resources(template)[keyTableId]?.Properties?.Replicas as Record<
        string,
        unknown
      >[];
      expect(replicas).toEqual([
        expect.objectContaining({
          Region: 'us-west-2',
          SSESpecification: { KMSMasterKeyId: arnOf(keyId) },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]);
      expect(replicas[0]?.DeletionProtectionEnabled).not.toBe(true);
    });
  });

  describe.each([
    ['file table', 'tap-file-records', FILE_TABLE_SCHEMA, ['itemKey', 'fileId']],
    ['idempotency table', 'tap-idempotency', IDEMPOTENCY_TABLE_SCHEMA, ['id']],
  ] as const)('%s', (_name, baseName, schema, keyNames) => {
    const tableName = `${baseName}-${TEST_SUFFIX}`;
    const idOf = (): string =>
      logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', { TableName: tableName });

    it('is an on-demand table keyed as the contract says', () => {
      const keys = [schema.partitionKey, ...('sortKey' in schema ? [schema.sortKey] : [])];
      expect(keys.map((key) => key.name)).toEqual(keyNames);
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        Properties: Match.objectLike({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keys.map((key, index) => ({
            AttributeName: key.name,
            KeyType: index === 0 ? 'HASH' : 'RANGE',
          })),
          AttributeDefinitions: keys.map((key) => ({
            AttributeName: key.name,
            AttributeType: 'S',
          })),
        }),
        DeletionPolicy: 'Delete',
      });
    });

    it('is encrypted with the key and has point-in-time recovery, without deletion protection in a developer stack', () => {
      const properties = resources(template)[idOf()]?.Properties ?? {};
      expect(properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      const replicas = properties.Replicas as Record<string, unknown>[];
      expect(replicas).toEqual([
        expect.objectContaining({
          Region: 'us-west-2',
          SSESpecification: { KMSMasterKeyId: arnOf(keyId) },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]);
      expect(replicas[0]?.DeletionProtectionEnabled).not.toBe(true);
    });

    it('expires records on the attribute the contract names, if any', () => {
      const properties = resources(template)[idOf()]?.Properties ?? {};
      const ttl = 'timeToLiveAttribute' in schema ? schema.timeToLiveAttribute : undefined;
      expect(properties.TimeToLiveSpecification).toEqual(
        ttl === undefined ? undefined : { AttributeName: ttl, Enabled: true },
      );
      if (baseName === 'tap-idempotency') expect(ttl).toBe('expiration');
    });
  });

  it('keeps no table but the idempotency records on a time to live', () => {
    const withTtl = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))
      .filter((table) => (table.Properties as Record<string, unknown>).TimeToLiveSpecification)
      .map((table) => (table.Properties as { TableName: string }).TableName);
    expect(withTtl).toEqual([`tap-idempotency-${TEST_SUFFIX}`]);
  });

  describe('secrets', () => {
    it('has one secret, the cursor signing key, and no rotation (no API key secret any more)', () => {
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
    });

    it('generates the cursor signing key as {"signingKey": ...} of 64 characters', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({
          Name: `tap-cursor-signing-key-${TEST_SUFFIX}`,
          KmsKeyId: arnOf(keyId),
          GenerateSecretString: Match.objectLike({
            SecretStringTemplate: '{}',
            GenerateStringKey: 'signingKey',
            PasswordLength: 64,
          }),
        }),
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('functions', () => {
    // By name, not by reference: the bucket's notification invokes the files function.
    const bucketName = {
      'Fn::Join': ['', [`tap-files-${TEST_SUFFIX}-`, refTo('AWS::AccountId'), '-us-west-2']],
    };
    const expectedEnvironment = (): Record<FunctionName, Record<string, unknown>> => ({
      health: {
        TABLE_NAME: refTo(tableId),
        BUCKET_NAME: bucketName,
        HEALTH_CHECK_TIMEOUT_MS: '2000',
      },
      api: {
        TABLE_NAME: refTo(tableId),
        FILE_TABLE_NAME: refTo(fileTableId),
        IDEMPOTENCY_TABLE_NAME: refTo(idempotencyTableId),
        BUCKET_NAME: bucketName,
        CURSOR_KEY_SECRET_ID: refTo(cursorKeySecretId),
        MAX_UPLOAD_BYTES: String(DEFAULT_MAX_UPLOAD_BYTES),
        MAX_FILES_PER_ITEM: String(DEFAULT_FILE_QUOTAS.maxFilesPerItem),
        MAX_BYTES_PER_ITEM: String(DEFAULT_FILE_QUOTAS.maxBytesPerItem),
      },
      files: {
        TABLE_NAME: refTo(tableId),
        FILE_TABLE_NAME: refTo(fileTableId),
        BUCKET_NAME: bucketName,
      },
      authorizer: {
        KEY_TABLE_NAME: refTo(keyTableId),
        TOKEN_ISSUER: {
          'Fn::Join': ['', ['https://cognito-idp.us-west-2.amazonaws.com/', refTo(userPoolId)]],
        },
        TOKEN_JWKS_URI: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.us-west-2.amazonaws.com/',
              refTo(userPoolId),
              '/.well-known/jwks.json',
            ],
          ],
        },
        TOKEN_CLIENT_IDS: refTo(clientId),
        TOKEN_JWKS: { 'Fn::GetAtt': [jwksId, 'Jwks'] },
      },
    });

    it.each(FUNCTION_NAMES)(
      'runs the %s bundle on Node.js 24 arm64, traced by X-Ray, with its timeout, memory and environment',
      (fn) => {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Timeout: FUNCTIONS[fn].timeoutSeconds,
          MemorySize: FUNCTIONS[fn].memoryMb,
          TracingConfig: { Mode: 'Active' },
          Environment: {
            Variables: Match.objectLike({
              POWERTOOLS_SERVICE_NAME: serviceName(fn),
              POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
              POWERTOOLS_LOG_LEVEL: 'INFO',
              ...expectedEnvironment()[fn],
            }),
          },
        });
      },
    );

    it.each(FUNCTION_NAMES)(
      'deploys %s with exactly the environment the contract models, variable by variable',
      (fn) => {
        // The model, with a marker for each reference the stack replaces by a token.
        const marker = (id: string): string => `<${id}>`;
        const models = deployedFunctions({
          names: resourceNames(TEST_SUFFIX, 'account'),
          refs: {
            table: marker(tableId),
            keyTable: marker(keyTableId),
            fileTable: marker(fileTableId),
            idempotencyTable: marker(idempotencyTableId),
            // The bucket's physical name, the account as the template's `Ref` of it.
            bucket: resourceNames(TEST_SUFFIX, marker('AWS::AccountId')).bucket,
            cursorKeySecret: marker(cursorKeySecretId),
          },
          tokens: {
            issuer: userPoolIssuerUrl('us-west-2', marker(userPoolId)),
            clientIds: [marker(clientId)],
            jwks: marker(`${jwksId}.Jwks`),
          },
        });
        // The template's values, each `Ref` written as the same marker.
        const flatten = (value: unknown): string => {
          if (typeof value === 'string') return value;
          const token = value as {
            Ref?: string;
            'Fn::Join'?: [string, unknown[]];
            'Fn::GetAtt'?: [string, string];
          };
          if (token.Ref !== undefined) return marker(token.Ref);
          if (token['Fn::GetAtt'] !== undefined) return marker(token['Fn::GetAtt'].join('.'));
          if (token['Fn::Join'] !== undefined) {
            return token['Fn::Join'][1].map(flatten).join(token['Fn::Join'][0]);
          }
          throw new Error(`unexpected value ${JSON.stringify(value)}`);
        };
        const id = logicalIdOf(template, 'AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
        });
        const variables = (
          resources(template)[id]?.Properties?.Environment as { Variables: Record<string, unknown> }
        ).Variables;
        expect(
          Object.fromEntries(
            Object.entries(variables).map(([key, value]) => [key, flatten(value)]),
          ),
        ).toEqual(models[fn].environment);
      },
    );

    it.each(FUNCTION_NAMES)(
      'does not make %s read source maps at every cold start (no --enable-source-maps)',
      (fn) => {
        const id = logicalIdOf(template, 'AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
        });
        const variables = (
          template.toJSON() as {
            Resources: Record<string, { Properties: { Environment: { Variables: object } } }>;
          }
        ).Resources[id]!.Properties.Environment.Variables;
        expect(variables).not.toHaveProperty('NODE_OPTIONS');
      },
    );

    describe('Parameters and Secrets extension', () => {
      const variablesOf = (fn: FunctionName): Record<string, unknown> => {
        const id = logicalIdOf(template, 'AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
        });
        const environment = resources(template)[id]?.Properties?.Environment as {
          Variables: Record<string, unknown>;
        };
        return environment.Variables;
      };
      /** Variables the CDK sets for the extension (the layer reads them at its start). */
      const isExtensionVariable = (name: string): boolean =>
        /^(PARAMETERS_SECRETS_EXTENSION_|SECRETS_MANAGER_|SSM_PARAMETER_STORE_)/.test(name);

      /** The functions that read a secret: the API (cursors). The authorizer reads none. */
      const WITH_EXTENSION: readonly FunctionName[] = ['api'];

      it.each(WITH_EXTENSION)(
        'gives the %s function the AWS-managed extension layer of us-west-2 for arm64, as its only layer',
        (fn) => {
          template.hasResourceProperties('AWS::Lambda::Function', {
            FunctionName: functionNameOf(fn),
            // An array pattern matches only an array of that length; a string pattern only a
            // string: the region is known at synth, so the ARN is a literal, not a lookup.
            Layers: [
              Match.stringLikeRegexp(
                '^arn:aws:lambda:us-west-2:\\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\\d+$',
              ),
            ],
          });
        },
      );

      it.each(WITH_EXTENSION)(
        'gives the %s function the extension settings, caching for no longer than the function does',
        (fn) => {
          const variables = variablesOf(fn);
          expect(variables).toMatchObject({
            // The function finds the extension through this variable.
            [SECRETS_EXTENSION.portEnv]: String(SECRETS_EXTENSION.port),
            PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
            SECRETS_MANAGER_TTL: String(SECRETS_EXTENSION.ttlSeconds),
            PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
          });
          // The function caches the value it reads for 300 s itself.
          expect(SECRETS_EXTENSION.ttlSeconds).toBe(300);
        },
      );

      it('gives the authorizer no secret to read: its credentials are checked against the user pool and the key table', () => {
        expect(
          Object.keys(variablesOf('authorizer')).filter((name) => /SECRET/.test(name)),
        ).toEqual([]);
      });

      it.each(FUNCTION_NAMES.filter((fn) => !WITH_EXTENSION.includes(fn)))(
        'gives the %s function no layer and no extension settings',
        (fn) => {
          template.hasResourceProperties('AWS::Lambda::Function', {
            FunctionName: functionNameOf(fn),
            Layers: Match.absent(),
          });
          expect(Object.keys(variablesOf(fn)).filter(isExtensionVariable)).toEqual([]);
        },
      );
    });

    it.each(FUNCTION_NAMES)(
      'logs the %s function to its own encrypted log group kept one week',
      (fn) => {
        const logGroupName = `/aws/lambda/${functionNameOf(fn)}`;
        const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', {
          LogGroupName: logGroupName,
        });
        template.hasResource('AWS::Logs::LogGroup', {
          Properties: Match.objectLike({
            LogGroupName: logGroupName,
            RetentionInDays: 7,
            KmsKeyId: arnOf(keyId),
          }),
          DeletionPolicy: 'Delete',
        });
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
          LoggingConfig: { LogGroup: refTo(logGroupId) },
        });
      },
    );

    it('creates log groups itself rather than through the LogRetention custom resource', () => {
      template.resourceCountIs('Custom::LogRetention', 0);
      // Four functions, the HTTP API's access logs, the JWKS reader and its provider.
      template.resourceCountIs('AWS::Logs::LogGroup', FUNCTION_NAMES.length + 3);
      expect(FUNCTION_NAMES).toEqual(['health', 'api', 'authorizer', 'files']);
    });

    it('models the newest concrete Node.js runtime aws-cdk-lib offers', () => {
      const versions = Object.keys(Runtime)
        .map((name) => /^NODEJS_(\d+)_X$/.exec(name)?.[1])
        .filter((version): version is string => version !== undefined)
        .map(Number);
      expect(LAMBDA_RUNTIME).toBe(`nodejs${Math.max(...versions)}.x`);
    });

    it('bundles for the Node.js version of the modelled runtime', () => {
      const options = readFileSync(
        path.join(findWorkspaceRoot(), 'tools/scripts/lambda-bundle-options.mjs'),
        'utf8',
      );
      const version = /^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1];
      expect(options).toMatch(new RegExp(`LAMBDA_TARGET = 'node${version}'`));
    });
  });

  describe('files function', () => {
    const filesFunctionId = (): string =>
      logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: functionNameOf('files') });
    const filesAliasId = (): string => liveAliasIdOf(template, functionNameOf('files'));
    const queueId = (): string =>
      logicalIdOf(template, 'AWS::SQS::Queue', {
        QueueName: `${functionNameOf('files')}-dlq`,
      });

    it('is invoked through its live alias by the bucket for every object created under tenants/, and only for those', () => {
      const bucket = resources(template)[bucketId];
      expect(bucket?.Properties?.NotificationConfiguration).toEqual({
        LambdaConfigurations: [
          {
            Event: 's3:ObjectCreated:*',
            Function: refTo(filesAliasId()),
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: FILES_PREFIX }] } },
          },
        ],
      });
      expect(
        deployedFunctions({
          names: resourceNames(TEST_SUFFIX, 'a'),
          tokens: { issuer: 'i', clientIds: [] },
        }).files.bucketEvents,
      ).toEqual({ events: ['s3:ObjectCreated:*'], prefix: FILES_PREFIX });
    });

    it('may be invoked (its live alias) by S3 only from this bucket of this account, and the bucket waits for that permission', () => {
      const permissions = template.findResources('AWS::Lambda::Permission', {
        Properties: { FunctionName: refTo(filesAliasId()) },
      });
      expect(Object.values(permissions).map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: refTo(filesAliasId()),
          Principal: 's3.amazonaws.com',
          SourceAccount: refTo('AWS::AccountId'),
          SourceArn: {
            'Fn::Join': [
              '',
              [`arn:aws:s3:::tap-files-${TEST_SUFFIX}-`, refTo('AWS::AccountId'), '-us-west-2'],
            ],
          },
        },
      ]);
      const bucket = (template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> })
        .Resources[bucketId];
      expect(bucket?.DependsOn).toEqual(Object.keys(permissions));
    });

    it('writes the notification itself: no notifications custom resource, no function of the CDK with s3:PutBucketNotification', () => {
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('s3:PutBucketNotification');
    });

    it('retries a failed event to its live alias twice within an hour, then leaves it in its dead-letter queue', () => {
      // The alias's settings: the bucket invokes the alias, never `$LATEST`.
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: refTo(filesFunctionId()),
        // The alias's name, out of its ARN.
        Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', refTo(filesAliasId())] }] },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
      });
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: functionNameOf('files'),
        DeadLetterConfig: { TargetArn: arnOf(queueId()) },
      });
    });

    it('keeps failed events 14 days in a queue encrypted with the key, reachable over TLS only', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `${functionNameOf('files')}-dlq`,
        KmsMasterKeyId: arnOf(keyId),
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [refTo(queueId())],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      });
    });

    it.each(['health', 'api', 'authorizer'] as const)(
      'gives the synchronously invoked %s function neither retries nor a dead-letter queue',
      (fn) => {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
          DeadLetterConfig: Match.absent(),
        });
      },
    );
  });

  describe('reserved concurrency', () => {
    it('leaves every function unreserved in a developer stack by default', () => {
      for (const fn of FUNCTION_NAMES) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
          ReservedConcurrentExecutions: Match.absent(),
        });
      }
    });

    it('reserves the concurrency context apiReservedConcurrency names for the api function only', () => {
      const { template: reserved } = synthesize({
        context: { environments: { [TEST_SUFFIX]: { apiReservedConcurrency: 200 } } },
      });
      reserved.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: functionNameOf('api'),
        ReservedConcurrentExecutions: 200,
      });
      for (const fn of FUNCTION_NAMES.filter((name) => name !== 'api')) {
        reserved.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf(fn),
          ReservedConcurrentExecutions: Match.absent(),
        });
      }
    });
  });

  it('passes the file caps of context to the api function, refusing any above the contract', () => {
    const { template: capped } = synthesize({
      context: { fileQuotas: { maxFilesPerItem: 3, maxBytesPerItem: 1000 } },
    });
    capped.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionNameOf('api'),
      Environment: {
        Variables: Match.objectLike({ MAX_FILES_PER_ITEM: '3', MAX_BYTES_PER_ITEM: '1000' }),
      },
    });
    expect(() =>
      synthesize({
        context: { fileQuotas: { maxBytesPerItem: DEFAULT_FILE_QUOTAS.maxBytesPerItem + 1 } },
      }),
    ).toThrow('Invalid context fileQuotas: maxBytesPerItem must be a positive integer');
  });

  it('keeps the files function and its role free of any reference to the bucket, which depends on them', () => {
    // The bucket's notification refers to the function (through its permission): a
    // reference back would be a cycle CloudFormation refuses (and Template.fromStack too).
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function', {
      FunctionName: functionNameOf('files'),
    });
    const fn = resources(template)[functionId];
    const roleId = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    for (const id of [functionId, roleId]) {
      expect(JSON.stringify(resources(template)[id])).not.toContain(`"${bucketId}"`);
    }
  });

  it('publishes exactly the outputs of the deployment contract, in its order', () => {
    const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api');
    const outputs = (template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(Object.keys(outputs)).toEqual([...STACK_OUTPUT_KEYS]);
    expect(
      Object.fromEntries(Object.entries(outputs).map(([id, { Value }]) => [id, Value])),
    ).toEqual({
      ApiUrl: { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] },
      TableName: refTo(tableId),
      KeyTableName: refTo(keyTableId),
      BucketName: refTo(bucketId),
      UserPoolId: refTo(userPoolId),
      // The SPA client: the only app client of the pool.
      UserPoolClientId: refTo(clientId),
      IssuerUrl: {
        'Fn::Join': ['', ['https://cognito-idp.us-west-2.amazonaws.com/', refTo(userPoolId)]],
      },
      KmsKeyArn: arnOf(keyId),
      EnvironmentSuffix: TEST_SUFFIX,
    });
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });
});
