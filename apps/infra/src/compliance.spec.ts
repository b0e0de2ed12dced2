import type { App } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { createApp, type CreateAppOptions } from './app';
import { logicalIdOf, protectedApp, synthesize, TEST_SUFFIX } from './testing/template';
import { acknowledgedFindings, idleAcknowledgements, unacknowledgedFindings } from './testing/nag';

/**
 * Options of a protected environment with what makes it differ: explicit origins and
 * sign-in redirects, alarm emails.
 */
const PROTECTED: CreateAppOptions = protectedApp('prod', { alarmEmails: ['oncall@example.com'] });

describe('cdk-nag compliance', () => {
  describe.each([
    ['a developer stack', { environmentSuffix: TEST_SUFFIX, env: {} }],
    ['a protected stack with alarm emails', PROTECTED],
  ])('of %s', (_name, options) => {
    let app: App;
    beforeAll(() => {
      ({ app } = createApp(options));
    });

    it('has no unacknowledged AwsSolutions or Serverless finding, error or warning', () => {
      expect(unacknowledgedFindings(app)).toEqual([]);
      // And the synthesis itself passes, with the packs as validation plugins and the CDK's
      // CloudFormation schema validation (the specs skip it elsewhere, see jest-setup.ts).
      const skipped = process.env.CDK_VALIDATION;
      delete process.env.CDK_VALIDATION;
      try {
        expect(() => app.synth()).not.toThrow();
      } finally {
        if (skipped !== undefined) process.env.CDK_VALIDATION = skipped;
      }
    });

    it('acknowledges only findings the packs actually raise, each with a reason', () => {
      expect(acknowledgedFindings(app).length).toBeGreaterThan(0);
      expect(idleAcknowledgements(app)).toEqual([]);
    });
  });

  it('acknowledges exactly these findings in a developer stack (adding one is a visible change)', () => {
    const { stack, template } = synthesize();
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket');
    const acknowledged = acknowledgedFindings(stack).map(({ path, id }) => `${path} ${id}`);
    const everyFunction = (fn: string): string[] => [
      `${fn}/Function Serverless-LambdaDLQ`,
      `${fn}/Role AwsSolutions-IAM5[Resource::*]`,
      `${fn}/Role Serverless-LambdaStarPermissions`,
    ];
    expect(acknowledged.sort()).toEqual(
      [
        'FileBucket/Bucket AwsSolutions-S1',
        'AppSecrets/CursorKeySecret AwsSolutions-SMG4',
        ...everyFunction('HealthFunction'),
        ...everyFunction('ApiFunction'),
        `ApiFunction/Role AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/tenants/*]`,
        ...everyFunction('AuthorizerFunction'),
        // Invoked asynchronously by the bucket: a dead-letter queue rather than a destination.
        'FilesFunction/LiveAlias/EventInvokeConfig Serverless-LambdaAsyncFailureDestination',
        'FilesFunction/Role AwsSolutions-IAM5[Resource::*]',
        'FilesFunction/Role Serverless-LambdaStarPermissions',
        `FilesFunction/Role AwsSolutions-IAM5[Resource::arn:aws:s3:::tap-files-${TEST_SUFFIX}-<AWS::AccountId>-us-west-2/tenants/*]`,
        'FilesDeadLetterQueue/Queue Serverless-SQSRedrivePolicy',
        // The deploy-time reader of the user pool's JWKS and its provider framework.
        'UserPoolJwks/Handler Serverless-LambdaDLQ',
        'UserPoolJwks/Handler Serverless-LambdaTracing',
        'UserPoolJwks/Provider/framework-onEvent Serverless-LambdaDLQ',
        'UserPoolJwks/Provider/framework-onEvent Serverless-LambdaTracing',
        'HttpApi/getHealth AwsSolutions-APIG4',
        'Users/UserPool AwsSolutions-COG2',
        'Users/UserPool AwsSolutions-COG8',
      ].sort(),
    );
  });

  it('acknowledges the missing redrive policy of email subscriptions only when there are some', () => {
    const redrive = 'AlarmTopic/Topic Serverless-SNSRedrivePolicy';
    const ids = (options: CreateAppOptions): string[] =>
      acknowledgedFindings(createApp(options).stack).map(({ path, id }) => `${path} ${id}`);
    expect(ids(PROTECTED)).toContain(redrive);
    expect(ids(protectedApp())).not.toContain(redrive);
  });

  describe('on synth', () => {
    it('fails on an unacknowledged error-level finding, naming the rule', () => {
      const { app, stack } = createApp({ env: {} });
      new Topic(stack, 'PlainTextTopic');
      expect(() => app.synth()).toThrow(
        /ERROR The SNS Topic does not require publishers to use SSL[^]*AwsSolutions-SNS3/,
      );
    });

    it('fails on an unacknowledged warning-level finding too', () => {
      const { app, stack } = createApp({ env: {} });
      // Kept forever: only a warning of the Serverless pack.
      new LogGroup(stack, 'ForeverLogGroup', { retention: RetentionDays.INFINITE });
      expect(() => app.synth()).toThrow(/Serverless-CloudWatchLogGroupRetentionPeriod/);
    });
  });
});
