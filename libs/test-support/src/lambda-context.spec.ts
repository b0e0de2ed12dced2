import { lambdaContext } from './lambda-context';

describe('a Lambda context', () => {
  it('has every field the Node.js runtime passes, named after the function', () => {
    const context = lambdaContext({ functionName: 'tap-api-function-test', memoryMb: 512 });

    expect(context).toMatchObject({
      functionName: 'tap-api-function-test',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-west-2:000000000000:function:tap-api-function-test',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/tap-api-function-test',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\]/),
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callbackWaitsForEmptyEventLoop: true,
    });
  });

  it('gives each context its own request id unless one is given', () => {
    expect(lambdaContext().awsRequestId).not.toBe(lambdaContext().awsRequestId);
    expect(lambdaContext({ awsRequestId: 'req-1' }).awsRequestId).toBe('req-1');
  });

  it('counts the remaining time down from the timeout, never below zero', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      const context = lambdaContext({ timeoutMs: 3000 });
      expect(context.getRemainingTimeInMillis()).toBe(3000);
      now.mockReturnValue(1_002_000);
      expect(context.getRemainingTimeInMillis()).toBe(1000);
      now.mockReturnValue(1_010_000);
      expect(context.getRemainingTimeInMillis()).toBe(0);
    } finally {
      now.mockRestore();
    }
  });

  it('refuses the deprecated callback API', () => {
    const context = lambdaContext();
    expect(() => context.succeed('done')).toThrow('deprecated callback API');
    expect(() => context.fail('no')).toThrow('deprecated callback API');
    expect(() => context.done()).toThrow('deprecated callback API');
  });
});
