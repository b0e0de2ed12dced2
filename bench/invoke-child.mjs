// A warm Lambda container in a process of its own: import a bundle once, then invoke its
// handler with each event read from stdin (one JSON per line), answering on file
// descriptor 3 one line per event with the status code and the handler's own time (stdout
// is the function's: its logs and metrics). Plain ESM on purpose, as
// cold-start-child.mjs: nothing runs before the bundle that a Lambda runtime would not run.
//
// usage: node invoke-child.mjs <bundle file>   (events on stdin)
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [bundleFile] = process.argv.slice(2);
if (!bundleFile) {
  console.error('usage: node invoke-child.mjs <bundle file>');
  process.exit(2);
}
const { handler } = await import(pathToFileURL(bundleFile).href);
const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const deadline = Date.now() + 30_000;
  const context = {
    awsRequestId: randomUUID(),
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-west-2:000000000000:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '/aws/lambda/bench',
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const started = performance.now();
  const result = await handler(JSON.parse(line), context);
  const handlerMs = performance.now() - started;
  writeSync(3, `${JSON.stringify({ statusCode: result?.statusCode, handlerMs })}\n`);
}
process.exit(0);
