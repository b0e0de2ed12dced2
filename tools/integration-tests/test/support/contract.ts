import { openApiDocument, routeTable } from '@tap/contracts';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: 'tap', components: openApiDocument.components });

interface ResponseObject {
  readonly $ref?: string;
  readonly content?: Record<string, { readonly schema?: unknown }>;
}

type Operation = { readonly responses: Record<string, ResponseObject> };

function operation(operationId: string): Operation {
  const route = routeTable.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no operation ${operationId}`);
  const pathItem = (openApiDocument.paths as Record<string, Record<string, unknown>>)[route.path];
  return pathItem?.[route.method.toLowerCase()] as Operation;
}

function resolve(response: ResponseObject): ResponseObject {
  if (!response.$ref) return response;
  const name = response.$ref.split('/').pop() ?? '';
  return (openApiDocument.components.responses as Record<string, ResponseObject>)[name] ?? {};
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    // Rewrite local refs to the registered document so nested refs resolve.
    const rewritten = JSON.parse(key.replaceAll('"#/components/', '"tap#/components/')) as object;
    validate = ajv.compile(rewritten);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Checks a response against the contract: the status is one the operation declares, the
 * content type is the declared one, and the body matches its schema.
 *
 * @returns a list of violations (empty when the response conforms).
 */
export function contractViolations(
  operationId: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const declared = operation(operationId).responses[String(status)];
  if (!declared) return [`${operationId} does not declare status ${status}`];
  const response = resolve(declared);
  if (!response.content) {
    return body === undefined || body === '' || body === null ? [] : [`${status} declares no body`];
  }
  const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
  const media = response.content[mediaType];
  if (!media) {
    return [
      `${operationId} ${status} declares ${Object.keys(response.content).join(', ')}, got ${mediaType}`,
    ];
  }
  const validate = validatorFor(media.schema);
  return validate(body)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
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
    contractViolations(operationId, response.status, response.headers.get('content-type'), parsed),
  ).toEqual([]);
}

/**
 * A predicate for one of the contract's schemas (`{ $ref: '#/components/schemas/Item' }`,
 * or an inline schema whose refs point into the document), compiled with the same ajv
 * settings the response checks use. The fuzzers use it to know, not guess, whether a value
 * they generated is valid.
 */
export function schemaValidator(schema: unknown): (value: unknown) => boolean {
  const validate = validatorFor(schema);
  return (value) => validate(value) === true;
}
