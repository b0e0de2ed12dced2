// One cold start, in a fresh Node process: import a Lambda bundle, invoke its handler once
// with the event given, report on file descriptor 3, exit. Plain ESM on purpose: nothing
// (tsx, a loader) may run before the bundle that a Lambda runtime would not run.
//
// usage: node cold-start-child.mjs <bundle file> <event JSON>
//
// With TAP_BENCH_TRACE_FS=1 (a separate, untimed run) it also reports every file the
// bundle's code touches through `node:fs` outside the bundle's own folder (the SDK's shared
// config and credentials files, for instance), with the outcome (`ok` or the error code).
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundleFile, eventJson] = process.argv.slice(2);
if (!bundleFile) {
  console.error('usage: node cold-start-child.mjs <bundle file> <event JSON>');
  process.exit(2);
}
const event = JSON.parse(eventJson ?? 'null');

/** @type {string[] | undefined} */
const fileAccesses = process.env.TAP_BENCH_TRACE_FS === '1' ? [] : undefined;
if (fileAccesses) await traceFileAccesses(path.dirname(path.resolve(bundleFile)), fileAccesses);

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
    ...(fileAccesses ? { fileAccesses } : {}),
  })}\n`,
);
// SDK clients keep sockets open; Lambda would freeze the process here, we end it.
process.exit(0);

/**
 * Wraps the path-taking functions of `node:fs` (callback, sync and promise forms) so that
 * each call outside `ownDirectory` is recorded as `<function> <path>: <outcome>`, then
 * updates the ES module views of `node:fs` and `node:fs/promises`, which bundles import.
 *
 * @param {string} ownDirectory
 * @param {string[]} accesses
 */
async function traceFileAccesses(ownDirectory, accesses) {
  const fs = (await import('node:fs')).default;
  const { syncBuiltinESMExports } = await import('node:module');
  const names = ['readFile', 'open', 'stat', 'lstat', 'access', 'readdir', 'realpath'];
  /** @param {unknown} target */
  const outside = (target) =>
    (typeof target === 'string' || target instanceof URL) &&
    !path
      .resolve(String(target instanceof URL ? target.pathname : target))
      .startsWith(ownDirectory + path.sep);
  /** @param {string} name @param {unknown} target @param {string} outcome */
  const record = (name, target, outcome) => {
    if (outside(target)) accesses.push(`${name} ${String(target)}: ${outcome}`);
  };
  /** @param {unknown} error */
  const code = (error) =>
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
  /** @type {Record<string, (...args: any[]) => any>} */
  const callbacks = /** @type {any} */ (fs);
  /** @type {Record<string, (...args: any[]) => any>} */
  const promises = /** @type {any} */ (fs.promises);
  for (const name of names) {
    const callbackForm = callbacks[name];
    if (callbackForm) {
      callbacks[name] = (target, ...rest) => {
        const done = rest.pop();
        return callbackForm(target, ...rest, (/** @type {unknown[]} */ ...results) => {
          record(name, target, results[0] ? code(results[0]) : 'ok');
          done(...results);
        });
      };
    }
    const syncForm = callbacks[`${name}Sync`];
    if (syncForm) {
      callbacks[`${name}Sync`] = (target, ...rest) => {
        try {
          const value = syncForm(target, ...rest);
          record(`${name}Sync`, target, 'ok');
          return value;
        } catch (error) {
          record(`${name}Sync`, target, code(error));
          throw error;
        }
      };
    }
    const promiseForm = promises[name];
    if (promiseForm) {
      promises[name] = (target, ...rest) =>
        promiseForm(target, ...rest).then(
          (/** @type {unknown} */ value) => {
            record(`promises.${name}`, target, 'ok');
            return value;
          },
          (/** @type {unknown} */ error) => {
            record(`promises.${name}`, target, code(error));
            throw error;
          },
        );
    }
  }
  const existsSync = fs.existsSync;
  fs.existsSync = (target) => {
    const exists = existsSync(target);
    record('existsSync', target, exists ? 'ok' : 'absent');
    return exists;
  };
  syncBuiltinESMExports();
}
