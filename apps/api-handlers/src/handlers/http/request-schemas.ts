/**
 * The JSON Schemas that check each part of an operation's request, built from the
 * contract's document model (`@tap/contracts`): one object schema per parameter location,
 * keyed by parameter name, and the body's schema.
 *
 * Two users, one source of truth: the validator generator
 * (`scripts/generate-validators.ts`) compiles {@link parameterSchema} and {@link bodySchema}
 * with ajv at build time, and the runtime validator (./contract-validator.ts) reads the same
 * operations of the model to pick each parameter out of the request. The schemas `$ref`
 * into the document registered under `CONTRACT_SCHEMA_ID`, so nothing is restated here.
 */
import { contractSchemaRef, type OperationModel, type ParameterLocation } from '@tap/contracts';

/** A part of a request that has a validator of its own. */
export type RequestPart = ParameterLocation | 'body';

/** The schema of one location's parameters, as one object keyed by parameter name. */
export function parameterSchema(
  operation: OperationModel,
  location: ParameterLocation,
): Record<string, unknown> {
  const params = operation.parametersIn[location];
  return {
    type: 'object',
    properties: Object.fromEntries(
      params.map(({ name, schemaPointer }) => [name, { $ref: contractSchemaRef(schemaPointer) }]),
    ),
    required: params.filter(({ required }) => required).map(({ name }) => name),
    // Unknown query parameters are rejected like unknown body fields; requests carry
    // many headers, and only the declared ones are looked at.
    additionalProperties: location === 'header',
  };
}

/** The schema of the body, or `undefined` when the operation takes none. */
export function bodySchema(operation: OperationModel): Record<string, unknown> | undefined {
  const body = operation.requestBody;
  return body && { $ref: contractSchemaRef(body.schemaPointer) };
}

/** Key of a part's precompiled validator: `createItem/body`. */
export const requestValidatorKey = (operationId: string, part: RequestPart): string =>
  `${operationId}/${part}`;
