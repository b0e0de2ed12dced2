import { randomUUID } from 'node:crypto';
import { TAP_REGION } from '@tap/contracts';
import type { Context } from 'aws-lambda';

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions {
  /** Default `tap-test-function`. */
  readonly functionName?: string;
  /** The function's timeout; `getRemainingTimeInMillis` counts down from it. Default 30 s. */
  readonly timeoutMs?: number;
  /** Default 128. */
  readonly memoryMb?: number;
  /** Default: a new UUID, as Lambda gives each invocation. */
  readonly awsRequestId?: string;
}

const unsupported = (name: string) => (): never => {
  throw new Error(`context.${name}() is the deprecated callback API; TAP's handlers never use it`);
};

/**
 * A complete Lambda `Context`, as the Node.js runtime passes a handler as its second
 * argument, for calling a handler directly in a test: every field Powertools or a handler
 * may read is there, and the remaining time counts down from the timeout.
 */
export function lambdaContext(options: LambdaContextOptions = {}): Context {
  const functionName = options.functionName ?? 'tap-test-function';
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  return {
    awsRequestId: options.awsRequestId ?? randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${TAP_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 128),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]test`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
