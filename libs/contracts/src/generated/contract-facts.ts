/**
 * DO NOT EDIT: generated from libs/contracts/openapi.yaml by `nx run contracts:generate`.
 * `nx run contracts:check-generated` (part of `npm test`) fails when this file is stale.
 */

// What the code enforces outside the schemas, derived by `deriveContractFacts` (src/document-model.ts).

export const apiKeyHeader = "x-api-key" as const;
export const resourceServer = "tap" as const;
export const scopes = [{"name":"items:read","description":"Read the tenant's items and their files."},{"name":"items:write","description":"Create, change and delete the tenant's items and files."}] as const;
export const maxRequestBodyBytes = 65536 as const;
export const maxUploadBytes = 5368709120 as const;
export const maxAttributes = 50 as const;
export const defaultPageSize = 20 as const;
export const idempotencyKeyHeader = "idempotency-key" as const;
export const idempotentReplayedHeader = "idempotent-replayed" as const;
export const idempotencyExpirySeconds = 86400 as const;
export const maxFilesPerItem = 100 as const;
export const maxBytesPerItem = 1073741824 as const;
export const acceptedContentTypes = ["application/gzip","application/json","application/octet-stream","application/pdf","application/xml","application/zip","audio/mpeg","image/gif","image/jpeg","image/png","image/svg+xml","image/webp","text/csv","text/html","text/markdown","text/plain","video/mp4"] as const;
export const octetStreamContentTypes = ["application/xml","image/svg+xml","text/html"] as const;
export const routes = [{"operationId":"getHealth","method":"GET","path":"/health","routeKey":"GET /health","handler":"health","requiresAuthorization":false,"scopes":[],"idempotent":false},{"operationId":"listItems","method":"GET","path":"/api/items","routeKey":"GET /api/items","handler":"api","requiresAuthorization":true,"scopes":["items:read"],"idempotent":false},{"operationId":"createItem","method":"POST","path":"/api/items","routeKey":"POST /api/items","handler":"api","requiresAuthorization":true,"scopes":["items:write"],"idempotent":true},{"operationId":"getItem","method":"GET","path":"/api/items/{id}","routeKey":"GET /api/items/{id}","handler":"api","requiresAuthorization":true,"scopes":["items:read"],"idempotent":false},{"operationId":"updateItem","method":"PATCH","path":"/api/items/{id}","routeKey":"PATCH /api/items/{id}","handler":"api","requiresAuthorization":true,"scopes":["items:write"],"idempotent":true},{"operationId":"deleteItem","method":"DELETE","path":"/api/items/{id}","routeKey":"DELETE /api/items/{id}","handler":"api","requiresAuthorization":true,"scopes":["items:write"],"idempotent":false},{"operationId":"listItemFiles","method":"GET","path":"/api/items/{id}/files","routeKey":"GET /api/items/{id}/files","handler":"api","requiresAuthorization":true,"scopes":["items:read"],"idempotent":false},{"operationId":"createFileUpload","method":"POST","path":"/api/items/{id}/files","routeKey":"POST /api/items/{id}/files","handler":"api","requiresAuthorization":true,"scopes":["items:write"],"idempotent":true},{"operationId":"getFileDownload","method":"GET","path":"/api/items/{id}/files/{fileId}","routeKey":"GET /api/items/{id}/files/{fileId}","handler":"api","requiresAuthorization":true,"scopes":["items:read"],"idempotent":false},{"operationId":"deleteFile","method":"DELETE","path":"/api/items/{id}/files/{fileId}","routeKey":"DELETE /api/items/{id}/files/{fileId}","handler":"api","requiresAuthorization":true,"scopes":["items:write"],"idempotent":false}] as const;
export const entityTagPattern = "^\"[1-9][0-9]{0,14}\"$" as const;
export const ifMatchPattern = "^(\\*|(W/)?\"[1-9][0-9]{0,14}\")$" as const;
export const corsAllowHeaders = ["content-type","authorization","x-api-key","idempotency-key","if-match","x-tap-client"] as const;
export const corsAllowMethods = ["GET","POST","PATCH","DELETE","OPTIONS"] as const;
export const corsExposeHeaders = ["etag","idempotent-replayed","location","retry-after","x-request-id"] as const;

/** Every fact, as `deriveContractFacts` returns them. */
export const contractFacts = {
  apiKeyHeader,
  resourceServer,
  scopes,
  maxRequestBodyBytes,
  maxUploadBytes,
  maxAttributes,
  defaultPageSize,
  idempotencyKeyHeader,
  idempotentReplayedHeader,
  idempotencyExpirySeconds,
  maxFilesPerItem,
  maxBytesPerItem,
  acceptedContentTypes,
  octetStreamContentTypes,
  routes,
  entityTagPattern,
  ifMatchPattern,
  cors: {
    allowHeaders: corsAllowHeaders,
    allowMethods: corsAllowMethods,
    exposeHeaders: corsExposeHeaders,
  },
} as const;
