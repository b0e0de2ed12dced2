/**
 * The local cloud: DynamoDB, S3 and Secrets Manager emulators, an OIDC issuer standing in
 * for the user pool, and an emulated HTTP API running the real handler bundles. `npm start` runs it; the integration suite starts it
 * in-process.
 */
export {
  startLocalCloud,
  writeOutputsFile,
  type LocalCloud,
  type LocalCloudOptions,
  type LocalService,
} from './local-cloud';
export { MissingBundleError, PortInUseError } from './errors';
// The machine key commands, for tests and tools that issue keys of their own.
export {
  createMachineKey,
  listMachineKeys,
  MachineKeyError,
  revokeMachineKey,
  rotateMachineKey,
  type IssuedMachineKey,
  type KeyTable,
  type NewMachineKey,
} from './keys/machine-keys';
export type { IssuedTokens, OidcIssuer } from './identity';
export { LOCAL_USER_POOL_CLIENT_ID, LOCAL_USER_POOL_ID } from './local-account';
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
