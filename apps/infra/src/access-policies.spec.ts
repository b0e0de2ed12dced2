import type { Template } from 'aws-cdk-lib/assertions';
import {
  actionsOf,
  arnOf,
  logicalIdOf,
  refTo,
  resources,
  roleStatementsOfFunction,
  synthesize,
  TEST_SUFFIX,
  type PolicyDocumentJson,
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

/** Every IAM identity policy document of the template, with where it comes from. */
function identityPolicyDocuments(template: Template): [string, PolicyDocumentJson][] {
  const documents: [string, PolicyDocumentJson][] = [];
  for (const [id, resource] of Object.entries(resources(template))) {
    const properties = resource.Properties ?? {};
    if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type)) {
      documents.push([id, properties.PolicyDocument as PolicyDocumentJson]);
    }
    if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.Type)) {
      for (const policy of (properties.Policies ?? []) as {
        PolicyDocument: PolicyDocumentJson;
      }[]) {
        documents.push([id, policy.PolicyDocument]);
      }
    }
  }
  return documents;
}

describe('least-privilege IAM', () => {
  let template: Template;
  let keyId: string;
  let tableId: string;
  let bucketId: string;
  let apiKeySecretId: string;
  let cursorKeySecretId: string;
  const logGroupOf = (fn: string): string =>
    logicalIdOf(template, 'AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/tap-${fn}-function-${TEST_SUFFIX}`,
    });
  const statementsOf = (fn: string): Record<string, unknown>[] =>
    roleStatementsOfFunction(template, `tap-${fn}-function-${TEST_SUFFIX}`).map(normalize);
  const writeOwnLogs = (fn: string): Record<string, unknown> => ({
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: arnOf(logGroupOf(fn)),
  });

  beforeAll(() => {
    ({ template } = synthesize());
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

  it('lets the health function only write its logs, describe the table and head the bucket', () => {
    expect(statementsOf('health')).toEqual([
      writeOwnLogs('health'),
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

  it('grants the api function only GetItem, PutItem, UpdateItem, DeleteItem, Scan on the table, item files under items/, the key and the cursor secret', () => {
    expect(statementsOf('api')).toEqual([
      writeOwnLogs('api'),
      {
        Sid: 'ReadWriteItems',
        Effect: 'Allow',
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
        Resource: arnOf(tableId),
      },
      {
        Sid: 'ListItemFiles',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: arnOf(bucketId),
        Condition: { StringLike: { 's3:prefix': 'items/*' } },
      },
      {
        Sid: 'ReadWriteItemFiles',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [arnOf(bucketId), '/items/*']] },
      },
      {
        Sid: 'UseDataKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: arnOf(keyId),
      },
      {
        Sid: 'ReadCursorSigningKey',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: refTo(cursorKeySecretId),
      },
    ]);
  });

  it('lets the authorizer only write its logs, read the API key secret and decrypt it', () => {
    expect(statementsOf('authorizer')).toEqual([
      writeOwnLogs('authorizer'),
      {
        Sid: 'ReadApiKey',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: refTo(apiKeySecretId),
      },
      { Sid: 'DecryptApiKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: arnOf(keyId) },
    ]);
  });

  it('gives each function its own role, assumable by Lambda only, with no managed policy', () => {
    const roleIds = new Set<string>();
    for (const fn of ['health', 'api', 'authorizer']) {
      const functionId = logicalIdOf(template, 'AWS::Lambda::Function', {
        FunctionName: `tap-${fn}-function-${TEST_SUFFIX}`,
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
    expect(roleIds.size).toBe(3);
  });

  it('has no IAM identity policy anywhere in the template with a wildcard action', () => {
    const documents = identityPolicyDocuments(template);
    // The three function roles at least: the walk must see something to prove anything.
    expect(documents.length).toBeGreaterThanOrEqual(3);
    const wildcards = documents.flatMap(([id, document]) =>
      document.Statement.flatMap((statement) =>
        actionsOf(statement)
          .filter((action) => action.includes('*'))
          .map((action) => `${id}: ${action}`),
      ),
    );
    expect(wildcards).toEqual([]);
  });

  it('allows wildcard actions in resource policies only to the account root on the key and to the auto-delete provider on the bucket', () => {
    const autoDeleteRoleId = logicalIdOf(template, 'AWS::IAM::Role', {
      ManagedPolicyArns: [
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        },
      ],
    });
    const allowedWildcards: string[] = [];
    for (const resource of Object.values(resources(template))) {
      const document = (resource.Properties?.KeyPolicy ?? resource.Properties?.PolicyDocument) as
        PolicyDocumentJson | undefined;
      if (document === undefined || resource.Type.startsWith('AWS::IAM::')) continue;
      for (const statement of document.Statement) {
        const wildcards = actionsOf(statement).filter((action) => action.includes('*'));
        if (statement.Effect === 'Allow' && wildcards.length > 0) {
          allowedWildcards.push(
            `${resource.Type} ${JSON.stringify(statement.Principal)} ${wildcards.join(',')}`,
          );
        }
      }
    }
    expect(allowedWildcards.sort()).toEqual([
      `AWS::KMS::Key ${JSON.stringify({
        AWS: { 'Fn::Join': ['', ['arn:aws:iam::', refTo('AWS::AccountId'), ':root']] },
      })} kms:*`,
      `AWS::S3::BucketPolicy ${JSON.stringify({ AWS: arnOf(autoDeleteRoleId) })} s3:DeleteObject*,s3:GetBucket*,s3:List*`,
    ]);
  });
});
