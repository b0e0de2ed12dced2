// One emulated Lambda execution environment: a worker thread that imports the real built
// bundle once (the cold start) and then serves every invocation the parent posts (warm).
// Plain ESM on purpose: it runs outside Jest's and tsx's transforms, like the bundle itself.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * @typedef {{ bundleFile: string, functionName: string, functionArn: string, memoryMb: number,
 *   logGroupName: string, logStreamName: string, discardOutput: boolean }} EnvironmentData
 * @typedef {{ type: 'invoke', id: number, event: string, deadline: number }} InvokeMessage
 */

/** @type {EnvironmentData} */
const environment = workerData;

if (environment.discardOutput) {
  // A quiet local cloud shows no function output: drop it here, where it is written,
  // instead of sending every line to the parent thread to be discarded there.
  const discard = (_chunk, encoding, callback) => {
    (typeof encoding === 'function' ? encoding : callback)?.();
    return true;
  };
  process.stdout.write = discard;
  process.stderr.write = discard;
}

// Stack traces then point into the TypeScript sources (the bundles ship source maps).
process.setSourceMapsEnabled?.(true);

/** The handler, loaded once per environment; a failed load fails every invocation. */
const handlerPromise = import(pathToFileURL(environment.bundleFile).href).then((module) => {
  if (typeof module.handler !== 'function') {
    const error = new Error(`${environment.bundleFile} does not export a function named handler`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return module.handler;
});
// The rejection is reported per invocation; do not let it crash the worker first.
handlerPromise.catch(() => undefined);

/** Lambda's error shape: what the Invoke API returns for a function error. */
function toErrorPayload(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      stackTrace: (error.stack ?? '')
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), stackTrace: [] };
}

/** The context object Lambda's Node.js runtime passes as the handler's second argument. */
function createContext(deadline) {
  return {
    awsRequestId: randomUUID(),
    functionName: environment.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: environment.functionArn,
    memoryLimitInMB: String(environment.memoryMb),
    logGroupName: environment.logGroupName,
    logStreamName: environment.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Calls an async handler, or a callback-style one (which answers through `callback`). */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

/** @param {InvokeMessage} message */
async function invoke(message) {
  let handler;
  try {
    handler = await handlerPromise;
  } catch (error) {
    parentPort.postMessage({ type: 'init-error', id: message.id, error: toErrorPayload(error) });
    return;
  }
  const context = createContext(message.deadline);
  try {
    const value = await callHandler(handler, JSON.parse(message.event), context);
    // Lambda hands results back as JSON: what cannot be serialised does not arrive.
    const payload = JSON.stringify(value === undefined ? null : value);
    parentPort.postMessage({ type: 'result', id: message.id, payload });
  } catch (error) {
    const payload = toErrorPayload(error);
    console.error(
      `${new Date().toISOString()}\t${context.awsRequestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}`,
    );
    parentPort.postMessage({ type: 'error', id: message.id, error: payload });
  }
}

parentPort.on('message', (message) => {
  if (message?.type === 'invoke') void invoke(message);
});
