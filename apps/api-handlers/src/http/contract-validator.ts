/**
 * Request validation against the contract itself. The OpenAPI document's `components`
 * and `paths` are registered with ajv under one `$id`, and every validator `$ref`s into
 * them (`urn:tap:openapi#/components/schemas/Item`), so no schema is restated here.
 *
 * Validators are compiled on an operation's first request and cached for the container's
 * life: cold start pays for neither ajv's setup nor the routes it does not serve.
 */
import type { OpenApiDocument } from '@tap/contracts';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors';
import { ValidationError } from '../errors';
import type { ApiOperationId, ValidatedRequest } from './operations';

/** Base URI the document is registered under. */
export const CONTRACT_SCHEMA_ID = 'urn:tap:openapi';

/** The raw parts of a request, before validation. */
export interface RawRequest {
  readonly requestId: string;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case, as API Gateway HTTP APIs deliver them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body, or `undefined` when there is none. */
  readonly body: unknown;
}

/** What an operation expects of a request body. */
export interface BodyExpectation {
  readonly required: boolean;
}

/** Validates the requests of one operation. */
export interface OperationValidator<Id extends ApiOperationId> {
  /** The operation's body expectation, or `undefined` when it takes no body. */
  readonly body: BodyExpectation | undefined;
  /**
   * Checks path, query, headers and body together and reports every problem at once.
   *
   * @throws ValidationError listing each offending value.
   */
  validate(raw: RawRequest): ValidatedRequest<Id>;
}

/** Validators for every operation of the contract. */
export interface ContractValidator {
  /** The (cached) validator of an operation. */
  forOperation<Id extends ApiOperationId>(operationId: Id): OperationValidator<Id>;
}

type Location = 'path' | 'query' | 'header';

interface ParameterObject {
  readonly name: string;
  readonly in: Location | 'cookie';
  readonly required?: boolean;
  readonly schema?: { readonly type?: unknown };
}

interface OperationObject {
  readonly operationId?: string;
  readonly parameters?: readonly unknown[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Readonly<Record<string, unknown>>;
  };
}

/** The request prefix of each parameter location in error pointers. */
const POINTER_PREFIX: Record<Location, string> = {
  path: '/path',
  query: '/query',
  header: '/headers',
};

/** Escapes one JSON Pointer segment (RFC 6901). */
const escapePointer = (segment: string): string =>
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

/** A parameter with the pointer to its schema inside the document. */
interface ResolvedParameter {
  readonly parameter: ParameterObject;
  readonly schemaPointer: string;
}

/**
 * Query values are strings; a parameter the contract types as a number is converted only
 * when the string is a plain decimal number, so `limit=abc` stays a string and fails as
 * "must be integer" instead of being coerced.
 */
function convertQueryValue(value: string, type: unknown): unknown {
  if (type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (type === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Keywords that only say "this branch did not fit", not what is wrong. */
const BRANCH_KEYWORDS = new Set(['type', 'oneOf', 'anyOf']);

/**
 * Turns ajv errors into the contract's field errors. With `allErrors`, a `oneOf` reports
 * the mismatch of every branch ("must be null", "must match exactly one schema in oneOf");
 * such an error is dropped when a more precise one exists at the same place (a maximum,
 * a pattern) or deeper inside the value, which is where the real problem is.
 */
export function toFieldErrors(prefix: string, errors: readonly ErrorObject[]): FieldError[] {
  const located = errors
    // propertyNames repeats, for the object, what its nested error says about the name.
    .filter((error) => error.keyword !== 'propertyNames')
    .map((error) => {
      let path = `${prefix}${error.instancePath}`;
      let message = error.message ?? 'is invalid';
      if (error.keyword === 'additionalProperties') {
        path += `/${escapePointer(String(error.params['additionalProperty']))}`;
        message = 'is not allowed';
      } else if (error.keyword === 'required') {
        path += `/${escapePointer(String(error.params['missingProperty']))}`;
        message = 'is required';
      } else if (error.propertyName !== undefined) {
        path += `/${escapePointer(error.propertyName)}`;
        message = `name ${message}`;
      }
      return { path, message, branchOnly: BRANCH_KEYWORDS.has(error.keyword) };
    });
  const explainedElsewhere = (path: string): boolean =>
    located.some(
      (other) => other.path.startsWith(`${path}/`) || (other.path === path && !other.branchOnly),
    );
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const { path, message, branchOnly } of located) {
    if (branchOnly && explainedElsewhere(path)) continue;
    const id = `${path}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push({ path, message });
  }
  return result;
}

/** Creates the validator for a contract document. */
export function createContractValidator(document: OpenApiDocument): ContractValidator {
  let ajv: Ajv2020 | undefined;
  const cache = new Map<string, OperationValidator<ApiOperationId>>();

  const getAjv = (): Ajv2020 => {
    if (ajv) return ajv;
    // No coercion and no defaults: what the client sent is what gets checked.
    const instance = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
    addFormats(instance);
    // `components` and `paths` are OpenAPI containers, not JSON Schema keywords: declaring
    // them lets strict mode accept the document as the root that `$ref`s point into.
    instance.addVocabulary(['components', 'paths']);
    instance.addSchema({
      $id: CONTRACT_SCHEMA_ID,
      components: document.components,
      paths: document.paths,
    });
    ajv = instance;
    return instance;
  };

  const findOperation = (
    operationId: string,
  ): {
    readonly pointer: string;
    readonly pathItemPointer: string;
    readonly operation: OperationObject;
  } => {
    for (const [path, pathItem] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(pathItem as Record<string, unknown>)) {
        if ((operation as OperationObject | undefined)?.operationId === operationId) {
          const pathItemPointer = `#/paths/${escapePointer(path)}`;
          return {
            pathItemPointer,
            pointer: `${pathItemPointer}/${method}`,
            operation: operation as OperationObject,
          };
        }
      }
    }
    throw new Error(`The contract has no operation ${operationId}`);
  };

  /** Path-level parameters first, then the operation's own (which override by name and place). */
  const parametersOf = (pathItemPointer: string, operationPointer: string): ResolvedParameter[] => {
    const byKey = new Map<string, ResolvedParameter>();
    for (const owner of [pathItemPointer, operationPointer]) {
      const list = resolvePointer(document, `${owner}/parameters`);
      if (!Array.isArray(list)) continue;
      list.forEach((entry: unknown, index) => {
        const pointer = isRef(entry) ? entry.$ref : `${owner}/parameters/${index}`;
        const parameter = resolvePointer(document, pointer) as ParameterObject;
        byKey.set(`${parameter.in}:${parameter.name}`, {
          parameter,
          schemaPointer: `${pointer}/schema`,
        });
      });
    }
    return [...byKey.values()];
  };

  const compile = <Id extends ApiOperationId>(operationId: Id): OperationValidator<Id> => {
    const { pointer, pathItemPointer, operation } = findOperation(operationId);
    const parameters = parametersOf(pathItemPointer, pointer);
    const compiled = new Map<
      Location,
      {
        validate: ValidateFunction;
        params: ResolvedParameter[];
        /** Each parameter's schema `type`, to convert query strings explicitly. */
        types: Map<string, unknown>;
      }
    >();
    for (const location of ['path', 'query', 'header'] as const) {
      const params = parameters.filter(({ parameter }) => parameter.in === location);
      const schema = {
        type: 'object',
        properties: Object.fromEntries(
          params.map(({ parameter, schemaPointer }) => [
            parameter.name,
            { $ref: `${CONTRACT_SCHEMA_ID}${schemaPointer}` },
          ]),
        ),
        required: params
          .filter(({ parameter }) => parameter.required)
          .map(({ parameter }) => parameter.name),
        // Unknown query parameters are rejected like unknown body fields; requests carry
        // many headers, and only the declared ones are looked at.
        additionalProperties: location === 'header',
      };
      const types = new Map(
        params.map(({ parameter, schemaPointer }) => [
          parameter.name,
          (resolvePointer(document, schemaPointer) as { type?: unknown } | undefined)?.type,
        ]),
      );
      compiled.set(location, { validate: getAjv().compile(schema), params, types });
    }

    const content = operation.requestBody?.content ?? {};
    // Every media type of an operation shares one schema in this contract; prefer the
    // application/json entry and fall back to the first.
    const mediaType = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
    const validateBody =
      mediaType === undefined
        ? undefined
        : getAjv().compile({
            $ref: `${CONTRACT_SCHEMA_ID}${pointer}/requestBody/content/${escapePointer(mediaType)}/schema`,
          });
    const body: BodyExpectation | undefined =
      validateBody === undefined
        ? undefined
        : { required: operation.requestBody?.required === true };

    return {
      body,
      validate(raw) {
        const errors: FieldError[] = [];
        const values: Partial<Record<Location, Record<string, unknown>>> = {};
        for (const [location, { validate, params, types }] of compiled) {
          const source =
            location === 'path' ? raw.path : location === 'query' ? raw.query : raw.headers;
          const value: Record<string, unknown> = {};
          if (location === 'header') {
            // Only declared headers, looked up case-insensitively, kept under the contract's name.
            for (const { parameter } of params) {
              const header = source[parameter.name.toLowerCase()];
              if (header !== undefined) value[parameter.name] = header;
            }
          } else {
            for (const [name, text] of Object.entries(source)) {
              if (text === undefined) continue;
              value[name] = location === 'query' ? convertQueryValue(text, types.get(name)) : text;
            }
          }
          if (!validate(value))
            errors.push(...toFieldErrors(POINTER_PREFIX[location], validate.errors ?? []));
          values[location] = value;
        }
        if (validateBody) {
          if (raw.body === undefined) {
            if (body?.required) errors.push({ path: '/body', message: 'is required' });
          } else if (!validateBody(raw.body)) {
            errors.push(...toFieldErrors('/body', validateBody.errors ?? []));
          }
        }
        if (errors.length > 0) throw new ValidationError(errors);
        // ajv just checked every part against the contract's schemas, which the types are
        // generated from: this is the one place the request's static type is asserted.
        return {
          operationId,
          requestId: raw.requestId,
          path: values.path,
          query: values.query,
          headers: values.header,
          body: raw.body,
        } as unknown as ValidatedRequest<Id>;
      },
    };
  };

  return {
    forOperation<Id extends ApiOperationId>(operationId: Id): OperationValidator<Id> {
      let validator = cache.get(operationId);
      if (!validator) {
        validator = compile(operationId);
        cache.set(operationId, validator);
      }
      return validator as OperationValidator<Id>;
    },
  };
}
