import { KEY_POLICY_ACCOUNT_ACTIONS } from './constructs/encryption-key';
import type { Template } from 'aws-cdk-lib/assertions';
import type { FunctionName } from '@tap/contracts';
import {
  actionsOf,
  arnOf,
  FUNCTION_NAMES,
  functionNameOf,
  logicalIdOf,
  policyDocuments,
  protectedApp,
  resourcesOf,
  type LocatedPolicyDocument,
  refTo,
  resources,
  roleStatementsOfFunction,
  synthesize,
  TEST_SUFFIX,
  type StatementJson,
} from './testing/template';

/** A statement reduced to what decides access, actions sorted. */
function normalize(statement: StatementJson): Record<string, unknown> {
  return {
    Sid: statement.Sid,
    Effect: statement.Effect,
    Action: actionsOf(statement),
    Resource: statement.Resource,
    ...(statement.Condition === undefined ? {} : { Condition: statement.Condition }),
  };
}

describe('least-privilege IAM', () => {
  let template: Template;
  let keyId: string;
  let tableId: string;
  let keyTableId: string;
  let fileTableId: string;
  let idempotencyTableId: string;
  let bucketId: string;
  let cursorKeySecretId: string;
  let queueId: string;
  const logGroupOf = (fn: FunctionName): string =>
    logicalIdOf(template, 'AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/${functionNameOf(fn)}`,
    });
  const statementsOf = (fn: FunctionName): Record<string, unknown>[] =>
    roleStatementsOfFunction(template, functionNameOf(fn)).map(normalize);
  /** What every function may do: write its own logs and its traces. */
  const writeOwnLogsAndTraces = (fn: FunctionName): Record<string, unknown>[] => [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: arnOf(logGroupOf(fn)),
    },
    {
      Sid: 'WriteTraces',
      Effect: 'Allow',
      Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Resource: '*',
    },
  ];

  beforeAll(() => {
    ({ template } = synthesize());
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
    queueId = logicalIdOf(template, 'AWS::SQS::Queue');
  });

  it('lets the health function only write its logs, describe the table and head the bucket', () => {
    expect(statementsOf('health')).toEqual([
      ...writeOwnLogsAndTraces('health'),
      {
        Sid: 'DescribeDataTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable'],
        Resource: arnOf(tableId),
      },
      {
        Sid: 'HeadFileBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: arnOf(bucketId),
      },
    ]);
  });

  it('grants the api function only item reads and writes with Query (no Scan) and the operations of its transactions on the data and file tables, its idempotency records, item files under tenants/, the cursor secret, and the key only through DynamoDB, S3 and Secrets Manager for those', () => {
    expect(statementsOf('api')).toEqual([
      ...writeOwnLogsAndTraces('api'),
      {
        Sid: 'ReadWriteItems',
        Effect: 'Allow',
        Action: [
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Resource: arnOf(tableId),
      },
      {
        Sid: 'ReadWriteFileRecords',
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Resource: arnOf(fileTableId),
      },
      {
        Sid: 'ReadWriteIdempotencyRecords',
        Effect: 'Allow',
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        Resource: arnOf(idempotencyTableId),
      },
      {
        Sid: 'ListItemFiles',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: arnOf(bucketId),
        Condition: { StringLike: { 's3:prefix': 'tenants/*' } },
      },
      {
        Sid: 'ReadWriteItemFiles',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [arnOf(bucketId), '/tenants/*']] },
      },
      {
        Sid: 'ReadCursorSigningKey',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: refTo(cursorKeySecretId),
      },
      {
        Sid: 'DecryptTablesThroughDynamoDb',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: {
            'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com',
            'kms:EncryptionContext:aws:dynamodb:tableName': [
              refTo(tableId),
              refTo(fileTableId),
              refTo(idempotencyTableId),
            ],
          },
        },
      },
      {
        Sid: 'UseFileKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          StringLike: {
            'kms:EncryptionContext:aws:s3:arn': [
              arnOf(bucketId),
              { 'Fn::Join': ['', [arnOf(bucketId), '/tenants/*']] },
            ],
          },
        },
      },
      {
        Sid: 'DecryptCursorSigningKeyThroughSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: {
            'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com',
            'kms:EncryptionContext:SecretARN': refTo(cursorKeySecretId),
          },
        },
      },
    ]);
  });

  it('lets the files function only check and confirm uploads: item totals, file records, read and delete objects under tenants/, its dead-letter queue, and the key only through DynamoDB, S3 and SQS for those', () => {
    // The bucket by its name: the bucket's notification refers to the function.
    const bucketArnEnding = (ending: string): unknown => ({
      'Fn::Join': [
        '',
        [`arn:aws:s3:::tap-files-${TEST_SUFFIX}-`, refTo('AWS::AccountId'), `-us-west-2${ending}`],
      ],
    });
    const bucketArn = bucketArnEnding('/tenants/*');
    expect(statementsOf('files')).toEqual([
      ...writeOwnLogsAndTraces('files'),
      {
        Sid: 'UpdateItemFileTotals',
        Effect: 'Allow',
        Action: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: arnOf(tableId),
      },
      {
        Sid: 'ConfirmFileRecords',
        Effect: 'Allow',
        Action: [
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        Resource: arnOf(fileTableId),
      },
      {
        Sid: 'CheckOrDeleteUploadedFiles',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject'],
        Resource: bucketArn,
      },
      {
        Sid: 'SendToDeadLetterQueue',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: arnOf(queueId),
      },
      {
        Sid: 'DecryptTablesThroughDynamoDb',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: {
            'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com',
            'kms:EncryptionContext:aws:dynamodb:tableName': [refTo(tableId), refTo(fileTableId)],
          },
        },
      },
      {
        Sid: 'DecryptUploadsThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArnEnding(''), bucketArn] },
        },
      },
      {
        Sid: 'UseQueueKeyThroughSqs',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: {
            'kms:ViaService': 'sqs.us-west-2.amazonaws.com',
            'kms:EncryptionContext:aws:sqs:arn': arnOf(queueId),
          },
        },
      },
    ]);
  });

  it('lets only the api function touch the idempotency records, and no function but the api function write objects', () => {
    const mentions = (fn: FunctionName, text: string): boolean =>
      JSON.stringify(statementsOf(fn)).includes(text);
    expect(FUNCTION_NAMES.filter((fn) => mentions(fn, `"${idempotencyTableId}"`))).toEqual(['api']);
    expect(FUNCTION_NAMES.filter((fn) => mentions(fn, '"s3:PutObject"'))).toEqual(['api']);
    expect(FUNCTION_NAMES.filter((fn) => mentions(fn, `"${fileTableId}"`))).toEqual([
      'api',
      'files',
    ]);
  });

  it('lets the authorizer only write its logs, get one item of the key table and decrypt it through DynamoDB: no secret, no other table', () => {
    expect(statementsOf('authorizer')).toEqual([
      ...writeOwnLogsAndTraces('authorizer'),
      {
        Sid: 'ReadMachineKey',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: arnOf(keyTableId),
      },
      {
        Sid: 'DecryptMachineKeyThroughDynamoDb',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf(keyId),
        Condition: {
          StringEquals: {
            'kms:ViaService': 'dynamodb.us-west-2.amazonaws.com',
            'kms:EncryptionContext:aws:dynamodb:tableName': [refTo(keyTableId)],
          },
        },
      },
    ]);
  });

  it('lets no function but the authorizer read the key table, and the authorizer touch nothing of the data', () => {
    const mentions = (fn: FunctionName, id: string): boolean =>
      JSON.stringify(statementsOf(fn)).includes(`"${id}"`);
    expect(FUNCTION_NAMES.filter((fn) => mentions(fn, keyTableId))).toEqual(['authorizer']);
    expect(mentions('authorizer', tableId)).toBe(false);
    expect(mentions('authorizer', bucketId)).toBe(false);
    expect(JSON.stringify(statementsOf('authorizer'))).not.toContain('secretsmanager:');
  });

  it('gives each function its own role, assumable by Lambda only, with no managed policy and nothing attached by CDK helpers', () => {
    const roleIds = new Set<string>();
    for (const fn of FUNCTION_NAMES) {
      const functionId = logicalIdOf(template, 'AWS::Lambda::Function', {
        FunctionName: functionNameOf(fn),
      });
      const role = resources(template)[functionId]?.Properties?.Role as {
        'Fn::GetAtt': [string, string];
      };
      const roleId = role['Fn::GetAtt'][0];
      roleIds.add(roleId);
      const properties = resources(template)[roleId]?.Properties ?? {};
      expect(properties.ManagedPolicyArns).toBeUndefined();
      expect(properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
      });
    }
    expect(roleIds.size).toBe(FUNCTION_NAMES.length);
    // Tracing and `grant*` helpers would attach policies (with wildcard actions) to a
    // mutable role; the roles are immutable to them, so no AWS::IAM::Policy exists at all.
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

/**
 * Actions that may take the `*` resource, and why: each supports no resource-level
 * permission, so `*` is the only resource the service accepts.
 */
const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'X-Ray has no resource types: tracing writes take `*`',
  'xray:PutTelemetryRecords': 'X-Ray has no resource types: tracing writes take `*`',
};

/** A finding of the policy walks, readable in a failure message. */
const describeStatement = (source: string, statement: StatementJson, what: string): string =>
  `${source} ${statement.Sid ?? JSON.stringify(statement.Principal)}: ${what}`;

describe.each([
  ['a developer stack', {}],
  [
    'a protected stack with alarm emails',
    protectedApp('prod', { alarmEmails: ['oncall@example.com'] }),
  ],
])('every policy of %s', (_name, options) => {
  let template: Template;
  let documents: LocatedPolicyDocument[];

  beforeAll(() => {
    ({ template } = synthesize(options));
    documents = policyDocuments(template);
  });

  it('is walked: roles, bucket policy, key policy, topic policy and queue policy', () => {
    // The walk must see every kind of policy the stack has to prove anything about them.
    expect(new Set(documents.map((document) => document.type))).toEqual(
      new Set([
        'AWS::IAM::Role',
        'AWS::S3::BucketPolicy',
        'AWS::KMS::Key',
        'AWS::SNS::TopicPolicy',
        'AWS::SQS::QueuePolicy',
      ]),
    );
  });

  it('allows no wildcard action anywhere; only deny statements use `s3:*` and `sqs:*`', () => {
    // A broader deny only restricts more: the TLS-only and stale-signature denies of the
    // bucket say `s3:*` (the queue's TLS-only deny `sqs:*`) so no action slips through.
    // Every Allow names its actions.
    const wildcards = documents.flatMap(({ source, document }) =>
      document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
        actionsOf(statement)
          .filter((action) => action.includes('*'))
          .map((action) => describeStatement(source, statement, action)),
      ),
    );
    expect(wildcards).toEqual([]);
    const denyWildcards = documents.flatMap(({ type, document }) =>
      document.Statement.filter((statement) => statement.Effect === 'Deny').flatMap((statement) =>
        actionsOf(statement)
          .filter((action) => action.includes('*'))
          .map((action) => `${type} ${action}`),
      ),
    );
    expect(new Set(denyWildcards)).toEqual(
      new Set(['AWS::S3::BucketPolicy s3:*', 'AWS::SQS::QueuePolicy sqs:*']),
    );
  });

  it('delegates the key to the account with every key action spelled out', () => {
    // The usual `kms:*` root statement, written action by action: without it the key
    // becomes unmanageable, and KMS refuses a policy that would lock the account out.
    const roots = documents.flatMap(({ type, document }) =>
      type === 'AWS::KMS::Key'
        ? document.Statement.filter((statement) =>
            /:root"(\]\]\})?\}$/.test(JSON.stringify(statement.Principal)),
          )
        : [],
    );
    expect(roots).toHaveLength(1);
    expect([...actionsOf(roots[0]!)].sort()).toEqual([...KEY_POLICY_ACCOUNT_ACTIONS].sort());
    expect(actionsOf(roots[0]!)).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:Decrypt']),
    );
  });

  it('allows the `*` resource only for actions that have no resource, or in the key policy where it means the key', () => {
    const stars = documents.flatMap(({ source, type, document }) =>
      document.Statement.filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          type !== 'AWS::KMS::Key' &&
          resourcesOf(statement).includes('*'),
      ).flatMap((statement) =>
        actionsOf(statement)
          .filter((action) => STAR_RESOURCE_ACTIONS[action] === undefined)
          .map((action) => describeStatement(source, statement, `${action} on *`)),
      ),
    );
    expect(stars).toEqual([]);
  });

  it('uses the key only through a named service, or as a named service for its own resources, in every statement with a kms action', () => {
    const kmsStatements = documents.flatMap(({ source, document }) =>
      document.Statement.filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          actionsOf(statement).some((action) => action.startsWith('kms:')),
      ).map((statement) => ({ source, statement })),
    );
    const guards = kmsStatements.map(({ source, statement }) =>
      describeStatement(source, statement, kmsGuardOf(statement)),
    );
    expect(guards.filter((guard) => guard.includes('UNGUARDED'))).toEqual([]);
    // The walk sees every way the stack uses the key: what it proves is about them.
    const kinds = new Set(guards.map((guard) => guard.split(': ')[1]));
    expect(kinds).toEqual(
      new Set([
        'the account root, delegating the key to IAM',
        'via dynamodb, for its tables',
        'via s3, for the files bucket',
        'via secretsmanager, for the secret',
        'via sqs, for the dead-letter queue',
        'as logs.us-west-2.amazonaws.com, for its encryption context',
        'as cloudwatch.amazonaws.com, for alarms of this account and environment',
      ]),
    );
    expect(guards.filter((guard) => guard.endsWith('delegating the key to IAM'))).toHaveLength(1);
  });
});

/**
 * The encryption context each service sets, and which a statement going through it must
 * pin: DynamoDB names the table, S3 the bucket (or object), Secrets Manager the secret,
 * SQS the queue (`aws:sqs:arn`, its ARN).
 */
const ENCRYPTION_CONTEXT_KEYS: Readonly<Record<string, [string, string]>> = {
  dynamodb: ['kms:EncryptionContext:aws:dynamodb:tableName', 'its tables'],
  s3: ['kms:EncryptionContext:aws:s3:arn', 'the files bucket'],
  secretsmanager: ['kms:EncryptionContext:SecretARN', 'the secret'],
  sqs: ['kms:EncryptionContext:aws:sqs:arn', 'the dead-letter queue'],
};

/** How a statement allowing kms actions is held to its purpose, or `UNGUARDED`. */
function kmsGuardOf(statement: StatementJson): string {
  const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const keys = Object.values(conditions).flatMap((operator) => Object.keys(operator));
  const principal = JSON.stringify(statement.Principal ?? null);
  if (statement.Sid === 'DelegateKeyToAccountIam' && principal.includes(':root')) {
    return statement.Condition === undefined
      ? 'the account root, delegating the key to IAM'
      : 'UNGUARDED (a conditioned root statement)';
  }
  const via = conditions.StringEquals?.['kms:ViaService'];
  if (typeof via === 'string') {
    const service = /^([a-z0-9-]+)\.us-west-2\.amazonaws\.com$/.exec(via)?.[1];
    if (service === undefined) return `UNGUARDED (kms:ViaService ${via})`;
    const context = ENCRYPTION_CONTEXT_KEYS[service];
    if (context === undefined) return `via ${service}`;
    return keys.includes(context[0])
      ? `via ${service}, for ${context[1]}`
      : `UNGUARDED (via ${service} without ${context[0]})`;
  }
  const service = (statement.Principal as { Service?: unknown } | undefined)?.Service;
  if (typeof service === 'string') {
    if (keys.some((key) => key.startsWith('kms:EncryptionContext:'))) {
      return `as ${service}, for its encryption context`;
    }
    // CloudWatch publishes an alarm to the encrypted topic as itself: held to this
    // account's alarms of this environment (SNS documents no encryption context to pin).
    if (
      service === 'cloudwatch.amazonaws.com' &&
      keys.includes('aws:SourceAccount') &&
      keys.includes('aws:SourceArn')
    ) {
      return `as ${service}, for alarms of this account and environment`;
    }
  }
  return 'UNGUARDED';
}

describe('encryption at rest', () => {
  let template: Template;
  let keyArn: unknown;

  beforeAll(() => {
    ({ template } = synthesize());
    keyArn = arnOf(logicalIdOf(template, 'AWS::KMS::Key'));
  });

  const propertiesOf = (type: string): Record<string, unknown>[] =>
    Object.values(template.findResources(type)).map(
      (resource) => (resource.Properties ?? {}) as Record<string, unknown>,
    );

  it('encrypts every log group with the customer-managed key', () => {
    const logGroups = propertiesOf('AWS::Logs::LogGroup');
    // The functions', the access logs', the JWKS reader's and its provider framework's.
    expect(logGroups).toHaveLength(FUNCTION_NAMES.length + 3);
    for (const logGroup of logGroups) expect(logGroup.KmsKeyId).toEqual(keyArn);
  });

  it('encrypts the bucket, the four tables, the secret, the alarm topic and the dead-letter queue with it', () => {
    for (const bucket of propertiesOf('AWS::S3::Bucket')) {
      expect(bucket.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          },
        ],
      });
    }
    const tables = propertiesOf('AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      expect(table.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      for (const replica of table.Replicas as { SSESpecification: unknown }[]) {
        expect(replica.SSESpecification).toEqual({ KMSMasterKeyId: keyArn });
      }
    }
    const secrets = propertiesOf('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    for (const secret of secrets) expect(secret.KmsKeyId).toEqual(keyArn);
    const topics = propertiesOf('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    for (const topic of topics) expect(topic.KmsMasterKeyId).toEqual(keyArn);
    const queues = propertiesOf('AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    for (const queue of queues) expect(queue.KmsMasterKeyId).toEqual(keyArn);
  });
});
