/**
 * TAP's contract: the OpenAPI document and what is derived from it.
 * Nothing here restates the document by hand.
 */
import type { components } from './generated/openapi-types';

export type { components, operations, paths } from './generated/openapi-types';
export { openApiDocument, type OpenApiDocument } from './generated/openapi-document';
export {
  deriveRouteTable,
  PUBLIC_ROUTE_KEYS,
  RESOURCE_SERVER,
  routeTable,
  SCOPES,
  type HandlerName,
  type Route,
  type Scope,
} from './route-table';
export * from './principal';
export * from './machine-key';
export * from './document-model';
export * from './contract-facts';

type Schemas = components['schemas'];

/** Body of `GET /health`. */
export type HealthReport = Schemas['HealthReport'];
/** One dependency's entry in {@link HealthReport}. */
export type DependencyHealth = Schemas['DependencyHealth'];
/** RFC 9457 problem details body of every error the API itself answers. */
export type Problem = Schemas['Problem'];
/** Stable error codes. */
export type ProblemType = Schemas['ProblemType'];
/** Body API Gateway answers with when it rejects a request itself. */
export type GatewayError = Schemas['GatewayError'];
/** An item. */
export type Item = Schemas['Item'];
/** Body of `POST /api/items`. */
export type CreateItemRequest = Schemas['CreateItemRequest'];
/** Body of `PATCH /api/items/{id}` (JSON merge patch). */
export type UpdateItemRequest = Schemas['UpdateItemRequest'];
/** Body of `GET /api/items`. */
export type ItemPage = Schemas['ItemPage'];
/** Body of `POST /api/items/{id}/files`. */
export type CreateFileUploadRequest = Schemas['CreateFileUploadRequest'];
/** Answer of `POST /api/items/{id}/files`. */
export type FileUpload = Schemas['FileUpload'];
/** One uploaded file. */
export type FileSummary = Schemas['FileSummary'];

/** A content type a file may be uploaded as. */
export type FileContentType = Schemas['FileContentType'];

/** Where a file is in its life: granted (`pending`) or uploaded and checked (`confirmed`). */
export type FileStatus = Schemas['FileStatus'];
/** Body of `GET /api/items/{id}/files`. */
export type FileList = Schemas['FileList'];
/** Body of `GET /api/items/{id}/files/{fileId}`. */
export type FileDownload = Schemas['FileDownload'];

/**
 * Problem types as constants, checked against the contract's enum both ways: `satisfies`
 * refuses a constant the enum lacks, {@link ProblemTypesWithoutConstant} an enum value no
 * constant names.
 */
export const ProblemTypes = {
  validationFailed: 'urn:tap:problem:validation-failed',
  malformedJson: 'urn:tap:problem:malformed-json',
  invalidCursor: 'urn:tap:problem:invalid-cursor',
  unsupportedMediaType: 'urn:tap:problem:unsupported-media-type',
  payloadTooLarge: 'urn:tap:problem:payload-too-large',
  fileTooLarge: 'urn:tap:problem:file-too-large',
  insufficientScope: 'urn:tap:problem:insufficient-scope',
  itemNotFound: 'urn:tap:problem:item-not-found',
  fileNotFound: 'urn:tap:problem:file-not-found',
  routeNotFound: 'urn:tap:problem:route-not-found',
  preconditionFailed: 'urn:tap:problem:precondition-failed',
  attributeLimitExceeded: 'urn:tap:problem:attribute-limit-exceeded',
  idempotencyKeyInUse: 'urn:tap:problem:idempotency-key-in-use',
  idempotencyKeyReused: 'urn:tap:problem:idempotency-key-reused',
  fileLimitExceeded: 'urn:tap:problem:file-limit-exceeded',
  itemStorageExceeded: 'urn:tap:problem:item-storage-exceeded',
  fileNotUploaded: 'urn:tap:problem:file-not-uploaded',
  dependencyUnavailable: 'urn:tap:problem:dependency-unavailable',
  internalError: 'urn:tap:problem:internal-error',
} as const satisfies Record<string, ProblemType>;

/** Compiles only for `never`: a check that names what it found. */
type MustBeEmpty<T extends never> = T;

/**
 * Every problem type of the contract that {@link ProblemTypes} does not name. It must be
 * empty: the type fails to compile, naming the URN, when the enum gains a value without a
 * constant.
 */
export type ProblemTypesWithoutConstant = MustBeEmpty<
  Exclude<ProblemType, (typeof ProblemTypes)[keyof typeof ProblemTypes]>
>;
export * from './deployment';
export * from './functions';
export * from './data-table';
