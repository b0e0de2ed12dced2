import { App, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createApp } from './app';
import { MAX_UPLOAD_BYTES_LIMIT } from './stack-config';
import { TapStack } from './tap-stack';
import {
  DEVELOPER_ACCOUNT,
  PROTECTED_ENVIRONMENT_CONTEXT,
  protectedApp,
  resources,
  TEST_ACCOUNTS,
} from './testing/template';

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
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::UserPoolClient': 'ClientName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
};

/** The physical names a template sets by type, as JSON (some are built with the account token). */
function physicalNames(template: Template): Record<string, string[]> {
  const names: Record<string, string[]> = {};
  for (const resource of Object.values(resources(template))) {
    const property = PHYSICAL_NAME_PROPERTIES[resource.Type];
    const name = property === undefined ? undefined : resource.Properties?.[property];
    if (name !== undefined) (names[resource.Type] ??= []).push(JSON.stringify(name));
  }
  return names;
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
      const aliceByType = physicalNames(Template.fromStack(alice));
      const aliceNames = Object.values(aliceByType).flat();
      const bobNames = Object.values(physicalNames(Template.fromStack(bob))).flat();

      expect(
        Object.fromEntries(
          Object.entries(aliceByType).map(([type, names]) => [type, names.length]),
        ),
      ).toEqual({
        'AWS::S3::Bucket': 1,
        // The data, key, file record and idempotency tables.
        'AWS::DynamoDB::GlobalTable': 4,
        'AWS::Lambda::Function': 4,
        // Four functions, the API's access logs, and the deploy-time JWKS reader and its
        // provider framework (whose functions keep CloudFormation's names).
        'AWS::Logs::LogGroup': 7,
        'AWS::SecretsManager::Secret': 1,
        'AWS::KMS::Alias': 1,
        'AWS::ApiGatewayV2::Api': 1,
        'AWS::ApiGatewayV2::Authorizer': 1,
        'AWS::SNS::Topic': 1,
        // The files function's dead-letter queue.
        'AWS::SQS::Queue': 1,
        // The API's 5xx rate, errors and throttles of four functions, table throttles.
        'AWS::CloudWatch::Alarm': 10,
        'AWS::CloudWatch::Dashboard': 1,
        'AWS::Cognito::UserPool': 1,
        'AWS::Cognito::UserPoolClient': 1,
        // The Cognito domain prefix, unique in the region: it carries the account too.
        'AWS::Cognito::UserPoolDomain': 1,
      });
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

  describe('accounts', () => {
    it('synthesizes a protected environment for the account context lists for it', () => {
      const { stack } = createApp(protectedApp('prod'));
      expect(stack.account).toBe(TEST_ACCOUNTS.prod);
    });

    it("refuses to synthesize a protected environment with another environment's credentials", () => {
      expect(() =>
        createApp({ ...protectedApp('prod'), env: { CDK_DEFAULT_ACCOUNT: TEST_ACCOUNTS.staging } }),
      ).toThrow(
        `Environment "prod" lives in account ${TEST_ACCOUNTS.prod} (context accounts.prod), ` +
          `not in ${TEST_ACCOUNTS.staging}`,
      );
    });

    it('refuses to synthesize a protected environment for an unresolved account', () => {
      expect(() => createApp({ ...protectedApp('staging'), env: {} })).toThrow(
        `Environment "staging" is protected and lives in account ${TEST_ACCOUNTS.staging} ` +
          "(context accounts.staging), but the app's account is unresolved",
      );
    });

    it('refuses a protected environment context lists no account for', () => {
      const withoutAccounts = { ...PROTECTED_ENVIRONMENT_CONTEXT, accounts: undefined };
      expect(() =>
        createApp({
          environmentSuffix: 'prod',
          env: { CDK_DEFAULT_ACCOUNT: TEST_ACCOUNTS.prod },
          context: withoutAccounts,
        }),
      ).toThrow('Environment "prod" is protected: list its AWS account in context accounts.prod');
    });

    it("never points a developer's or a pull request's stack at production's account", () => {
      const context = { accounts: TEST_ACCOUNTS };
      for (const environmentSuffix of ['alice', 'pr42']) {
        expect(() =>
          createApp({
            environmentSuffix,
            env: { CDK_DEFAULT_ACCOUNT: TEST_ACCOUNTS.prod },
            context,
          }),
        ).toThrow(
          `Environment "${environmentSuffix}" is disposable, but its account ${TEST_ACCOUNTS.prod} ` +
            'is the protected environment "prod"\'s (context accounts.prod)',
        );
      }
      const { stack } = createApp({
        environmentSuffix: 'pr42',
        env: { CDK_DEFAULT_ACCOUNT: DEVELOPER_ACCOUNT },
        context,
      });
      expect(stack.account).toBe(DEVELOPER_ACCOUNT);
    });

    it("reads a stack's own env.account as the app's account", () => {
      const app = new App({ context: { accounts: TEST_ACCOUNTS } });
      expect(
        () =>
          new TapStack(app, 'Stack', {
            environmentSuffix: 'alice',
            env: { account: TEST_ACCOUNTS.staging },
          }),
      ).toThrow('is the protected environment "staging"\'s (context accounts.staging)');
    });
  });

  describe('CORS origins', () => {
    const allowOrigins = (stack: TapStack): { api: unknown; bucket: unknown } => {
      const template = Template.fromStack(stack);
      const api = Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]
        ?.Properties as { CorsConfiguration: { AllowOrigins: unknown } };
      const bucket = Object.values(template.findResources('AWS::S3::Bucket'))[0]?.Properties as {
        CorsConfiguration: { CorsRules: { AllowedOrigins: unknown }[] };
      };
      return {
        api: api.CorsConfiguration.AllowOrigins,
        bucket: bucket.CorsConfiguration.CorsRules[0]?.AllowedOrigins,
      };
    };
    const both = (origins: string[]): { api: string[]; bucket: string[] } => ({
      api: origins,
      bucket: origins,
    });

    it('takes the props over context, on the API and on the bucket alike', () => {
      const { stack } = createApp({
        env: {},
        corsAllowOrigins: ['https://props.example.com'],
        context: {
          corsAllowOrigins: ['https://context.example.com'],
          environments: { dev: { corsAllowOrigins: ['https://dev.example.com'] } },
        },
      });
      expect(allowOrigins(stack)).toEqual(both(['https://props.example.com']));
    });

    it("takes the environment's own origins over the top-level ones", () => {
      const context = {
        corsAllowOrigins: ['https://everyone.example.com'],
        environments: { alice: { corsAllowOrigins: ['https://alice.example.com'] } },
      };
      const alice = createApp({ env: {}, environmentSuffix: 'alice', context });
      expect(allowOrigins(alice.stack)).toEqual(both(['https://alice.example.com']));
      const bob = createApp({ env: {}, environmentSuffix: 'bob', context });
      expect(allowOrigins(bob.stack)).toEqual(both(['https://everyone.example.com']));
    });

    it('takes context corsAllowOrigins as a list or (from the command line) a comma-separated string', () => {
      const fromString = createApp({
        env: {},
        context: { corsAllowOrigins: 'https://a.example.com, https://b.example.com' },
      });
      expect(allowOrigins(fromString.stack)).toEqual(
        both(['https://a.example.com', 'https://b.example.com']),
      );
    });

    it('lets a developer stack default to any origin', () => {
      expect(allowOrigins(createApp({ env: {} }).stack)).toEqual(both(['*']));
    });

    it.each([
      ['without origins', {}],
      ['with "*"', { environments: { prod: { corsAllowOrigins: ['*'] } } }],
      ['with "*" among others', { corsAllowOrigins: ['https://app.example.com', '*'] }],
    ])('fails the synth of a protected environment %s, saying what to set', (_name, context) => {
      expect(() => createApp({ env: {}, environmentSuffix: 'prod', context })).toThrow(
        'Environment "prod" is protected: list its CORS origins explicitly',
      );
    });
  });

  describe('maxUploadBytes', () => {
    it('gives the api function the limit it is given, up to 5 GiB', () => {
      const { stack } = createApp({ env: {}, maxUploadBytes: MAX_UPLOAD_BYTES_LIMIT });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'tap-api-function-dev',
        Environment: {
          Variables: Match.objectLike({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES_LIMIT) }),
        },
      });
    });

    it.each([0, -1, 1.5, MAX_UPLOAD_BYTES_LIMIT + 1, Number.NaN])(
      'refuses %p with a clear synth error',
      (maxUploadBytes) => {
        expect(() => createApp({ env: {}, maxUploadBytes })).toThrow(
          new RegExp(
            `Invalid maxUploadBytes .*: it must be a positive integer of at most ${MAX_UPLOAD_BYTES_LIMIT} bytes`,
          ),
        );
      },
    );
  });
});
