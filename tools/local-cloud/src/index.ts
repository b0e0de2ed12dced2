/**
 * The local cloud: DynamoDB, S3 and Secrets Manager emulators and an emulated HTTP API
 * running the real handler bundles. `npm start` runs it; the integration suite starts it
 * in-process.
 */
export {
  startLocalCloud,
  writeOutputsFile,
  type ApiKeyRotation,
  type LocalCloud,
  type LocalCloudOptions,
  type LocalService,
} from './local-cloud';
export { MissingBundleError, PortInUseError } from './errors';
export { RotationFailedError } from './lambda/rotation-runner';
// What a function is given: its environment and the events the gateway builds. The
// benchmarks start the bundles in processes of their own and must give them exactly this,
// not a copy that could drift from it.
export {
  functionEnvironment,
  LOCAL_CREDENTIALS,
  type EmulatorEndpoints,
} from './lambda/function-environment';
export {
  buildAuthorizerEvent,
  buildProxyEvent,
  newRequestId,
  parseHttpRequest,
  type RequestIdentity,
} from './gateway/http-event';
