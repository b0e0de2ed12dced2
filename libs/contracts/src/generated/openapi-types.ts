/**
 * DO NOT EDIT: generated from libs/contracts/openapi.yaml by `nx run contracts:generate`.
 * `nx run contracts:check-generated` (part of `npm test`) fails when this file is stale.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Report whether TAP and its dependencies are reachable. */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List items, one page at a time. */
        get: operations["listItems"];
        put?: never;
        /** Create an item. */
        post: operations["createItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        /** Read one item. */
        get: operations["getItem"];
        put?: never;
        post?: never;
        /**
         * Delete an item and all of its files.
         * @description The item is marked as being deleted (it reads as missing from then on), its files
         *     are removed page by page, and the item's row goes last: a delete that fails half-way
         *     leaves the item hidden, and repeating it finishes the work. Nothing is left behind.
         */
        delete: operations["deleteItem"];
        options?: never;
        head?: never;
        /**
         * Change an item with JSON merge patch semantics.
         * @description Fields present in the body replace the stored ones; `null` removes an optional field.
         *     `attributes` is merged key by key, and a `null` value removes that key.
         *     Every update is one conditional write that increments `version`.
         */
        patch: operations["updateItem"];
        trace?: never;
    };
    "/api/items/{id}/files": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        /** List an item's files (pending and confirmed), one page at a time. */
        get: operations["listItemFiles"];
        put?: never;
        /**
         * Get a presigned URL to upload one file to an item.
         * @description Records the file as `pending` and counts it against the item's caps in one
         *     conditional write. The URL works once (it is signed with `If-None-Match: *`) and
         *     only while the item and the file exist.
         */
        post: operations["createFileUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/items/{id}/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
                /** @description The file id (a UUID) from `createFileUpload`. */
                fileId: components["parameters"]["FileId"];
            };
            cookie?: never;
        };
        /**
         * Get a presigned URL to download one uploaded file.
         * @description The item and the file must exist and belong to the caller's tenant, and the upload
         *     must have been confirmed (409 `file-not-uploaded` before). Types listed in
         *     `x-tap-octet-stream-content-types` are served as `application/octet-stream`
         *     attachments.
         */
        get: operations["getFileDownload"];
        put?: never;
        post?: never;
        /** Delete one uploaded file. */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        HealthReport: {
            /**
             * @description `ok` when every dependency is up, `unavailable` otherwise.
             * @enum {string}
             */
            status: "ok" | "unavailable";
            /** Format: date-time */
            checkedAt: string;
            dependencies: {
                dynamodb: components["schemas"]["DependencyHealth"];
                s3: components["schemas"]["DependencyHealth"];
            };
        };
        DependencyHealth: {
            /** @enum {string} */
            status: "up" | "down";
            /** @description How long the check took, in milliseconds. */
            latencyMs: number;
        };
        /**
         * @description Stable, machine-readable error codes (RFC 9457 problem types).
         * @enum {string}
         */
        ProblemType: "urn:tap:problem:validation-failed" | "urn:tap:problem:malformed-json" | "urn:tap:problem:invalid-cursor" | "urn:tap:problem:unsupported-media-type" | "urn:tap:problem:payload-too-large" | "urn:tap:problem:file-too-large" | "urn:tap:problem:insufficient-scope" | "urn:tap:problem:item-not-found" | "urn:tap:problem:file-not-found" | "urn:tap:problem:route-not-found" | "urn:tap:problem:precondition-failed" | "urn:tap:problem:attribute-limit-exceeded" | "urn:tap:problem:idempotency-key-in-use" | "urn:tap:problem:idempotency-key-reused" | "urn:tap:problem:file-limit-exceeded" | "urn:tap:problem:item-storage-exceeded" | "urn:tap:problem:file-not-uploaded" | "urn:tap:problem:dependency-unavailable" | "urn:tap:problem:internal-error";
        /** @description An RFC 9457 problem details body. */
        Problem: {
            type: components["schemas"]["ProblemType"];
            title: string;
            status: number;
            detail?: string;
            requestId: string;
            /** @description True when the same request may succeed later. */
            retryable?: boolean;
            errors?: components["schemas"]["ProblemFieldError"][];
        };
        ProblemFieldError: {
            /** @description JSON Pointer to the offending value (`/body/name`, `/query/limit`, ...). */
            path: string;
            message: string;
        };
        /** @description The body API Gateway itself answers with (for example a denied API key). */
        GatewayError: {
            message: string;
        };
        AttributeValue: string | number | boolean;
        Attributes: {
            [key: string]: components["schemas"]["AttributeValue"];
        };
        Tags: string[];
        Item: {
            /** Format: uuid */
            id: string;
            name: string;
            description?: string;
            tags: components["schemas"]["Tags"];
            attributes: components["schemas"]["Attributes"];
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        CreateItemRequest: {
            name: string;
            description?: string;
            tags?: components["schemas"]["Tags"];
            attributes?: components["schemas"]["Attributes"];
        };
        /** @description A JSON merge patch (RFC 7396) of the mutable fields. */
        UpdateItemRequest: {
            name?: string;
            description?: string | null;
            tags?: components["schemas"]["Tags"] | null;
            attributes?: {
                [key: string]: components["schemas"]["AttributeValue"] | null;
            } | null;
        };
        ItemPage: {
            items: components["schemas"]["Item"][];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            nextCursor?: string;
        };
        CreateFileUploadRequest: {
            /** @description The name to download the file as; kept as given. */
            fileName: string;
            contentType: components["schemas"]["FileContentType"];
            /**
             * @description Size in bytes; at most the stack's upload limit (10 MiB by default). The maximum
             *     is S3's ceiling for one PUT (5 GiB), the largest limit a stack may set.
             */
            contentLength: number;
        };
        FileUpload: {
            /** Format: uuid */
            fileId: string;
            /** Format: uri */
            uploadUrl: string;
            /** @enum {string} */
            method: "PUT";
            /** @description Send exactly these headers with the upload; they are signed. */
            headers: {
                [key: string]: string;
            };
            /** Format: date-time */
            expiresAt: string;
        };
        /**
         * @description The content types a file may be uploaded as.
         * @enum {string}
         */
        FileContentType: "application/gzip" | "application/json" | "application/octet-stream" | "application/pdf" | "application/xml" | "application/zip" | "audio/mpeg" | "image/gif" | "image/jpeg" | "image/png" | "image/svg+xml" | "image/webp" | "text/csv" | "text/html" | "text/markdown" | "text/plain" | "video/mp4";
        /**
         * @description `pending` from the grant until the upload is confirmed, then `confirmed`.
         * @enum {string}
         */
        FileStatus: "pending" | "confirmed";
        FileSummary: {
            /** Format: uuid */
            fileId: string;
            fileName: string;
            /** @description The granted size in bytes, which the upload was checked against. */
            size: number;
            contentType: components["schemas"]["FileContentType"];
            status: components["schemas"]["FileStatus"];
            /**
             * Format: date-time
             * @description When the upload was granted.
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the upload was confirmed; absent while pending.
             */
            uploadedAt?: string;
        };
        FileList: {
            files: components["schemas"]["FileSummary"][];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            nextCursor?: string;
        };
        FileDownload: {
            /** Format: uuid */
            fileId: string;
            fileName: string;
            size: number;
            /** Format: uri */
            downloadUrl: string;
            /** Format: date-time */
            expiresAt: string;
        };
    };
    responses: {
        /** @description The request is malformed or does not match the contract. */
        BadRequest: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description No credential, or one that is not valid: a missing, malformed, expired or foreign
         *     token, an unknown, revoked or expired key, or both a token and a key. Answered by API
         *     Gateway itself, so the body is the gateway's and carries no hint of what was wrong.
         */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /**
         * @description The caller is authenticated but lacks a scope the operation requires
         *     (`insufficient-scope`); nothing was read or changed.
         */
        Forbidden: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The item or file does not exist. */
        NotFound: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description `If-Match` does not match the current version; nothing was changed. */
        PreconditionFailed: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description A request with the same `Idempotency-Key` is still running
         *     (`idempotency-key-in-use`: repeat it after `Retry-After`), the item holds as many
         *     files as it may (`file-limit-exceeded`), or the file's upload has not arrived yet
         *     (`file-not-uploaded`). Nothing was changed.
         */
        Conflict: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description The `Idempotency-Key` was already used for a different request
         *     (`idempotency-key-reused`); nothing was changed.
         */
        UnprocessableContent: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description The stage's or the route's throttle is exceeded; back off and repeat. Answered by
         *     API Gateway itself.
         */
        TooManyRequests: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /**
         * @description The request body is over `x-tap-max-request-body-bytes` (`payload-too-large`), the
         *     declared file is over the upload limit (`file-too-large`), or the item's files
         *     would exceed `x-tap-max-bytes-per-item` (`item-storage-exceeded`).
         */
        PayloadTooLarge: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body is not JSON. */
        UnsupportedMediaType: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description An unexpected error; the body never carries its cause. The API answers with a
         *     problem body; when the gateway itself fails (for example the authorizer cannot read
         *     its secret), API Gateway answers with its own `{ "message": ... }` body.
         */
        InternalError: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /**
         * @description A dependency failed or timed out; retry later. The API answers with a problem body;
         *     when the function itself times out, API Gateway answers with its own
         *     `{ "message": ... }` body.
         */
        ServiceUnavailable: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
                "application/json": components["schemas"]["GatewayError"];
            };
        };
    };
    parameters: {
        /**
         * @description A key the caller makes up for one logical write (a UUID is a good one) and sends
         *     again with every repetition of it; see the document's description.
         */
        IdempotencyKey: string;
        /** @description Page size. */
        PageLimit: number;
        /** @description Opaque, tamper-evident cursor from a previous page's `nextCursor`. */
        PageCursor: string;
        /** @description The item id (a UUID). */
        ItemId: string;
        /** @description The file id (a UUID) from `createFileUpload`. */
        FileId: string;
        /**
         * @description `*` (the item must exist) or the `ETag` last seen, strong or weak (`W/"3"`); a stale
         *     one fails with 412 and changes nothing.
         */
        IfMatch: string;
    };
    requestBodies: never;
    headers: {
        /** @description The request id, also found in the problem body and in the logs. */
        RequestId: string;
        /** @description The item's version as a strong entity tag, for `If-Match`. */
        ETag: string;
        /** @description `true` when the response is the stored answer to an earlier request with the same `Idempotency-Key`. */
        IdempotentReplayed: "true";
        /** @description Seconds to wait before repeating the request. */
        RetryAfter: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every dependency is up. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description At least one dependency is down or did not answer in time. */
            503: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
        };
    };
    listItems: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["PageLimit"];
                /** @description Opaque, tamper-evident cursor from a previous page's `nextCursor`. */
                cursor?: components["parameters"]["PageCursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of items. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A key the caller makes up for one logical write (a UUID is a good one) and sends
                 *     again with every repetition of it; see the document's description.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateItemRequest"];
            };
        };
        responses: {
            /** @description The item was created. */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description Path of the new item. */
                    Location?: string;
                    ETag: components["headers"]["ETag"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description `*` (the item must exist) or the `ETag` last seen, strong or weak (`W/"3"`); a stale
                 *     one fails with 412 and changes nothing.
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item and its files are gone. */
            204: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description `*` (the item must exist) or the `ETag` last seen, strong or weak (`W/"3"`); a stale
                 *     one fails with 412 and changes nothing.
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
                /**
                 * @description A key the caller makes up for one logical write (a UUID is a good one) and sends
                 *     again with every repetition of it; see the document's description.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["UpdateItemRequest"];
                "application/json": components["schemas"]["UpdateItemRequest"];
            };
        };
        responses: {
            /** @description The updated item. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    ETag: components["headers"]["ETag"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listItemFiles: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["PageLimit"];
                /** @description Opaque, tamper-evident cursor from a previous page's `nextCursor`. */
                cursor?: components["parameters"]["PageCursor"];
            };
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the item's files, oldest grant first. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createFileUpload: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A key the caller makes up for one logical write (a UUID is a good one) and sends
                 *     again with every repetition of it; see the document's description.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFileUploadRequest"];
            };
        };
        responses: {
            /** @description Upload with `method` to `uploadUrl`, sending exactly `headers`, before `expiresAt`. */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileUpload"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getFileDownload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
                /** @description The file id (a UUID) from `createFileUpload`. */
                fileId: components["parameters"]["FileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Download with GET from `downloadUrl` before `expiresAt`. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileDownload"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The item id (a UUID). */
                id: components["parameters"]["ItemId"];
                /** @description The file id (a UUID) from `createFileUpload`. */
                fileId: components["parameters"]["FileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file is gone. */
            204: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
