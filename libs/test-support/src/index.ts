/**
 * TAP's test support: what the tests of several projects (and the local cloud, itself a
 * development tool) need alike. Lint lets production code import none of it.
 *
 * - The emulators: DynamoDB (dynalite) and S3 (s3rver) in this process on ephemeral
 *   ports, restartable on the same port, the data table created with the stack's key
 *   schema, and SDK clients pointed at them.
 * - EMF capture: the metric lines Powertools writes to stdout, parsed.
 * - The workspace root, found by walking up to `nx.json`.
 * - A Lambda `Context` for calling handlers directly.
 */
export { findWorkspaceRoot, WORKSPACE_ROOT } from './workspace-root';
export { captureEmf, type EmfCapture } from './emf-capture';
export { lambdaContext, type LambdaContextOptions } from './lambda-context';
export { closeServer, isAddressInUse, listen } from './server-lifecycle';
export { ManagedService, type LocalService, type ServiceBackend } from './managed-service';
export { createDynamoDbEmulator, type DynamoDbEmulatorOptions } from './dynamodb-emulator';
export { createS3Emulator, type EmulatedBucket, type S3EmulatorOptions } from './s3-emulator';
export {
  EMULATOR_CREDENTIALS,
  EMULATOR_REGION,
  dynamoDbClientFor,
  dynamoDbDocumentClientFor,
  emulatorClientConfig,
  s3ClientFor,
  secretsManagerClientFor,
  type EmulatorClientConfig,
} from './emulator-clients';
export {
  dataTableCreateInput,
  ensureDataTable,
  ensureKeyTable,
  ensureTable,
  tableCreateInput,
} from './data-table';
export {
  startEmulators,
  useEmulatorEnvironment,
  type Emulators,
  type EmulatorsOptions,
} from './emulators';
