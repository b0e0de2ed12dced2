/**
 * DO NOT EDIT: generated from libs/contracts/openapi.yaml by `nx run contracts:generate`.
 * `nx run contracts:check-generated` (part of `npm test`) fails when this file is stale.
 */

/** The OpenAPI document, as data. */
export const openApiDocument = {
  "openapi": "3.1.0",
  "info": {
    "title": "TAP API",
    "version": "1.0.0",
    "summary": "Tenant-owned items with files, for users and machine clients, and a public health check.",
    "description": "The single source of truth for TAP's routes, schemas, errors and auth.\nGenerated TypeScript types, request validators and the route table used by the\nstack and the local cloud are all derived from this document.\n\nVendor extensions:\n- `x-tap-handler` on every operation names the Lambda function that serves it\n  (`health` or `api`). The stack and the local cloud build their routes from it.\n- Operations with a non-empty `security` requirement go through the authorizer, which\n  accepts a user's access token (`userToken`) or a machine client's key (`apiKey`);\n  every alternative of an operation lists the same scopes, which the API enforces\n  (403 `insufficient-scope`). The only operations without one are the public ones\n  (`GET /health`).\n- `x-tap-resource-server` on the `userToken` scheme is the identifier of the user pool's\n  resource server: a token's scopes are `<identifier>/<scope>`.\n- Every item and file belongs to the caller's tenant: another tenant's is answered as\n  missing (404), and a list holds only the caller's own.\n- `x-tap-max-request-body-bytes` at the root is the largest decoded request body the\n  API reads, in bytes; a larger one is answered 413 `payload-too-large`. OpenAPI has\n  no keyword for a body's size.\n- Writes that declare the `Idempotency-Key` header are safe to repeat: the same key\n  with the same request answers the first response again, marked\n  `Idempotent-Replayed: true`; with another request, 422 `idempotency-key-reused`;\n  while the first is still running, 409 `idempotency-key-in-use` with `Retry-After`.\n  Keys belong to the caller (its tenant and principal) and are forgotten\n  `x-tap-idempotency-expiry-seconds` after their first use. Failures are not\n  remembered: a request that failed may be repeated with its key.\n- A file is a record from the moment its upload is granted (`pending`) until it is\n  deleted; it becomes `confirmed` when the storage reports the object, whose size and\n  type must be the granted ones (a mismatch is deleted). An upload URL works once.\n  An item holds at most `x-tap-max-files-per-item` files and\n  `x-tap-max-bytes-per-item` bytes (granted uploads count); a stack may lower both.\n  Granting beyond a cap is 409 `file-limit-exceeded` or 413 `item-storage-exceeded`,\n  and nothing is written.\n- `x-tap-octet-stream-content-types` lists the accepted content types that a browser\n  could render as active content: their downloads are served as\n  `application/octet-stream` attachments.\n- `x-tap-cors-allow-headers` lists request headers browsers may send beyond the\n  declared parameters: `x-tap-client`, the typed client's name and version where a\n  browser forbids setting `user-agent`.\n- Every route may answer 429 when the stage's or the route's throttle is exceeded: the\n  gateway's own `{ \"message\": \"Too Many Requests\" }`.\n\nEverything the API enforces is read from here: the API key header from the `apiKey`\nsecurity scheme, the scopes of every operation, the CORS policy from the operations,\ntheir header parameters and response headers, the entity tag grammar from the `ETag`\nand `If-Match` patterns.\n",
    "license": {
      "name": "MIT",
      "identifier": "MIT"
    }
  },
  "x-tap-max-request-body-bytes": 65536,
  "x-tap-idempotency-expiry-seconds": 86400,
  "x-tap-max-files-per-item": 100,
  "x-tap-max-bytes-per-item": 1073741824,
  "x-tap-octet-stream-content-types": [
    "application/xml",
    "image/svg+xml",
    "text/html"
  ],
  "x-tap-cors-allow-headers": [
    "x-tap-client"
  ],
  "servers": [
    {
      "url": "http://127.0.0.1:3000",
      "description": "Local cloud (`npm start`)"
    }
  ],
  "tags": [
    {
      "name": "health"
    },
    {
      "name": "items"
    },
    {
      "name": "files"
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "getHealth",
        "summary": "Report whether TAP and its dependencies are reachable.",
        "tags": [
          "health"
        ],
        "security": [],
        "x-tap-handler": "health",
        "responses": {
          "200": {
            "description": "Every dependency is up.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HealthReport"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "503": {
            "description": "At least one dependency is down or did not answer in time.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HealthReport"
                }
              }
            }
          }
        }
      }
    },
    "/api/items": {
      "get": {
        "operationId": "listItems",
        "summary": "List items, one page at a time.",
        "tags": [
          "items"
        ],
        "security": [
          {
            "userToken": [
              "items:read"
            ]
          },
          {
            "apiKey": [
              "items:read"
            ]
          }
        ],
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/PageLimit"
          },
          {
            "$ref": "#/components/parameters/PageCursor"
          }
        ],
        "responses": {
          "200": {
            "description": "One page of items.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ItemPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "post": {
        "operationId": "createItem",
        "summary": "Create an item.",
        "tags": [
          "items"
        ],
        "security": [
          {
            "userToken": [
              "items:write"
            ]
          },
          {
            "apiKey": [
              "items:write"
            ]
          }
        ],
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateItemRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The item was created.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Location": {
                "description": "Path of the new item.",
                "schema": {
                  "type": "string"
                }
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/UnprocessableContent"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/items/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ItemId"
        }
      ],
      "get": {
        "operationId": "getItem",
        "summary": "Read one item.",
        "tags": [
          "items"
        ],
        "security": [
          {
            "userToken": [
              "items:read"
            ]
          },
          {
            "apiKey": [
              "items:read"
            ]
          }
        ],
        "x-tap-handler": "api",
        "responses": {
          "200": {
            "description": "The item.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "patch": {
        "operationId": "updateItem",
        "summary": "Change an item with JSON merge patch semantics.",
        "description": "Fields present in the body replace the stored ones; `null` removes an optional field.\n`attributes` is merged key by key, and a `null` value removes that key.\nEvery update is one conditional write that increments `version`.\n",
        "tags": [
          "items"
        ],
        "security": [
          {
            "userToken": [
              "items:write"
            ]
          },
          {
            "apiKey": [
              "items:write"
            ]
          }
        ],
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/merge-patch+json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateItemRequest"
              }
            },
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateItemRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The updated item.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/UnprocessableContent"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "delete": {
        "operationId": "deleteItem",
        "summary": "Delete an item and all of its files.",
        "description": "The item is marked as being deleted (it reads as missing from then on), its files\nare removed page by page, and the item's row goes last: a delete that fails half-way\nleaves the item hidden, and repeating it finishes the work. Nothing is left behind.\n",
        "tags": [
          "items"
        ],
        "security": [
          {
            "userToken": [
              "items:write"
            ]
          },
          {
            "apiKey": [
              "items:write"
            ]
          }
        ],
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "204": {
            "description": "The item and its files are gone.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/items/{id}/files": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ItemId"
        }
      ],
      "get": {
        "operationId": "listItemFiles",
        "summary": "List an item's files (pending and confirmed), one page at a time.",
        "tags": [
          "files"
        ],
        "security": [
          {
            "userToken": [
              "items:read"
            ]
          },
          {
            "apiKey": [
              "items:read"
            ]
          }
        ],
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/PageLimit"
          },
          {
            "$ref": "#/components/parameters/PageCursor"
          }
        ],
        "responses": {
          "200": {
            "description": "One page of the item's files, oldest grant first.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FileList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "post": {
        "operationId": "createFileUpload",
        "summary": "Get a presigned URL to upload one file to an item.",
        "tags": [
          "files"
        ],
        "security": [
          {
            "userToken": [
              "items:write"
            ]
          },
          {
            "apiKey": [
              "items:write"
            ]
          }
        ],
        "description": "Records the file as `pending` and counts it against the item's caps in one\nconditional write. The URL works once (it is signed with `If-None-Match: *`) and\nonly while the item and the file exist.\n",
        "x-tap-handler": "api",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateFileUploadRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Upload with `method` to `uploadUrl`, sending exactly `headers`, before `expiresAt`.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FileUpload"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/UnprocessableContent"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/items/{id}/files/{fileId}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ItemId"
        },
        {
          "$ref": "#/components/parameters/FileId"
        }
      ],
      "get": {
        "operationId": "getFileDownload",
        "summary": "Get a presigned URL to download one uploaded file.",
        "description": "The item and the file must exist and belong to the caller's tenant, and the upload\nmust have been confirmed (409 `file-not-uploaded` before). Types listed in\n`x-tap-octet-stream-content-types` are served as `application/octet-stream`\nattachments.\n",
        "tags": [
          "files"
        ],
        "security": [
          {
            "userToken": [
              "items:read"
            ]
          },
          {
            "apiKey": [
              "items:read"
            ]
          }
        ],
        "x-tap-handler": "api",
        "responses": {
          "200": {
            "description": "Download with GET from `downloadUrl` before `expiresAt`.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FileDownload"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "delete": {
        "operationId": "deleteFile",
        "summary": "Delete one uploaded file.",
        "tags": [
          "files"
        ],
        "security": [
          {
            "userToken": [
              "items:write"
            ]
          },
          {
            "apiKey": [
              "items:write"
            ]
          }
        ],
        "x-tap-handler": "api",
        "responses": {
          "204": {
            "description": "The file is gone.",
            "headers": {
              "x-request-id": {
                "$ref": "#/components/headers/RequestId"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "userToken": {
        "type": "oauth2",
        "description": "A user's OAuth 2.0 access token (a JWT from the stack's Amazon Cognito user pool, or\nfrom the local cloud's issuer), sent as `Authorization: Bearer <token>`. Browser and\nmobile apps get it with the authorization code flow and PKCE; the app client has no\nsecret. Tokens carry the scopes as `<resource server>/<scope>` (Cognito's form), the\nresource server being `x-tap-resource-server`; a user's tenant is their one\n`tenant:<id>` group, else their own (`user-<sub>`).\n",
        "x-tap-resource-server": "tap",
        "flows": {
          "authorizationCode": {
            "authorizationUrl": "https://tap.auth.us-west-2.amazoncognito.com/oauth2/authorize",
            "tokenUrl": "https://tap.auth.us-west-2.amazoncognito.com/oauth2/token",
            "scopes": {
              "items:read": "Read the tenant's items and their files.",
              "items:write": "Create, change and delete the tenant's items and files."
            }
          }
        }
      },
      "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "description": "A machine client's own key, `tap_<key id>_<secret>`, issued by a command and shown\nonce; the stack keeps only a hash of the secret, with the key's tenant, scopes,\noptional expiry and status. The scopes listed on an operation are the ones the key\nmust hold.\n"
      }
    },
    "headers": {
      "RequestId": {
        "description": "The request id, also found in the problem body and in the logs.",
        "schema": {
          "type": "string"
        }
      },
      "ETag": {
        "description": "The item's version as a strong entity tag, for `If-Match`.",
        "schema": {
          "type": "string",
          "pattern": "^\"[1-9][0-9]{0,14}\"$"
        }
      },
      "IdempotentReplayed": {
        "description": "`true` when the response is the stored answer to an earlier request with the same `Idempotency-Key`.",
        "schema": {
          "type": "string",
          "enum": [
            "true"
          ]
        }
      },
      "RetryAfter": {
        "description": "Seconds to wait before repeating the request.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{1,5}$"
        }
      }
    },
    "parameters": {
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "A key the caller makes up for one logical write (a UUID is a good one) and sends\nagain with every repetition of it; see the document's description.\n",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[!-~]{1,255}$"
        }
      },
      "PageLimit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size.",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 20
        }
      },
      "PageCursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "Opaque, tamper-evident cursor from a previous page's `nextCursor`.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 2048
        }
      },
      "ItemId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The item id (a UUID).",
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "FileId": {
        "name": "fileId",
        "in": "path",
        "required": true,
        "description": "The file id (a UUID) from `createFileUpload`.",
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": false,
        "description": "`*` (the item must exist) or the `ETag` last seen, strong or weak (`W/\"3\"`); a stale\none fails with 412 and changes nothing.\n",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100,
          "pattern": "^(\\*|(W/)?\"[1-9][0-9]{0,14}\")$"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request is malformed or does not match the contract.",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No credential, or one that is not valid: a missing, malformed, expired or foreign\ntoken, an unknown, revoked or expired key, or both a token and a key. Answered by API\nGateway itself, so the body is the gateway's and carries no hint of what was wrong.\n",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/GatewayError"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The caller is authenticated but lacks a scope the operation requires\n(`insufficient-scope`); nothing was read or changed.\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "The item or file does not exist.",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "PreconditionFailed": {
        "description": "`If-Match` does not match the current version; nothing was changed.",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Conflict": {
        "description": "A request with the same `Idempotency-Key` is still running\n(`idempotency-key-in-use`: repeat it after `Retry-After`), the item holds as many\nfiles as it may (`file-limit-exceeded`), or the file's upload has not arrived yet\n(`file-not-uploaded`). Nothing was changed.\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          },
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnprocessableContent": {
        "description": "The `Idempotency-Key` was already used for a different request\n(`idempotency-key-reused`); nothing was changed.\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooManyRequests": {
        "description": "The stage's or the route's throttle is exceeded; back off and repeat. Answered by\nAPI Gateway itself.\n",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/GatewayError"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The request body is over `x-tap-max-request-body-bytes` (`payload-too-large`), the\ndeclared file is over the upload limit (`file-too-large`), or the item's files\nwould exceed `x-tap-max-bytes-per-item` (`item-storage-exceeded`).\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The request body is not JSON.",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "InternalError": {
        "description": "An unexpected error; the body never carries its cause. The API answers with a\nproblem body; when the gateway itself fails (for example the authorizer cannot read\nits secret), API Gateway answers with its own `{ \"message\": ... }` body.\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          },
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/GatewayError"
            }
          }
        }
      },
      "ServiceUnavailable": {
        "description": "A dependency failed or timed out; retry later. The API answers with a problem body;\nwhen the function itself times out, API Gateway answers with its own\n`{ \"message\": ... }` body.\n",
        "headers": {
          "x-request-id": {
            "$ref": "#/components/headers/RequestId"
          },
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          },
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/GatewayError"
            }
          }
        }
      }
    },
    "schemas": {
      "HealthReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "checkedAt",
          "dependencies"
        ],
        "properties": {
          "status": {
            "description": "`ok` when every dependency is up, `unavailable` otherwise.",
            "type": "string",
            "enum": [
              "ok",
              "unavailable"
            ]
          },
          "checkedAt": {
            "type": "string",
            "format": "date-time"
          },
          "dependencies": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "dynamodb",
              "s3"
            ],
            "properties": {
              "dynamodb": {
                "$ref": "#/components/schemas/DependencyHealth"
              },
              "s3": {
                "$ref": "#/components/schemas/DependencyHealth"
              }
            }
          }
        }
      },
      "DependencyHealth": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "latencyMs"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "up",
              "down"
            ]
          },
          "latencyMs": {
            "description": "How long the check took, in milliseconds.",
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "ProblemType": {
        "description": "Stable, machine-readable error codes (RFC 9457 problem types).",
        "type": "string",
        "enum": [
          "urn:tap:problem:validation-failed",
          "urn:tap:problem:malformed-json",
          "urn:tap:problem:invalid-cursor",
          "urn:tap:problem:unsupported-media-type",
          "urn:tap:problem:payload-too-large",
          "urn:tap:problem:file-too-large",
          "urn:tap:problem:insufficient-scope",
          "urn:tap:problem:item-not-found",
          "urn:tap:problem:file-not-found",
          "urn:tap:problem:route-not-found",
          "urn:tap:problem:precondition-failed",
          "urn:tap:problem:attribute-limit-exceeded",
          "urn:tap:problem:idempotency-key-in-use",
          "urn:tap:problem:idempotency-key-reused",
          "urn:tap:problem:file-limit-exceeded",
          "urn:tap:problem:item-storage-exceeded",
          "urn:tap:problem:file-not-uploaded",
          "urn:tap:problem:dependency-unavailable",
          "urn:tap:problem:internal-error"
        ]
      },
      "Problem": {
        "description": "An RFC 9457 problem details body.",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "title",
          "status",
          "requestId"
        ],
        "properties": {
          "type": {
            "$ref": "#/components/schemas/ProblemType"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599
          },
          "detail": {
            "type": "string"
          },
          "requestId": {
            "type": "string"
          },
          "retryable": {
            "description": "True when the same request may succeed later.",
            "type": "boolean"
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ProblemFieldError"
            }
          }
        }
      },
      "ProblemFieldError": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "path",
          "message"
        ],
        "properties": {
          "path": {
            "description": "JSON Pointer to the offending value (`/body/name`, `/query/limit`, ...).",
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "GatewayError": {
        "description": "The body API Gateway itself answers with (for example a denied API key).",
        "type": "object",
        "required": [
          "message"
        ],
        "properties": {
          "message": {
            "type": "string"
          }
        }
      },
      "AttributeValue": {
        "oneOf": [
          {
            "type": "string",
            "maxLength": 500
          },
          {
            "type": "number",
            "minimum": -1000000000000000,
            "maximum": 1000000000000000
          },
          {
            "type": "boolean"
          }
        ]
      },
      "Attributes": {
        "type": "object",
        "maxProperties": 50,
        "propertyNames": {
          "pattern": "^[A-Za-z0-9_.:-]{1,64}$"
        },
        "additionalProperties": {
          "$ref": "#/components/schemas/AttributeValue"
        }
      },
      "Tags": {
        "type": "array",
        "maxItems": 20,
        "uniqueItems": true,
        "items": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50
        }
      },
      "Item": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "tags",
          "attributes",
          "version",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "description": {
            "type": "string",
            "maxLength": 2000
          },
          "tags": {
            "$ref": "#/components/schemas/Tags"
          },
          "attributes": {
            "$ref": "#/components/schemas/Attributes"
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "CreateItemRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "description": {
            "type": "string",
            "maxLength": 2000
          },
          "tags": {
            "$ref": "#/components/schemas/Tags"
          },
          "attributes": {
            "$ref": "#/components/schemas/Attributes"
          }
        }
      },
      "UpdateItemRequest": {
        "description": "A JSON merge patch (RFC 7396) of the mutable fields.",
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "description": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 2000
          },
          "tags": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Tags"
              },
              {
                "type": "null"
              }
            ]
          },
          "attributes": {
            "oneOf": [
              {
                "type": "object",
                "maxProperties": 50,
                "propertyNames": {
                  "pattern": "^[A-Za-z0-9_.:-]{1,64}$"
                },
                "additionalProperties": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/AttributeValue"
                    },
                    {
                      "type": "null"
                    }
                  ]
                }
              },
              {
                "type": "null"
              }
            ]
          }
        }
      },
      "ItemPage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Item"
            }
          },
          "nextCursor": {
            "description": "Pass as `cursor` to get the next page; absent on the last page.",
            "type": "string"
          }
        }
      },
      "CreateFileUploadRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "fileName",
          "contentType",
          "contentLength"
        ],
        "properties": {
          "fileName": {
            "description": "The name to download the file as; kept as given.",
            "type": "string",
            "minLength": 1,
            "maxLength": 255
          },
          "contentType": {
            "$ref": "#/components/schemas/FileContentType"
          },
          "contentLength": {
            "description": "Size in bytes; at most the stack's upload limit (10 MiB by default). The maximum\nis S3's ceiling for one PUT (5 GiB), the largest limit a stack may set.\n",
            "type": "integer",
            "minimum": 1,
            "maximum": 5368709120
          }
        }
      },
      "FileUpload": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "fileId",
          "uploadUrl",
          "method",
          "headers",
          "expiresAt"
        ],
        "properties": {
          "fileId": {
            "type": "string",
            "format": "uuid"
          },
          "uploadUrl": {
            "type": "string",
            "format": "uri"
          },
          "method": {
            "type": "string",
            "enum": [
              "PUT"
            ]
          },
          "headers": {
            "description": "Send exactly these headers with the upload; they are signed.",
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "FileContentType": {
        "description": "The content types a file may be uploaded as.",
        "type": "string",
        "enum": [
          "application/gzip",
          "application/json",
          "application/octet-stream",
          "application/pdf",
          "application/xml",
          "application/zip",
          "audio/mpeg",
          "image/gif",
          "image/jpeg",
          "image/png",
          "image/svg+xml",
          "image/webp",
          "text/csv",
          "text/html",
          "text/markdown",
          "text/plain",
          "video/mp4"
        ]
      },
      "FileStatus": {
        "description": "`pending` from the grant until the upload is confirmed, then `confirmed`.",
        "type": "string",
        "enum": [
          "pending",
          "confirmed"
        ]
      },
      "FileSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "fileId",
          "fileName",
          "size",
          "contentType",
          "status",
          "createdAt"
        ],
        "properties": {
          "fileId": {
            "type": "string",
            "format": "uuid"
          },
          "fileName": {
            "type": "string"
          },
          "size": {
            "description": "The granted size in bytes, which the upload was checked against.",
            "type": "integer",
            "minimum": 0
          },
          "contentType": {
            "$ref": "#/components/schemas/FileContentType"
          },
          "status": {
            "$ref": "#/components/schemas/FileStatus"
          },
          "createdAt": {
            "description": "When the upload was granted.",
            "type": "string",
            "format": "date-time"
          },
          "uploadedAt": {
            "description": "When the upload was confirmed; absent while pending.",
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "FileList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "files"
        ],
        "properties": {
          "files": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FileSummary"
            }
          },
          "nextCursor": {
            "description": "Pass as `cursor` to get the next page; absent on the last page.",
            "type": "string"
          }
        }
      },
      "FileDownload": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "fileId",
          "fileName",
          "size",
          "downloadUrl",
          "expiresAt"
        ],
        "properties": {
          "fileId": {
            "type": "string",
            "format": "uuid"
          },
          "fileName": {
            "type": "string"
          },
          "size": {
            "type": "integer",
            "minimum": 0
          },
          "downloadUrl": {
            "type": "string",
            "format": "uri"
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      }
    }
  }
} as const;

/** The OpenAPI document's type. */
export type OpenApiDocument = typeof openApiDocument;
