/**
 * The one reader of the OpenAPI document. Everything that needs to know what the contract
 * says about an operation (the route table, the API's validator generator and its runtime
 * validator, the fuzzer, the response checks of the tests) reads it here: operations by
 * `operationId` with their method, path, parameters by location, request body, responses
 * (status codes, headers, schemas) and security; JSON Pointer helpers; `$ref` resolution;
 * and the one set of ajv options the contract's schemas are compiled with.
 *
 * It also derives the facts the code enforces beyond the schemas (the API key header, the
 * CORS policy, the request body limit, the entity tag grammar, the upload ceiling):
 * {@link deriveContractFacts}. `scripts/generate.ts` writes them to
 * `generated/contract-facts.ts`, so bundles that need one header name do not carry the
 * whole document.
 *
 * Nothing here imports ajv: the typed client imports this library, and must not bundle a
 * validator.
 */
import { openApiDocument } from './generated/openapi-document';
import type { operations } from './generated/openapi-types';

// ---------------------------------------------------------------------------------------
// JSON Pointer (RFC 6901), for `$ref`s into the document and for error paths.

/** Escapes one JSON Pointer segment: `~` as `~0`, `/` as `~1`. */
export const escapePointer = (segment: string): string =>
  segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Reverses {@link escapePointer}. */
export const unescapePointer = (segment: string): string =>
  segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** The document-local pointer of a location: `pointerTo('paths', '/api/items')` is `#/paths/~1api~1items`. */
export const pointerTo = (...segments: readonly (string | number)[]): string =>
  `#${segments.map((segment) => `/${escapePointer(String(segment))}`).join('')}`;

/**
 * Resolves a document-local JSON Pointer (`#/components/...`).
 *
 * @returns the value, or `undefined` when nothing is there.
 * @throws Error for a pointer into another document.
 */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '#') return document;
  if (!pointer.startsWith('#/')) {
    throw new Error(`Only document-local references are supported: ${pointer}`);
  }
  return pointer
    .slice(2)
    .split('/')
    .map(unescapePointer)
    .reduce<unknown>(
      (node, segment) =>
        typeof node === 'object' && node !== null && Object.hasOwn(node, segment)
          ? (node as Record<string, unknown>)[segment]
          : undefined,
      document,
    );
}

// ---------------------------------------------------------------------------------------
// Schemas and ajv.

/** The subset of JSON Schema (2020-12) the contract uses. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly default?: unknown;
  readonly propertyNames?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

/** Base URI the document is registered under in ajv ({@link CONTRACT_AJV_OPTIONS}). */
export const CONTRACT_SCHEMA_ID = 'urn:tap:openapi';

/** A `$ref` from outside the document to a document-local pointer. */
export const contractSchemaRef = (pointer: string): string => `${CONTRACT_SCHEMA_ID}${pointer}`;

/**
 * A copy of a schema taken out of the document, its local `$ref`s (`#/components/...`)
 * made to point into the registered document, so it compiles on its own.
 */
export function withContractRefs<T>(schema: T): T {
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' && value.startsWith('#')
          ? contractSchemaRef(value)
          : rewrite(value),
      ]),
    );
  };
  return rewrite(schema) as T;
}

/** The shape of {@link CONTRACT_AJV_OPTIONS}: a plain object ajv's `Options` accepts. */
export interface ContractAjvOptions {
  readonly allErrors: true;
  readonly allowUnionTypes: true;
  readonly strict: true;
  readonly keywords: string[];
  readonly schemas: { readonly $id: string; readonly [key: string]: unknown }[];
}

/**
 * The options every ajv instance that compiles the contract's schemas is created with
 * (`new Ajv2020(CONTRACT_AJV_OPTIONS)`, then `addFormats(ajv)`): the API's validators at
 * build time, the tests' response checks, the fuzzer's value filters. No coercion and no
 * defaults: what a client sent is what gets checked. Strict, so a schema keyword ajv does
 * not know fails the compilation instead of being ignored.
 *
 * The document is registered under {@link CONTRACT_SCHEMA_ID}, so a schema is compiled as
 * `{ $ref: contractSchemaRef(pointer) }`. `components` and `paths` are OpenAPI containers,
 * not JSON Schema keywords: declaring them lets strict mode accept the document as the root
 * the `$ref`s point into.
 */
// Built by a pure call: a bundle that never compiles a schema (every function: their
// validators are precompiled) leaves the options, and the document they hold, out.
export const CONTRACT_AJV_OPTIONS: ContractAjvOptions = /* @__PURE__ */ (() => ({
  allErrors: true,
  allowUnionTypes: true,
  strict: true,
  keywords: ['components', 'paths'],
  schemas: [
    {
      $id: CONTRACT_SCHEMA_ID,
      components: openApiDocument.components,
      paths: openApiDocument.paths,
    },
  ],
}))();

// ---------------------------------------------------------------------------------------
// The model.

/** The header parameter that makes a write safe to repeat. */
const IDEMPOTENCY_KEY_PARAMETER = 'idempotency-key';

/** HTTP methods an OpenAPI path item can hold. */
export const PATH_ITEM_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/** Upper-case HTTP method of an operation. */
export type HttpMethod = Uppercase<(typeof PATH_ITEM_METHODS)[number]>;

/** Where a parameter travels (the contract declares no cookie parameters, and none is read). */
export type ParameterLocation = 'path' | 'query' | 'header';

/** The parameter locations, in the order their problems are reported. */
export const PARAMETER_LOCATIONS: readonly ParameterLocation[] = ['path', 'query', 'header'];

/** One security requirement: scheme name → scopes. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** What the model reads of an OpenAPI document. */
export interface ContractDocument {
  readonly paths: Readonly<Record<string, unknown>>;
  readonly components?: unknown;
  readonly security?: readonly SecurityRequirement[];
}

/** A schema in the document: as written (it may `$ref` elsewhere), and where. */
export interface SchemaModel {
  readonly schema: JsonSchema;
  /** JSON Pointer of the schema in the document. */
  readonly schemaPointer: string;
}

/** One declared parameter. */
export interface ParameterModel extends SchemaModel {
  /** The contract's name (`If-Match`); headers are matched case-insensitively. */
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
}

/** An operation's request body. */
export interface RequestBodyModel extends SchemaModel {
  readonly required: boolean;
  /** Every media type it may be sent as, in document order. */
  readonly mediaTypes: readonly string[];
}

/** One header a response declares. */
export interface ResponseHeaderModel extends SchemaModel {
  /** The contract's name (`ETag`). */
  readonly name: string;
  readonly required: boolean;
}

/** One response an operation declares. */
export interface ResponseModel {
  /** `200`, `4XX` or `default`, as written. */
  readonly status: string;
  /** JSON Pointer of the response object (a component's, when it is a `$ref`). */
  readonly pointer: string;
  readonly headers: readonly ResponseHeaderModel[];
  /** Body schema by media type; empty when the response has no body. */
  readonly content: Readonly<Record<string, SchemaModel>>;
}

/** One operation of the document. */
export interface OperationModel<Id extends string = string> {
  readonly operationId: Id;
  readonly method: HttpMethod;
  /** Path template with `{name}` parameters. */
  readonly path: string;
  /** `METHOD /path`, the HTTP API route key. */
  readonly routeKey: string;
  /** JSON Pointer of the operation object. */
  readonly pointer: string;
  /** `x-tap-handler`: the function that serves it, as written. */
  readonly handler: unknown;
  /** The effective security requirements (its own, else the document's). */
  readonly security: readonly SecurityRequirement[];
  /**
   * Whether a request must carry a credential (a user's token or a machine key): its
   * effective security has a non-empty requirement. The others are public.
   */
  readonly requiresAuthorization: boolean;
  /**
   * The scopes a caller must hold: those of its security requirements, sorted, which
   * `deriveContractFacts` checks are the same for every alternative.
   */
  readonly scopes: readonly string[];
  /** Path-level parameters first, then the operation's own (which override by name and place). */
  readonly parameters: readonly ParameterModel[];
  /** {@link parameters} by location. */
  readonly parametersIn: Readonly<Record<ParameterLocation, readonly ParameterModel[]>>;
  /** `undefined` when the operation takes no body. */
  readonly requestBody: RequestBodyModel | undefined;
  /** Whether it takes an `Idempotency-Key` header, which makes it safe to repeat. */
  readonly idempotent: boolean;
  /** Declared responses by status, as written (`'200'`). */
  readonly responses: Readonly<Record<string, ResponseModel>>;
}

/** A typed view of an OpenAPI document. */
export interface DocumentModel<Id extends string = string> {
  readonly document: ContractDocument;
  /** Every operation, in document order (paths, then methods as each path item lists them). */
  readonly operations: readonly OperationModel<Id>[];
  /**
   * The operation with this `operationId`.
   *
   * @throws Error when the document has none.
   */
  operation(operationId: Id): OperationModel<Id>;
  /** The value at a document-local pointer, or `undefined`. */
  resolve(pointer: string): unknown;
  /**
   * Follows `$ref`s from a value until one that is not a reference.
   *
   * @returns the value and the pointer it was found at (`pointer` when it was no reference).
   * @throws Error on a reference to nothing or a chain that does not end.
   */
  dereference(
    value: unknown,
    pointer: string,
  ): { readonly value: unknown; readonly pointer: string };
  /** A schema with its top-level `$ref`s followed. */
  resolveSchema(schema: JsonSchema): JsonSchema;
  /** A vendor extension of the document's root (`x-tap-...`), or `undefined`. */
  extension(name: `x-tap-${string}`): unknown;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value['$ref'] === 'string' ? value['$ref'] : undefined;

const isMethod = (key: string): key is (typeof PATH_ITEM_METHODS)[number] =>
  (PATH_ITEM_METHODS as readonly string[]).includes(key);

/**
 * Reads a document into its model.
 *
 * @throws Error naming the operation, when one lacks an `operationId`, two share one, or a
 * parameter, body or response cannot be read.
 */
export function createDocumentModel<Id extends string = string>(
  document: ContractDocument,
): DocumentModel<Id> {
  const resolve = (pointer: string): unknown => resolvePointer(document, pointer);

  const dereference: DocumentModel['dereference'] = (value, pointer) => {
    let current = { value, pointer };
    // The contract has no reference cycles; the bound only guards against a broken document.
    for (let hops = 0; ; hops += 1) {
      const ref = refOf(current.value);
      if (ref === undefined) return current;
      if (hops > 20) throw new Error(`Reference chain too long at ${ref}`);
      const target = resolve(ref);
      if (target === undefined) throw new Error(`Unresolvable reference ${ref}`);
      current = { value: target, pointer: ref };
    }
  };

  const schemaAt = (
    owner: Readonly<Record<string, unknown>>,
    ownerPointer: string,
  ): SchemaModel => ({
    schema: (isObject(owner['schema']) ? owner['schema'] : {}) as JsonSchema,
    schemaPointer: `${ownerPointer}/schema`,
  });

  const readParameters = (
    where: string,
    owners: readonly string[],
  ): Map<string, ParameterModel> => {
    const byKey = new Map<string, ParameterModel>();
    for (const owner of owners) {
      const list = resolve(`${owner}/parameters`);
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new Error(`${where}: parameters must be a list`);
      list.forEach((entry: unknown, index) => {
        const { value, pointer } = dereference(entry, `${owner}/parameters/${index}`);
        if (!isObject(value) || typeof value['name'] !== 'string') {
          throw new Error(`${where}: unreadable parameter at ${pointer}`);
        }
        const location = value['in'];
        if (location !== 'path' && location !== 'query' && location !== 'header') {
          throw new Error(
            `${where}: parameter ${value['name']} is in ${String(location)}; only path, query and header parameters are read`,
          );
        }
        byKey.set(`${location}:${value['name']}`, {
          name: value['name'],
          in: location,
          required: value['required'] === true,
          ...schemaAt(value, pointer),
        });
      });
    }
    return byKey;
  };

  const readBody = (operation: Readonly<Record<string, unknown>>, pointer: string) => {
    if (operation['requestBody'] === undefined) return undefined;
    const body = dereference(operation['requestBody'], `${pointer}/requestBody`);
    const content =
      isObject(body.value) && isObject(body.value['content']) ? body.value['content'] : {};
    const mediaTypes = Object.keys(content);
    // Every media type of an operation shares one schema in this contract; the JSON one
    // is the schema of record.
    const mediaType = mediaTypes.includes('application/json') ? 'application/json' : mediaTypes[0];
    if (mediaType === undefined) return undefined;
    const media = content[mediaType];
    return {
      required: isObject(body.value) && body.value['required'] === true,
      mediaTypes,
      ...schemaAt(
        isObject(media) ? media : {},
        `${body.pointer}/content/${escapePointer(mediaType)}`,
      ),
    };
  };

  const readResponses = (operation: Readonly<Record<string, unknown>>, pointer: string) => {
    const responses: Record<string, ResponseModel> = {};
    const declared = isObject(operation['responses']) ? operation['responses'] : {};
    for (const [status, entry] of Object.entries(declared)) {
      const response = dereference(entry, `${pointer}/responses/${escapePointer(status)}`);
      const value = isObject(response.value) ? response.value : {};
      const headers = Object.entries(isObject(value['headers']) ? value['headers'] : {}).map(
        ([name, header]): ResponseHeaderModel => {
          const resolved = dereference(
            header,
            `${response.pointer}/headers/${escapePointer(name)}`,
          );
          const object = isObject(resolved.value) ? resolved.value : {};
          return {
            name,
            required: object['required'] === true,
            ...schemaAt(object, resolved.pointer),
          };
        },
      );
      const content = Object.fromEntries(
        Object.entries(isObject(value['content']) ? value['content'] : {}).map(
          ([mediaType, media]) => [
            mediaType,
            schemaAt(
              isObject(media) ? media : {},
              `${response.pointer}/content/${escapePointer(mediaType)}`,
            ),
          ],
        ),
      );
      responses[status] = { status, pointer: response.pointer, headers, content };
    }
    return responses;
  };

  const operations: OperationModel<Id>[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    if (!isObject(pathItem)) continue;
    const pathPointer = pointerTo('paths', path);
    for (const [key, operation] of Object.entries(pathItem)) {
      if (!isMethod(key) || !isObject(operation)) continue;
      const method = key.toUpperCase() as HttpMethod;
      const where = `${method} ${path}`;
      const operationId = operation['operationId'];
      if (typeof operationId !== 'string' || operationId === '') {
        throw new Error(`${where} has no operationId`);
      }
      const pointer = `${pathPointer}/${key}`;
      const parameters = [...readParameters(where, [pathPointer, pointer]).values()];
      const security = (operation['security'] ??
        document.security ??
        []) as readonly SecurityRequirement[];
      operations.push({
        operationId: operationId as Id,
        method,
        path,
        routeKey: where,
        pointer,
        handler: operation['x-tap-handler'],
        security,
        requiresAuthorization: security.some((requirement) => Object.keys(requirement).length > 0),
        scopes: [
          ...new Set(security.flatMap((requirement) => Object.values(requirement).flat())),
        ].sort(),
        parameters,
        parametersIn: {
          path: parameters.filter((parameter) => parameter.in === 'path'),
          query: parameters.filter((parameter) => parameter.in === 'query'),
          header: parameters.filter((parameter) => parameter.in === 'header'),
        },
        requestBody: readBody(operation, pointer),
        idempotent: parameters.some(
          (parameter) =>
            parameter.in === 'header' && parameter.name.toLowerCase() === IDEMPOTENCY_KEY_PARAMETER,
        ),
        responses: readResponses(operation, pointer),
      });
    }
  }

  const byId = new Map<string, OperationModel<Id>>();
  for (const operation of operations) {
    const other = byId.get(operation.operationId);
    if (other) {
      throw new Error(
        `${operation.routeKey} and ${other.routeKey} share the operationId ${operation.operationId}`,
      );
    }
    byId.set(operation.operationId, operation);
  }

  return {
    document,
    operations,
    operation(operationId) {
      const operation = byId.get(operationId);
      if (!operation) throw new Error(`The contract has no operation ${operationId}`);
      return operation;
    },
    resolve,
    dereference,
    resolveSchema(schema) {
      return dereference(schema, '#').value as JsonSchema;
    },
    extension(name) {
      return (document as unknown as Readonly<Record<string, unknown>>)[name];
    },
  };
}

/** `operationId` of every operation of TAP's contract. */
export type OperationId = keyof operations & string;

/** TAP's contract, read. */
// Pure: a bundle that imports only a helper of this module (`escapePointer`) leaves the
// document out, and with it the cost of evaluating it at cold start.
export const documentModel: DocumentModel<OperationId> =
  /* @__PURE__ */ createDocumentModel<OperationId>(openApiDocument);

// ---------------------------------------------------------------------------------------
// What the code enforces beyond the schemas.

/** The root extension holding the largest request body the API reads, in bytes. */
export const MAX_REQUEST_BODY_EXTENSION = 'x-tap-max-request-body-bytes';

/** The root extension holding how long an idempotency key is remembered, in seconds. */
export const IDEMPOTENCY_EXPIRY_EXTENSION = 'x-tap-idempotency-expiry-seconds';

/** The root extension holding the most files an item may hold. */
export const MAX_FILES_PER_ITEM_EXTENSION = 'x-tap-max-files-per-item';

/** The root extension holding the most bytes an item's files may hold. */
export const MAX_BYTES_PER_ITEM_EXTENSION = 'x-tap-max-bytes-per-item';

/** The root extension listing the content types downloaded as `application/octet-stream`. */
export const OCTET_STREAM_EXTENSION = 'x-tap-octet-stream-content-types';

/**
 * The root extension listing request headers the CORS policy allows beyond the declared
 * parameters (the typed client's `x-tap-client`, which no operation reads).
 */
export const CORS_ALLOW_HEADERS_EXTENSION = 'x-tap-cors-allow-headers';

/** Facts of the contract that code enforces outside the schemas' validation. */
export interface ContractFacts {
  /** Header the API key travels in (the `apiKey` security scheme's `name`), in lower case. */
  readonly apiKeyHeader: string;
  /**
   * Identifier of the user pool's resource server (`x-tap-resource-server` of the OAuth 2.0
   * scheme): a user's token carries each scope as `<identifier>/<scope>`.
   */
  readonly resourceServer: string;
  /** Every scope the OAuth 2.0 scheme declares, with its description, in document order. */
  readonly scopes: readonly { readonly name: string; readonly description: string }[];
  /** Largest decoded request body the API reads, in bytes (`x-tap-max-request-body-bytes`). */
  readonly maxRequestBodyBytes: number;
  /** Largest file an upload may declare (`createFileUpload`'s `contentLength` maximum). */
  readonly maxUploadBytes: number;
  /** The `pattern` of the `ETag` response header: an item version as an entity tag. */
  readonly entityTagPattern: string;
  /** The `pattern` of the `If-Match` parameter: `*` or one (weak or strong) entity tag. */
  readonly ifMatchPattern: string;
  /** Most attributes an item may hold (the `Attributes` schema's `maxProperties`). */
  readonly maxAttributes: number;
  /** Page size of a list without `limit` (the `limit` parameter's `default`). */
  readonly defaultPageSize: number;
  /** Header a caller sends an idempotency key in, in lower case. */
  readonly idempotencyKeyHeader: string;
  /** Response header marking a replayed answer, in lower case. */
  readonly idempotentReplayedHeader: string;
  /** How long an idempotency key is remembered (`x-tap-idempotency-expiry-seconds`). */
  readonly idempotencyExpirySeconds: number;
  /** Most files an item may hold (`x-tap-max-files-per-item`); a stack may lower it. */
  readonly maxFilesPerItem: number;
  /** Most bytes an item's files may hold (`x-tap-max-bytes-per-item`); a stack may lower it. */
  readonly maxBytesPerItem: number;
  /** The content types a file may be uploaded as (the `FileContentType` enum). */
  readonly acceptedContentTypes: readonly string[];
  /** Accepted types downloaded as `application/octet-stream` attachments. */
  readonly octetStreamContentTypes: readonly string[];
  /**
   * Every operation as a route (`route-table.ts` types and checks them): the functions read
   * the route table from the generated facts, so a cold start does not evaluate the document.
   */
  readonly routes: readonly {
    readonly operationId: string;
    readonly method: HttpMethod;
    readonly path: string;
    readonly routeKey: string;
    readonly handler: string | undefined;
    readonly requiresAuthorization: boolean;
    readonly scopes: readonly string[];
    /** Whether the operation takes an `Idempotency-Key` (and so may answer a replay). */
    readonly idempotent: boolean;
  }[];
  /** What the HTTP API's CORS policy must allow, from the operations. */
  readonly cors: {
    /**
     * `content-type` (for bodies), `authorization` (user tokens), the API key header, then
     * every header parameter.
     */
    readonly allowHeaders: readonly string[];
    /** Every operation's method, in the order the document first uses it, then OPTIONS. */
    readonly allowMethods: readonly HttpMethod[];
    /** Every header a response declares, sorted. */
    readonly exposeHeaders: readonly string[];
  };
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The one `pattern` every schema in `schemas` declares; `what` names them in errors. */
function onePattern(model: DocumentModel, schemas: readonly JsonSchema[], what: string): string {
  const patterns = unique(schemas.map((schema) => model.resolveSchema(schema).pattern));
  const [pattern] = patterns;
  if (patterns.length !== 1 || typeof pattern !== 'string') {
    throw new Error(
      `The contract must give every ${what} one pattern; found ${JSON.stringify(patterns)}`,
    );
  }
  return pattern;
}

/** The extension of the OAuth 2.0 scheme naming the user pool's resource server. */
export const RESOURCE_SERVER_EXTENSION = 'x-tap-resource-server';

/**
 * The one OAuth 2.0 scheme guarding operations: its resource server and declared scopes.
 *
 * @throws Error when there is not exactly one, or it lacks the extension or scopes.
 */
function userTokenScheme(
  model: DocumentModel,
  guarded: readonly string[],
): Pick<ContractFacts, 'resourceServer' | 'scopes'> {
  const schemes = guarded.flatMap((name) => {
    const scheme = model.resolve(pointerTo('components', 'securitySchemes', name));
    return isObject(scheme) && scheme['type'] === 'oauth2' ? [{ name, scheme }] : [];
  });
  const [only] = schemes;
  if (schemes.length !== 1 || only === undefined) {
    throw new Error(
      `The contract must guard its operations with exactly one OAuth 2.0 scheme; found ${JSON.stringify(guarded)}`,
    );
  }
  const resourceServer = only.scheme[RESOURCE_SERVER_EXTENSION];
  const flows = only.scheme['flows'];
  const flow = isObject(flows) ? flows['authorizationCode'] : undefined;
  const declared = isObject(flow) ? flow['scopes'] : undefined;
  if (typeof resourceServer !== 'string' || !/^[a-z][a-z0-9-]*$/.test(resourceServer)) {
    throw new Error(
      `The ${only.name} scheme must name its resource server in ${RESOURCE_SERVER_EXTENSION}`,
    );
  }
  if (!isObject(declared) || Object.keys(declared).length === 0) {
    throw new Error(`The ${only.name} scheme must declare scopes on its authorizationCode flow`);
  }
  return {
    resourceServer,
    scopes: Object.entries(declared).map(([name, description]) => ({
      name,
      description: String(description),
    })),
  };
}

/**
 * Derives, from a document, the facts code enforces outside the schemas.
 *
 * @throws Error naming what is missing or ambiguous in the document.
 */
export function deriveContractFacts(model: DocumentModel): ContractFacts {
  const { operations } = model;

  const guarded = unique(
    operations.flatMap((operation) => operation.security.flatMap(Object.keys)),
  );
  const apiKeyHeaders = unique(
    guarded.flatMap((name) => {
      const scheme = model.resolve(pointerTo('components', 'securitySchemes', name));
      return isObject(scheme) &&
        scheme['type'] === 'apiKey' &&
        scheme['in'] === 'header' &&
        typeof scheme['name'] === 'string'
        ? [scheme['name'].toLowerCase()]
        : [];
    }),
  );
  const [apiKeyHeader] = apiKeyHeaders;
  if (apiKeyHeaders.length !== 1 || apiKeyHeader === undefined) {
    throw new Error(
      `The contract must guard its operations with exactly one API key header scheme; found ${JSON.stringify(guarded)}`,
    );
  }

  const { resourceServer, scopes } = userTokenScheme(model, guarded);
  const declared = new Set(scopes.map((scope) => scope.name));
  for (const operation of operations) {
    if (!operation.requiresAuthorization) continue;
    for (const requirement of operation.security) {
      const entries = Object.entries(requirement);
      const listed = [...new Set(entries.flatMap(([, list]) => list))].sort();
      if (entries.length !== 1 || listed.join(' ') !== operation.scopes.join(' ')) {
        throw new Error(
          `${operation.routeKey}: every security alternative must name one scheme and the same scopes (${operation.scopes.join(', ')})`,
        );
      }
    }
    if (operation.scopes.length === 0) {
      throw new Error(`${operation.routeKey} requires a credential but names no scope`);
    }
    const unknown = operation.scopes.filter((scope) => !declared.has(scope));
    if (unknown.length > 0) {
      throw new Error(`${operation.routeKey} names undeclared scopes: ${unknown.join(', ')}`);
    }
  }

  const maxRequestBodyBytes = model.extension(MAX_REQUEST_BODY_EXTENSION);
  if (!Number.isSafeInteger(maxRequestBodyBytes) || (maxRequestBodyBytes as number) <= 0) {
    throw new Error(`The contract's ${MAX_REQUEST_BODY_EXTENSION} must be a positive integer`);
  }

  const upload = model.operation('createFileUpload').requestBody;
  const contentLength =
    upload &&
    model.resolveSchema(model.resolveSchema(upload.schema).properties?.['contentLength'] ?? {});
  const maxUploadBytes = contentLength?.maximum;
  if (maxUploadBytes === undefined || !Number.isSafeInteger(maxUploadBytes)) {
    throw new Error("The contract must bound createFileUpload's contentLength with a maximum");
  }

  const responseHeaders = operations.flatMap((operation) =>
    Object.values(operation.responses).flatMap((response) => response.headers),
  );
  const headerParameters = operations.flatMap((operation) => operation.parametersIn.header);
  const named = <T extends { readonly name: string }>(list: readonly T[], name: string): T[] =>
    list.filter((entry) => entry.name.toLowerCase() === name);

  const maxAttributes = model.resolveSchema(
    model.resolve(pointerTo('components', 'schemas', 'Attributes')) as JsonSchema,
  ).maxProperties;
  if (maxAttributes === undefined || !Number.isSafeInteger(maxAttributes)) {
    throw new Error('The contract must bound Attributes with maxProperties');
  }
  const limit = model
    .operation('listItems')
    .parametersIn.query.find((parameter) => parameter.name === 'limit');
  const defaultPageSize = limit && model.resolveSchema(limit.schema).default;
  if (typeof defaultPageSize !== 'number' || !Number.isSafeInteger(defaultPageSize)) {
    throw new Error("The contract must give listItems' limit an integer default");
  }

  const positive = (name: `x-tap-${string}`): number => {
    const value = model.extension(name);
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw new Error(`The contract's ${name} must be a positive integer`);
    }
    return value as number;
  };
  const replayedHeaders = unique(
    operations
      .filter((operation) => operation.idempotent)
      .flatMap((operation) => {
        const success = Object.values(operation.responses).filter((response) =>
          response.status.startsWith('2'),
        );
        const replayed = success.map((response) =>
          response.headers.find((header) => header.name.toLowerCase() === 'idempotent-replayed'),
        );
        if (replayed.length === 0 || replayed.some((header) => header === undefined)) {
          throw new Error(
            `${operation.routeKey} takes an Idempotency-Key, so every success must declare Idempotent-Replayed`,
          );
        }
        return replayed.map((header) => header?.name.toLowerCase() ?? '');
      }),
  );
  const [idempotentReplayedHeader] = replayedHeaders;
  if (idempotentReplayedHeader === undefined) {
    throw new Error('The contract must declare at least one operation taking an Idempotency-Key');
  }
  const fileContentType = model.resolveSchema(
    (model.resolve(pointerTo('components', 'schemas', 'FileContentType')) ?? {}) as JsonSchema,
  );
  const acceptedContentTypes = (fileContentType.enum ?? []).filter(
    (value): value is string => typeof value === 'string',
  );
  if (acceptedContentTypes.length === 0) {
    throw new Error('The contract must list the accepted file content types in FileContentType');
  }
  const octetStream = model.extension(OCTET_STREAM_EXTENSION);
  if (!Array.isArray(octetStream) || octetStream.some((type) => typeof type !== 'string')) {
    throw new Error(`The contract's ${OCTET_STREAM_EXTENSION} must be a list of content types`);
  }
  const foreign = (octetStream as string[]).filter((type) => !acceptedContentTypes.includes(type));
  if (foreign.length > 0) {
    throw new Error(
      `${OCTET_STREAM_EXTENSION} names types FileContentType does not accept: ${foreign.join(', ')}`,
    );
  }

  const extra = model.extension(CORS_ALLOW_HEADERS_EXTENSION) ?? [];
  if (!Array.isArray(extra) || extra.some((name) => typeof name !== 'string')) {
    throw new Error(
      `The contract's ${CORS_ALLOW_HEADERS_EXTENSION} must be a list of header names`,
    );
  }
  const extraAllowHeaders = (extra as string[]).map((name) => name.toLowerCase());

  return {
    apiKeyHeader,
    resourceServer,
    scopes,
    maxRequestBodyBytes: maxRequestBodyBytes as number,
    maxUploadBytes,
    maxAttributes,
    defaultPageSize,
    idempotencyKeyHeader: IDEMPOTENCY_KEY_PARAMETER,
    idempotentReplayedHeader,
    idempotencyExpirySeconds: positive(IDEMPOTENCY_EXPIRY_EXTENSION),
    maxFilesPerItem: positive(MAX_FILES_PER_ITEM_EXTENSION),
    maxBytesPerItem: positive(MAX_BYTES_PER_ITEM_EXTENSION),
    acceptedContentTypes,
    octetStreamContentTypes: octetStream as string[],
    routes: operations.map((operation) => ({
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
      routeKey: operation.routeKey,
      handler: typeof operation.handler === 'string' ? operation.handler : undefined,
      requiresAuthorization: operation.requiresAuthorization,
      scopes: operation.scopes,
      idempotent: operation.idempotent,
    })),
    entityTagPattern: onePattern(
      model,
      named(responseHeaders, 'etag').map((header) => header.schema),
      'ETag response header',
    ),
    ifMatchPattern: onePattern(
      model,
      named(headerParameters, 'if-match').map((parameter) => parameter.schema),
      'If-Match parameter',
    ),
    cors: {
      allowHeaders: unique([
        ...(operations.some((operation) => operation.requestBody) ? ['content-type'] : []),
        'authorization',
        apiKeyHeader,
        ...headerParameters.map((parameter) => parameter.name.toLowerCase()),
        ...extraAllowHeaders,
      ]),
      allowMethods: unique<HttpMethod>([
        ...operations.map((operation) => operation.method),
        'OPTIONS',
      ]),
      exposeHeaders: unique(responseHeaders.map((header) => header.name.toLowerCase())).sort(),
    },
  };
}
