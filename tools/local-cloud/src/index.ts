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
