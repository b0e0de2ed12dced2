/**
 * DO NOT EDIT: generated from libs/contracts/openapi.yaml by `nx run contracts:generate`.
 * `nx run contracts:check-generated` (part of `npm test`) fails when this file is stale.
 */

// What the code enforces outside the schemas, derived by `deriveContractFacts` (src/document-model.ts).

export const apiKeyHeader = "x-api-key" as const;
export const maxRequestBodyBytes = 65536 as const;
export const maxUploadBytes = 5368709120 as const;
export const entityTagPattern = "^\"[1-9][0-9]{0,14}\"$" as const;
export const ifMatchPattern = "^(\\*|(W/)?\"[1-9][0-9]{0,14}\")$" as const;
export const corsAllowHeaders = ["content-type","x-api-key","if-match"] as const;
export const corsAllowMethods = ["GET","POST","PATCH","DELETE","OPTIONS"] as const;
export const corsExposeHeaders = ["etag","location","x-request-id"] as const;

/** Every fact, as `deriveContractFacts` returns them. */
export const contractFacts = {
  apiKeyHeader,
  maxRequestBodyBytes,
  maxUploadBytes,
  entityTagPattern,
  ifMatchPattern,
  cors: {
    allowHeaders: corsAllowHeaders,
    allowMethods: corsAllowMethods,
    exposeHeaders: corsExposeHeaders,
  },
} as const;
