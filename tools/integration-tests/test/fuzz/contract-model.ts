/**
 * The contract's operations as the fuzzer needs them, read from `openApiDocument` itself:
 * method, path template, parameters by location with their schemas, the request body's
 * media types and schema, and whether the API key is required. Nothing here is restated
 * by hand, so a new operation, parameter or field is fuzzed without touching this file.
 */
import { openApiDocument, routeTable } from '@tap/contracts';

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
  readonly propertyNames?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

/** One parameter of an operation. */
export interface ParameterModel {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** One operation of the contract. */
export interface OperationModel {
  readonly operationId: string;
  /** Upper case. */
  readonly method: string;
  /** Template with `{name}` segments, as in the document. */
  readonly path: string;
  readonly requiresApiKey: boolean;
  readonly parameters: readonly ParameterModel[];
  /** Undefined when the operation takes no body. */
  readonly body:
    | {
        readonly required: boolean;
        readonly mediaTypes: readonly string[];
        readonly schema: JsonSchema;
      }
    | undefined;
}

interface RawParameter {
  readonly $ref?: string;
  readonly name?: string;
  readonly in?: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface RawOperation {
  readonly parameters?: readonly RawParameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
  };
}

/** Resolves a local `#/components/...` pointer in the contract document. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, segment) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[segment]
          : undefined,
      openApiDocument,
    );
}

/** Follows `$ref`s until a schema with content. */
export function resolveSchema(schema: JsonSchema): JsonSchema {
  let current = schema;
  // The contract has no reference cycles; the bound only guards against a broken document.
  for (let hops = 0; current.$ref !== undefined; hops += 1) {
    if (hops > 20) throw new Error(`reference chain too long at ${current.$ref}`);
    const target = resolvePointer(current.$ref);
    if (typeof target !== 'object' || target === null) {
      throw new Error(`unresolvable reference ${current.$ref}`);
    }
    current = target as JsonSchema;
  }
  return current;
}

function resolveParameter(raw: RawParameter): ParameterModel {
  const parameter = raw.$ref === undefined ? raw : (resolvePointer(raw.$ref) as RawParameter);
  if (
    parameter.name === undefined ||
    (parameter.in !== 'path' && parameter.in !== 'query' && parameter.in !== 'header')
  ) {
    throw new Error(`unsupported parameter ${JSON.stringify(raw)}`);
  }
  return {
    name: parameter.name,
    in: parameter.in,
    required: parameter.required === true,
    schema: parameter.schema ?? {},
  };
}

/** Every operation of the contract, in route-table order. */
export function contractOperations(): readonly OperationModel[] {
  const paths = openApiDocument.paths as Readonly<Record<string, Record<string, unknown>>>;
  return routeTable.map((route) => {
    const pathItem = paths[route.path] ?? {};
    const operation = (pathItem[route.method.toLowerCase()] ?? {}) as RawOperation;
    // Path-level parameters first; the operation's own override them by name and place.
    const byKey = new Map<string, ParameterModel>();
    for (const raw of [
      ...((pathItem['parameters'] as readonly RawParameter[] | undefined) ?? []),
      ...(operation.parameters ?? []),
    ]) {
      const parameter = resolveParameter(raw);
      byKey.set(`${parameter.in}:${parameter.name}`, parameter);
    }
    const content = operation.requestBody?.content ?? {};
    const mediaTypes = Object.keys(content);
    const firstMediaType = mediaTypes[0];
    return {
      operationId: route.operationId,
      method: route.method,
      path: route.path,
      requiresApiKey: route.requiresApiKey,
      parameters: [...byKey.values()],
      body:
        firstMediaType === undefined
          ? undefined
          : {
              required: operation.requestBody?.required === true,
              mediaTypes,
              schema: content[firstMediaType]?.schema ?? {},
            },
    };
  });
}
