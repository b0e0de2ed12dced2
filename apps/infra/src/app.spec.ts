import { App, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createApp } from './app';
import { MAX_UPLOAD_BYTES_LIMIT } from './stack-config';
import { TapStack } from './tap-stack';
import { resources } from './testing/template';

/** Property holding the physical name of each named resource type of the stack. */
const PHYSICAL_NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::ApiGatewayV2::Authorizer': 'Name',
};

/** The physical names a template sets, as JSON (some are built with the account token). */
function physicalNames(template: Template): string[] {
  return Object.values(resources(template)).flatMap((resource) => {
    const property = PHYSICAL_NAME_PROPERTIES[resource.Type];
    const name = property === undefined ? undefined : resource.Properties?.[property];
    return name === undefined ? [] : [JSON.stringify(name)];
  });
}

describe('createApp', () => {
  describe('environment suffix', () => {
    it('takes the stack props first', () => {
      const { stack } = createApp({
        environmentSuffix: 'fromprops',
        context: { environmentSuffix: 'fromcontext' },
        env: { ENVIRONMENT_SUFFIX: 'fromenv' },
      });
      expect(stack.stackName).toBe('TapStack-fromprops');
      expect(stack.environmentSuffix).toBe('fromprops');
    });

    it('takes context environmentSuffix over ENVIRONMENT_SUFFIX', () => {
      const { stack } = createApp({
        context: { environmentSuffix: 'fromcontext' },
        env: { ENVIRONMENT_SUFFIX: 'fromenv' },
      });
      expect(stack.stackName).toBe('TapStack-fromcontext');
    });

    it('takes ENVIRONMENT_SUFFIX when neither props nor context give one', () => {
      expect(createApp({ env: { ENVIRONMENT_SUFFIX: 'alice' } }).stack.stackName).toBe(
        'TapStack-alice',
      );
    });

    it('falls back to dev', () => {
      expect(createApp({ env: {} }).stack.stackName).toBe('TapStack-dev');
    });

    it('lets a TapStack built directly read the suffix from context', () => {
      const app = new App({ context: { environmentSuffix: 'ctx' } });
      expect(new TapStack(app, 'Stack').environmentSuffix).toBe('ctx');
    });

    it.each([
      ['Alice', 'only lowercase letters, digits and hyphens are allowed'],
      ['a_b', 'only lowercase letters, digits and hyphens are allowed'],
      ['-x', 'it must start with a lowercase letter'],
      ['x-', 'it must not end with a hyphen'],
      ['a'.repeat(21), 'it must be at most 20 characters'],
    ])('refuses the suffix %j, naming the rule it breaks', (suffix, rule) => {
      expect(() => createApp({ env: { ENVIRONMENT_SUFFIX: suffix } })).toThrow(rule);
      expect(() => createApp({ env: {}, context: { environmentSuffix: suffix } })).toThrow(rule);
      expect(() => createApp({ env: {}, environmentSuffix: suffix })).toThrow(rule);
    });

    it('names every resource after the suffix, so two environments in one app share no physical name', () => {
      const app = new App();
      const alice = new TapStack(app, 'TapStack-alice', { environmentSuffix: 'alice' });
      const bob = new TapStack(app, 'TapStack-bob', { environmentSuffix: 'bob' });
      const aliceNames = physicalNames(Template.fromStack(alice));
      const bobNames = physicalNames(Template.fromStack(bob));

      // Bucket, table, 3 functions, 3 log groups, 2 secrets, alias, API, authorizer.
      expect(aliceNames).toHaveLength(13);
      for (const name of aliceNames) expect(name).toContain('alice');
      for (const name of bobNames) expect(name).toContain('bob');
      expect(aliceNames.filter((name) => bobNames.includes(name))).toEqual([]);
      expect(alice.stackName).not.toBe(bob.stackName);
    });
  });

  describe('environment', () => {
    it('deploys to us-west-2 in the account of CDK_DEFAULT_ACCOUNT', () => {
      const { stack } = createApp({ env: { CDK_DEFAULT_ACCOUNT: '123456789012' } });
      expect(stack.region).toBe('us-west-2');
      expect(stack.account).toBe('123456789012');
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'tap-files-dev-123456789012-us-west-2',
      });
    });

    it('stays account-agnostic without CDK_DEFAULT_ACCOUNT, so synth needs no credentials', () => {
      const { stack } = createApp({ env: {} });
      expect(stack.region).toBe('us-west-2');
      expect(Token.isUnresolved(stack.account)).toBe(true);
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        BucketName: {
          'Fn::Join': ['', ['tap-files-dev-', { Ref: 'AWS::AccountId' }, '-us-west-2']],
        },
      });
    });

    it('refuses another region', () => {
      expect(() => new TapStack(new App(), 'Stack', { env: { region: 'eu-west-1' } })).toThrow(
        'TapStack deploys to us-west-2 only, not eu-west-1',
      );
    });
  });

  describe('CORS origins', () => {
    const allowOrigins = (stack: TapStack): unknown =>
      (
        Object.values(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Api'))[0]
          ?.Properties as { CorsConfiguration: { AllowOrigins: unknown } }
      ).CorsConfiguration.AllowOrigins;

    it('takes the props over context corsAllowOrigins', () => {
      const { stack } = createApp({
        env: {},
        corsAllowOrigins: ['https://props.example.com'],
        context: { corsAllowOrigins: ['https://context.example.com'] },
      });
      expect(allowOrigins(stack)).toEqual(['https://props.example.com']);
    });

    it('takes context corsAllowOrigins, a list or (from the command line) a comma-separated string', () => {
      const fromList = createApp({
        env: {},
        context: { corsAllowOrigins: ['https://a.example.com', 'https://b.example.com'] },
      });
      expect(allowOrigins(fromList.stack)).toEqual([
        'https://a.example.com',
        'https://b.example.com',
      ]);
      const fromString = createApp({
        env: {},
        context: { corsAllowOrigins: 'https://a.example.com, https://b.example.com' },
      });
      expect(allowOrigins(fromString.stack)).toEqual([
        'https://a.example.com',
        'https://b.example.com',
      ]);
    });
  });

  describe('maxUploadBytes', () => {
    it('gives the api function the limit it is given, up to 5 GiB', () => {
      const { stack } = createApp({ env: {}, maxUploadBytes: MAX_UPLOAD_BYTES_LIMIT });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'tap-api-function-dev',
        Environment: { Variables: Match.objectLike({ MAX_UPLOAD_BYTES: '5368709120' }) },
      });
    });

    it.each([0, -1, 1.5, MAX_UPLOAD_BYTES_LIMIT + 1, Number.NaN])(
      'refuses %p with a clear synth error',
      (maxUploadBytes) => {
        expect(() => createApp({ env: {}, maxUploadBytes })).toThrow(
          /Invalid maxUploadBytes .*: it must be a positive integer of at most 5368709120 bytes/,
        );
      },
    );
  });
});
