import type { CreateAppOptions } from './app';
import { iamActionFindings, policyStatements } from './template-checks/iam-actions';
import { L1ResourceSchema } from './template-checks/resource-schema';
import type { TemplateJson, TemplateResourceJson } from './template-checks/template-json';
import { logicalIdOf, protectedApp, synthesize, TEST_SUFFIX } from './testing/template';

/**
 * The checks cfn-lint would do in the workflows, done in `npm test` with what the npm
 * registry offers (see docs/template-checks.md): the template's resource types and
 * properties against aws-cdk-lib's L1 classes, its IAM actions against the list of IAM.
 */

/** The stacks the repository synthesizes: a developer's, and a protected one. */
const STACKS: readonly [string, CreateAppOptions][] = [
  ['a developer stack', { environmentSuffix: TEST_SUFFIX, env: {} }],
  [
    'a protected stack with alarm emails',
    protectedApp('prod', { alarmEmails: ['oncall@example.com'] }),
  ],
];

/** Resource types that always hold a policy document. */
const POLICY_HOLDERS: readonly string[] = [
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::KMS::Key',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
];

/** A template of the given resources. */
const templateOf = (resources: Record<string, TemplateResourceJson>): TemplateJson => ({
  Resources: resources,
});

/** A template whose only resource is a role with `statement` in an inline policy. */
const roleWith = (statement: Record<string, unknown>): TemplateJson =>
  templateOf({
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'inline',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Resource: '*', ...statement }],
            },
          },
        ],
      },
    },
  });

/** A deep copy of a template, to change without touching the synthesized one. */
const copyOf = (template: TemplateJson): TemplateJson =>
  JSON.parse(JSON.stringify(template)) as TemplateJson;

describe('template checks', () => {
  let schema: L1ResourceSchema;

  beforeAll(() => {
    schema = L1ResourceSchema.load();
  });

  describe('resource types and properties, against the L1 classes of aws-cdk-lib', () => {
    it('reads every resource type and its properties from the jsii assembly', () => {
      expect(schema.resourceTypes.length).toBeGreaterThan(1000);
      expect(schema.resourceTypes).toEqual(
        expect.arrayContaining(['AWS::KMS::Key', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket']),
      );
      expect(schema.propertiesOf('AWS::KMS::Key')).toEqual(
        expect.arrayContaining(['keyPolicy', 'enableKeyRotation', 'tags']),
      );
      expect(schema.propertiesOf('AWS::Invented::Thing')).toBeUndefined();
    });

    it('reports a resource type no L1 class creates', () => {
      const template = templateOf({ Thing: { Type: 'AWS::Invented::Thing', Properties: {} } });
      expect(schema.findings(template)).toEqual([
        `Thing AWS::Invented::Thing: unknown resource type (no L1 class of aws-cdk-lib ${schema.version})`,
      ]);
    });

    it('reports invented top-level and nested properties, with their paths', () => {
      const template = templateOf({
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketNam: 'typo',
            VersioningConfiguration: { Status: 'Enabled', MfaDeleet: 'Enabled' },
            CorsConfiguration: {
              CorsRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSecond: 1 }],
            },
            Tags: [{ Key: 'project', Value: 'tap', Colour: 'blue' }],
          },
        },
      });
      expect(schema.findings(template).sort()).toEqual(
        [
          'Bucket AWS::S3::Bucket: unknown property Properties.BucketNam',
          'Bucket AWS::S3::Bucket: unknown property Properties.VersioningConfiguration.MfaDeleet',
          'Bucket AWS::S3::Bucket: unknown property Properties.CorsConfiguration.CorsRules[0].MaxAgeSecond',
          'Bucket AWS::S3::Bucket: unknown property Properties.Tags[0].Colour',
        ].sort(),
      );
    });

    it('reports a resource attribute CloudFormation does not read', () => {
      const template = templateOf({
        Topic: { Type: 'AWS::SNS::Topic', Properties: {}, DeletionPolicies: 'Retain' },
      });
      expect(schema.findings(template)).toEqual([
        'Topic AWS::SNS::Topic: unknown resource attribute DeletionPolicies',
      ]);
    });

    it('accepts names the CDK spells differently (SSESpecification), intrinsics and free-form JSON', () => {
      const template = templateOf({
        Table: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: {
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
            AttributeDefinitions: { 'Fn::If': ['Cond', [{ Invented: 1 }], []] },
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          },
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        },
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: { KeyPolicy: { Version: '2012-10-17', AnyKeyOfAPolicy: [] } },
        },
      });
      expect(schema.findings(template)).toEqual([]);
    });

    it('takes any property of a custom resource, but requires its ServiceToken', () => {
      const template = templateOf({
        Jwks: { Type: 'Custom::UserPoolJwks', Properties: { ServiceToken: 'arn', Anything: 1 } },
        Orphan: { Type: 'AWS::CloudFormation::CustomResource', Properties: { Anything: 1 } },
      });
      expect(schema.findings(template)).toEqual([
        'Orphan AWS::CloudFormation::CustomResource: custom resource without ServiceToken',
      ]);
    });
  });

  describe('IAM actions, against the actions of each service', () => {
    it('accepts real actions in any case, wildcards that match one, and service:*', async () => {
      const template = roleWith({
        Action: ['s3:GetObject', 'dynamodb:getitem', 's3:Get*', 'kms:GenerateDataKey*', 'kms:*'],
      });
      expect(await iamActionFindings(template)).toEqual([]);
    });

    it('reports an invented action, an invented service, a wildcard matching nothing and "*"', async () => {
      const template = roleWith({
        Action: ['s3:GetObjekt', 'sss:GetObject', 's3:Fly*', '*', 's3GetObject', { Ref: 'A' }],
      });
      const where = 'Role AWS::IAM::Role Properties.Policies[0].PolicyDocument.Statement[0].Action';
      expect(await iamActionFindings(template)).toEqual([
        `${where}: "s3:GetObjekt": s3 has no action "GetObjekt"`,
        `${where}: "sss:GetObject": IAM has no service "sss"`,
        `${where}: "s3:Fly*" matches no action of s3`,
        `${where}: "*" grants every action of every service`,
        `${where}: "s3GetObject" is not <service>:<action>`,
        `${where}: {"Ref":"A"} is not a literal action, so it cannot be checked`,
      ]);
    });

    it('checks NotAction as well as Action, and trust policies as well as permissions', async () => {
      const template = roleWith({ Effect: 'Deny', NotAction: 'iam:PassRoel' });
      const statements = policyStatements(template).map(({ source }) => source);
      expect(statements).toEqual([
        'Role AWS::IAM::Role Properties.AssumeRolePolicyDocument.Statement[0]',
        'Role AWS::IAM::Role Properties.Policies[0].PolicyDocument.Statement[0]',
      ]);
      expect(await iamActionFindings(template)).toEqual([
        'Role AWS::IAM::Role Properties.Policies[0].PolicyDocument.Statement[0].NotAction: ' +
          '"iam:PassRoel": iam has no action "PassRoel"',
      ]);
    });
  });

  describe.each(STACKS)('of %s', (_name, options) => {
    let template: TemplateJson;
    let bucketId: string;

    beforeAll(() => {
      const synthesized = synthesize(options).template;
      template = synthesized.toJSON() as TemplateJson;
      bucketId = logicalIdOf(synthesized, 'AWS::S3::Bucket');
    });

    it('has only resource types and properties the L1 classes know', () => {
      expect(Object.keys(template.Resources ?? {}).length).toBeGreaterThan(20);
      expect(schema.findings(template)).toEqual([]);
    });

    it('grants only real IAM actions, in every policy of the template', async () => {
      const sources = policyStatements(template).map(({ source }) => source);
      // Each role (trust and inline policies), IAM policy, key and bucket policy is read.
      const holders = Object.entries(template.Resources ?? {}).filter(([, { Type: type }]) =>
        POLICY_HOLDERS.includes(type),
      );
      expect(holders.map(([, { Type: type }]) => type)).toEqual(
        expect.arrayContaining(['AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::S3::BucketPolicy']),
      );
      for (const [id, { Type: type }] of holders) {
        expect(sources).toContainEqual(expect.stringMatching(`^${id} ${type} `));
      }
      expect(await iamActionFindings(template)).toEqual([]);
    });

    it('would report an invented property or action in this very template', async () => {
      const changed = copyOf(template);
      const bucket = changed.Resources?.[bucketId] as { Properties: Record<string, unknown> };
      bucket.Properties.BucketEncryptionn = bucket.Properties.BucketEncryption;
      const [first] = policyStatements(changed);
      (first?.statement as { Action: unknown }).Action = 's3:GetObjekt';
      expect(schema.findings(changed)).toEqual([
        `${bucketId} AWS::S3::Bucket: unknown property Properties.BucketEncryptionn`,
      ]);
      expect(await iamActionFindings(changed)).toEqual([
        `${first?.source ?? ''}.Action: "s3:GetObjekt": s3 has no action "GetObjekt"`,
      ]);
    });
  });
});
