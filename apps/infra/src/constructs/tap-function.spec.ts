import { Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { deployedFunctions, resourceNames } from '@tap/contracts';
import { TapFunction } from './tap-function';

describe('TapFunction', () => {
  const models = deployedFunctions({
    names: resourceNames('test', 'account'),
    tokens: { issuer: 'https://issuer.example.com', clientIds: ['client'] },
  });

  it('refuses a function invoked by bucket events without a dead-letter queue', () => {
    const stack = new Stack();
    expect(
      () =>
        new TapFunction(stack, 'Files', {
          model: models.files,
          encryptionKey: new Key(stack, 'Key'),
          statements: [],
          logRetention: RetentionDays.ONE_WEEK,
        }),
    ).toThrow(
      'tap-file-events-function-test: a function invoked asynchronously (bucket events) needs a dead-letter queue',
    );
  });

  it('refuses a dead-letter queue for a function invoked synchronously', () => {
    const stack = new Stack();
    expect(
      () =>
        new TapFunction(stack, 'Api', {
          model: models.api,
          encryptionKey: new Key(stack, 'Key'),
          statements: [],
          logRetention: RetentionDays.ONE_WEEK,
          deadLetterQueue: new Queue(stack, 'Queue'),
        }),
    ).toThrow('and only such a function takes one');
  });
});
