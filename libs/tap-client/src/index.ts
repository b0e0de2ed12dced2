/**
 * `@tap/client`: the typed client of the TAP API.
 *
 * Every path, parameter, body and error is typed from TAP's OpenAPI contract.
 * @packageDocumentation
 */
export {
  createTapClient,
  type AccessTokenContext,
  type AccessTokenProvider,
  type TapClient,
  type TapClientOptions,
} from './client';
export { TapUploadError, uploadFile, type UploadFileInput } from './upload';
export type {
  components,
  CreateFileUploadRequest,
  CreateItemRequest,
  DependencyHealth,
  FileDownload,
  FileList,
  FileSummary,
  FileUpload,
  GatewayError,
  HealthReport,
  Item,
  ItemPage,
  operations,
  paths,
  Problem,
  ProblemType,
  UpdateItemRequest,
} from '@tap/contracts';
