import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_ROTATION_DAYS,
  FUNCTION_ENV,
  FUNCTIONS,
  METRICS_NAMESPACE,
  SECRETS_EXTENSION,
  serviceName,
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
  logicalIdOf,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
  type PolicyDocumentJson,
} from './testing/template';
import type { TapStack } from './tap-stack';

describe('TapStack resources', () => {
  let template: Template;
  let stack: TapStack;
  let keyId: string;
  let tableId: string;
  let bucketId: string;
  let apiKeySecretId: string;
  let cursorKeySecretId: string;

  beforeAll(() => {
    ({ template, stack } = synthesize());
    keyId = logicalIdOf(template, 'AWS::KMS::Key');
    tableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable');
    bucketId = logicalIdOf(template, 'AWS::S3::Bucket');
    apiKeySecretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', {
      Name: `tap-application-secrets-${TEST_SUFFIX}`,
    });
    cursorKeySecretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', {
      Name: `tap-cursor-signing-key-${TEST_SUFFIX}`,
    });
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

    it('lets CloudWatch Logs use it only for the four function log groups and the access log group', () => {
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
      expect(arns).toHaveLength(5);
      for (const fn of FUNCTION_NAMES) {
        expect(arns).toContainEqual(
          expect.stringContaining(`:log-group:/aws/lambda/${functionNameOf(fn)}"`),
        );
      }
      expect(arns).toContainEqual(
        expect.stringContaining(`:log-group:/aws/apigateway/tap-http-api-${TEST_SUFFIX}"`),
      );
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
              AllowedHeaders: ['content-type', 'content-length', 'x-amz-meta-file-name'],
              ExposedHeaders: ['ETag'],
              MaxAge: 3600,
            },
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
    it('is an on-demand table keyed by the string id', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        Properties: Match.objectLike({
          TableName: `tap-data-table-${TEST_SUFFIX}`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        }),
        DeletionPolicy: 'Delete',
      });
    });

    it('is encrypted with the key and has point-in-time recovery', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
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

  describe('secrets', () => {
    it('rotates the API key every 30 days by default through the rotation function', () => {
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: refTo(apiKeySecretId),
        RotationLambdaARN: arnOf(
          logicalIdOf(template, 'AWS::Lambda::Function', {
            FunctionName: functionNameOf('rotation'),
          }),
        ),
        RotationRules: { ScheduleExpression: `rate(${DEFAULT_ROTATION_DAYS} days)` },
      });
      // Only the API key: the cursor signing key is not rotated (see its acknowledgement).
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    });

    it('lets only Secrets Manager of this account invoke the rotation function', () => {
      const rotationId = logicalIdOf(template, 'AWS::Lambda::Function', {
        FunctionName: functionNameOf('rotation'),
      });
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: arnOf(rotationId) },
        }),
      ).map((permission) => permission.Properties as Record<string, unknown>);
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: arnOf(rotationId),
          Principal: 'secretsmanager.amazonaws.com',
          SourceAccount: refTo('AWS::AccountId'),
        },
      ]);
    });

    it('generates the API key as {"apiKey": ...}: 40+ characters, no punctuation', () => {
      const length = new Capture();
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({
          Name: `tap-application-secrets-${TEST_SUFFIX}`,
          KmsKeyId: arnOf(keyId),
          GenerateSecretString: {
            SecretStringTemplate: '{}',
            GenerateStringKey: 'apiKey',
            ExcludePunctuation: true,
            PasswordLength: length,
          },
        }),
        DeletionPolicy: 'Delete',
      });
      expect(length.asNumber()).toBeGreaterThanOrEqual(40);
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
    const expectedEnvironment = (): Record<FunctionName, Record<string, unknown>> => ({
      health: {
        TABLE_NAME: refTo(tableId),
        BUCKET_NAME: refTo(bucketId),
        HEALTH_CHECK_TIMEOUT_MS: '2000',
      },
      api: {
        TABLE_NAME: refTo(tableId),
        BUCKET_NAME: refTo(bucketId),
        CURSOR_KEY_SECRET_ID: refTo(cursorKeySecretId),
        MAX_UPLOAD_BYTES: String(DEFAULT_MAX_UPLOAD_BYTES),
      },
      authorizer: { API_KEY_SECRET_ID: refTo(apiKeySecretId) },
      rotation: { API_KEY_SECRET_ID: refTo(apiKeySecretId) },
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
            Variables: {
              POWERTOOLS_SERVICE_NAME: serviceName(fn),
              POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
              POWERTOOLS_LOG_LEVEL: 'INFO',
              ...expectedEnvironment()[fn],
            },
          },
        });
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

      /** The functions that read a secret per request: the authorizer and the API (cursors). */
      const WITH_EXTENSION: readonly FunctionName[] = ['authorizer', 'api'];

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
            // The authorizer finds the extension through this variable.
            [SECRETS_EXTENSION.portEnv]: String(SECRETS_EXTENSION.port),
            PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
            SECRETS_MANAGER_TTL: String(SECRETS_EXTENSION.ttlSeconds),
            PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
          });
          // Both functions cache the values they read for 300 s themselves.
          expect(SECRETS_EXTENSION.ttlSeconds).toBe(300);
        },
      );

      it('leaves the authorizer reading its secret by ARN, through the extension or the SDK', () => {
        expect(variablesOf('authorizer')[FUNCTION_ENV.apiKeySecretId]).toEqual(
          refTo(apiKeySecretId),
        );
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
      // Four functions and the HTTP API's access logs.
      template.resourceCountIs('AWS::Logs::LogGroup', 5);
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

  it('publishes exactly the six outputs of the deployment contract', () => {
    const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api');
    const outputs = (template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(
      Object.fromEntries(Object.entries(outputs).map(([id, { Value }]) => [id, Value])),
    ).toEqual({
      ApiUrl: { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] },
      TableName: refTo(tableId),
      BucketName: refTo(bucketId),
      SecretArn: refTo(apiKeySecretId),
      KmsKeyArn: arnOf(keyId),
      EnvironmentSuffix: TEST_SUFFIX,
    });
  });
});
