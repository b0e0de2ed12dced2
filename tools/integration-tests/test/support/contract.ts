/**
 * Checks of responses against the contract, and predicates for its schemas, read through
 * the contract's document model and compiled with its ajv options, as the API's own
 * validators are.
 */
import {
  CONTRACT_AJV_OPTIONS,
  contractSchemaRef,
  documentModel,
  withContractRefs,
  type OperationId,
  type ResponseModel,
} from '@tap/contracts';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Compiles the document's own schemas, by pointer, exactly as the API's validators are. */
const contractAjv = new Ajv2020(CONTRACT_AJV_OPTIONS);
addFormats(contractAjv);

/**
 * Compiles the fragments the fuzzer takes out of the document (a `propertyNames` schema, one
 * `oneOf` branch): the same options, and so the same verdicts, but without strict mode's
 * type check, which would refuse `{ pattern }` compiled on its own although the fragment's
 * parent gives it its type.
 */
const fragmentAjv = new Ajv2020({ ...CONTRACT_AJV_OPTIONS, strictTypes: false });
addFormats(fragmentAjv);

const validators = new Map<Ajv2020, Map<string, ValidateFunction>>();

/** The (cached) validator of a schema whose local `$ref`s point into the document. */
function validatorFor(ajv: Ajv2020, schema: unknown): ValidateFunction {
  const cache = validators.get(ajv) ?? new Map<string, ValidateFunction>();
  validators.set(ajv, cache);
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(withContractRefs(schema as object));
    cache.set(key, validate);
  }
  return validate;
}

/** The validator of the schema at a pointer of the document. */
const validatorAt = (schemaPointer: string): ValidateFunction =>
  validatorFor(contractAjv, { $ref: contractSchemaRef(schemaPointer) });

const errorsOf = (validate: ValidateFunction, prefix = ''): string[] =>
  (validate.errors ?? []).map((error) => `${prefix}${error.instancePath} ${error.message ?? ''}`);

/** Reads a response header by name, case-insensitively; `undefined` when absent. */
export type HeaderLookup = (name: string) => string | undefined;

/** The declared headers a response breaks: a required one missing, or one off its schema. */
function headerViolations(response: ResponseModel, header: HeaderLookup): string[] {
  return response.headers.flatMap((declared) => {
    const value = header(declared.name);
    if (value === undefined) return declared.required ? [`header ${declared.name} missing`] : [];
    const validate = validatorAt(declared.schemaPointer);
    return validate(value) ? [] : errorsOf(validate, `header ${declared.name} ${value}:`);
  });
}

/**
 * Checks a response against the contract: the status is one the operation declares, the
 * content type is the declared one, the body matches its schema and, when `header` is
 * given, every declared header present matches its schema (the `ETag` its pattern).
 *
 * @returns a list of violations (empty when the response conforms).
 */
export function contractViolations(
  operationId: string,
  status: number,
  contentType: string | null,
  body: unknown,
  header?: HeaderLookup,
): string[] {
  const response = documentModel.operation(operationId as OperationId).responses[String(status)];
  if (!response) return [`${operationId} does not declare status ${status}`];
  const headers = header ? headerViolations(response, header) : [];
  const declared = Object.keys(response.content);
  if (declared.length === 0) {
    const empty = body === undefined || body === '' || body === null;
    return [...headers, ...(empty ? [] : [`${status} declares no body`])];
  }
  const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
  const media = response.content[mediaType];
  if (!media) {
    return [
      ...headers,
      `${operationId} ${status} declares ${declared.join(', ')}, got ${mediaType}`,
    ];
  }
  const validate = validatorAt(media.schemaPointer);
  return [...headers, ...(validate(body) ? [] : errorsOf(validate))];
}

/** Jest assertion helper: fails with the violations when a response breaks the contract. */
export async function expectContractResponse(
  operationId: string,
  response: Response,
  body?: unknown,
): Promise<void> {
  let parsed = body;
  if (parsed === undefined && response.status !== 204) {
    const text = await response.clone().text();
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  expect(
    contractViolations(
      operationId,
      response.status,
      response.headers.get('content-type'),
      parsed,
      (name) => response.headers.get(name) ?? undefined,
    ),
  ).toEqual([]);
}

/**
 * A predicate for one of the contract's schemas (`{ $ref: '#/components/schemas/Item' }`,
 * or a fragment whose refs point into the document), compiled with the contract's ajv
 * options (type checks of strict mode aside, see `fragmentAjv`). The fuzzers use it to know,
 * not guess, whether a value they generated is valid.
 */
export function schemaValidator(schema: unknown): (value: unknown) => boolean {
  const validate = validatorFor(fragmentAjv, schema);
  return (value) => validate(value) === true;
}
