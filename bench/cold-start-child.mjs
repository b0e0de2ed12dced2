// One cold start, in a fresh Node process: import a Lambda bundle, invoke its handler once
// with the event given, report on file descriptor 3, exit. Plain ESM on purpose: nothing
// (tsx, a loader) may run before the bundle that a Lambda runtime would not run.
//
// usage: node cold-start-child.mjs <bundle file> <event JSON>
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundleFile, eventJson] = process.argv.slice(2);
if (!bundleFile) {
  console.error('usage: node cold-start-child.mjs <bundle file> <event JSON>');
  process.exit(2);
}
const event = JSON.parse(eventJson ?? 'null');

// performance.now() counts from this process's start: the first figure is Node's own boot.
const bootMs = performance.now();
const { handler } = await import(pathToFileURL(bundleFile).href);
const importedMs = performance.now();
const deadline = Date.now() + 30_000;
// The context object Lambda's Node.js runtime passes (Powertools reads the function name).
const context = {
  awsRequestId: randomUUID(),
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-west-2:000000000000:function:${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench'}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
const result = await handler(event, context);
const answeredMs = performance.now();

writeSync(
  3,
  `${JSON.stringify({
    bootMs,
    importMs: importedMs - bootMs,
    firstInvokeMs: answeredMs - importedMs,
    statusCode: result?.statusCode,
    isAuthorized: result?.isAuthorized,
  })}\n`,
);
// SDK clients keep sockets open; Lambda would freeze the process here, we end it.
process.exit(0);
