/**
 * `@tap/client`: the typed client of the TAP API.
 *
 * Every path, parameter, body and error is typed from TAP's OpenAPI contract.
 * @packageDocumentation
 */
export {
  CLIENT_ID_HEADER,
  createTapClient,
  DEFAULT_TIMEOUT_MS,
  TAP_CLIENT_ID,
  unwrap,
  type AccessTokenContext,
  type AccessTokenProvider,
  type DownloadFileOptions,
  type PageEntry,
  type PaginatedPath,
  type PaginateInit,
  type TapCallOptions,
  type TapClient,
  type TapClientOptions,
  type TapData,
  type TapMethod,
  type TapResult,
  type TapResultMeta,
} from './client';
export {
  TapApiError,
  TapAuthError,
  TapConflictError,
  TapDownloadError,
  TapError,
  TapNetworkError,
  TapNotFoundError,
  TapRateLimitError,
  TapServerError,
  TapTimeoutError,
  TapValidationError,
  toTapApiError,
  UNTYPED_PROBLEM,
  type TapApiErrorInit,
} from './errors';
export {
  DEFAULT_RETRY,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type RetryOptions,
} from './retry';
export { TapUploadError, uploadFile, type UploadFileInput } from './upload';
export type {
  components,
  CreateFileUploadRequest,
  CreateItemRequest,
  DependencyHealth,
  FileDownload,
  FileList,
  FileContentType,
  FileStatus,
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
