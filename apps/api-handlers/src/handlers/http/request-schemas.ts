/**
 * What the contract expects of each operation's request, read from the OpenAPI document:
 * its parameters per location and its body, and the JSON Schemas that check them.
 *
 * Two users, one source of truth: the validator generator
 * (`scripts/generate-validators.ts`) compiles {@link parameterSchema} and {@link bodySchema}
 * with ajv at build time, and the runtime validator (./contract-validator.ts) uses the same
 * plan to pick each parameter out of the request and to convert query strings. The schemas
 * `$ref` into the document registered under {@link CONTRACT_SCHEMA_ID}, so nothing is
 * restated here.
 */

/** Base URI the document is registered under in ajv. */
export const CONTRACT_SCHEMA_ID = 'urn:tap:openapi';

/** Where a parameter travels. */
export type Location = 'path' | 'query' | 'header';

/** The parameter locations, in the order their problems are reported. */
export const LOCATIONS: readonly Location[] = ['path', 'query', 'header'];

/** A part of a request that has a validator of its own. */
export type RequestPart = Location | 'body';

/** One declared parameter. */
export interface PlannedParameter {
  /** The contract's name (`If-Match`); headers are looked up in lower case. */
  readonly name: string;
  readonly required: boolean;
  /** JSON Pointer of its schema in the document (`#/components/parameters/ItemId/schema`). */
  readonly schemaPointer: string;
  /** Its schema's `type`, to convert query strings explicitly. */
  readonly type: unknown;
}

/** An operation's request, as the contract declares it. */
export interface RequestPlan {
  readonly operationId: string;
  /** Declared parameters per location: path-level ones first, then the operation's own. */
  readonly parameters: Readonly<Record<Location, readonly PlannedParameter[]>>;
  /** The body, or `undefined` when the operation takes none. */
  readonly body:
    | {
        readonly required: boolean;
        /** JSON Pointer of the body schema in the document. */
        readonly schemaPointer: string;
      }
    | undefined;
}

/** The part of an OpenAPI document the plan reads. */
export interface ContractDocument {
  readonly paths: Readonly<Record<string, unknown>>;
}

interface ParameterObject {
  readonly name: string;
  readonly in: Location | 'cookie';
  readonly required?: boolean;
}

interface OperationObject {
  readonly operationId?: string;
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Readonly<Record<string, unknown>>;
  };
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export const escapePointer = (segment: string): string =>
  segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Resolves a local JSON Pointer (`#/components/...`) in the document. */
function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local references are supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, segment) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[segment]
          : undefined,
      document,
    );
}

const isRef = (value: unknown): value is { readonly $ref: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { $ref?: unknown }).$ref === 'string';

/**
 * Reads an operation's request from the document.
 *
 * @throws Error when the document has no operation with this `operationId`.
 */
export function planRequest(document: ContractDocument, operationId: string): RequestPlan {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, unknown>)) {
      if ((operation as OperationObject | undefined)?.operationId !== operationId) continue;
      const pathItemPointer = `#/paths/${escapePointer(path)}`;
      const pointer = `${pathItemPointer}/${method}`;
      return {
        operationId,
        parameters: parametersOf(document, pathItemPointer, pointer),
        body: bodyOf(operation as OperationObject, pointer),
      };
    }
  }
  throw new Error(`The contract has no operation ${operationId}`);
}

/** Path-level parameters first, then the operation's own (which override by name and place). */
function parametersOf(
  document: ContractDocument,
  pathItemPointer: string,
  operationPointer: string,
): Record<Location, PlannedParameter[]> {
  const byKey = new Map<string, { parameter: ParameterObject; pointer: string }>();
  for (const owner of [pathItemPointer, operationPointer]) {
    const list = resolvePointer(document, `${owner}/parameters`);
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, index) => {
      const pointer = isRef(entry) ? entry.$ref : `${owner}/parameters/${index}`;
      const parameter = resolvePointer(document, pointer) as ParameterObject;
      byKey.set(`${parameter.in}:${parameter.name}`, { parameter, pointer });
    });
  }
  const planned: Record<Location, PlannedParameter[]> = { path: [], query: [], header: [] };
  for (const { parameter, pointer } of byKey.values()) {
    if (parameter.in === 'cookie') continue;
    const schemaPointer = `${pointer}/schema`;
    planned[parameter.in].push({
      name: parameter.name,
      required: parameter.required === true,
      schemaPointer,
      type: (resolvePointer(document, schemaPointer) as { type?: unknown } | undefined)?.type,
    });
  }
  return planned;
}

function bodyOf(operation: OperationObject, pointer: string): RequestPlan['body'] {
  const content = operation.requestBody?.content ?? {};
  // Every media type of an operation shares one schema in this contract; prefer the
  // application/json entry and fall back to the first.
  const mediaType = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
  if (mediaType === undefined) return undefined;
  return {
    required: operation.requestBody?.required === true,
    schemaPointer: `${pointer}/requestBody/content/${escapePointer(mediaType)}/schema`,
  };
}

/** The schema of one location's parameters, as one object keyed by parameter name. */
export function parameterSchema(plan: RequestPlan, location: Location): Record<string, unknown> {
  const params = plan.parameters[location];
  return {
    type: 'object',
    properties: Object.fromEntries(
      params.map(({ name, schemaPointer }) => [
        name,
        { $ref: `${CONTRACT_SCHEMA_ID}${schemaPointer}` },
      ]),
    ),
    required: params.filter(({ required }) => required).map(({ name }) => name),
    // Unknown query parameters are rejected like unknown body fields; requests carry
    // many headers, and only the declared ones are looked at.
    additionalProperties: location === 'header',
  };
}

/** The schema of the body, or `undefined` when the operation takes none. */
export function bodySchema(plan: RequestPlan): Record<string, unknown> | undefined {
  return plan.body && { $ref: `${CONTRACT_SCHEMA_ID}${plan.body.schemaPointer}` };
}

/** Key of a part's precompiled validator: `createItem/body`. */
export const requestValidatorKey = (operationId: string, part: RequestPart): string =>
  `${operationId}/${part}`;
