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
import {
  contractSchemaRef,
  PARAMETER_LOCATIONS,
  type DocumentModel,
  type OperationModel,
  type ParameterLocation,
} from '@tap/contracts';

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

/**
 * What the runtime validator needs to know of an operation besides its compiled schemas:
 * which parameters to pick out of the request, with each one's schema `type` (query strings
 * are converted explicitly), and whether a body is expected. Generated beside the validators,
 * so a cold start does not evaluate the OpenAPI document to learn it.
 */
export interface RequestPlan {
  readonly parameters: Readonly<
    Record<ParameterLocation, readonly { readonly name: string; readonly type?: unknown }[]>
  >;
  /** `undefined` when the operation takes no body. */
  readonly body?: { readonly required: boolean };
}

/** The {@link RequestPlan} of an operation of a document model. */
export function requestPlan(model: DocumentModel, operation: OperationModel): RequestPlan {
  const parameters = Object.fromEntries(
    PARAMETER_LOCATIONS.map((location) => [
      location,
      operation.parametersIn[location].map(({ name, schema }) => {
        const { type } = model.resolveSchema(schema);
        return type === undefined ? { name } : { name, type };
      }),
    ]),
  ) as unknown as RequestPlan['parameters'];
  const body = operation.requestBody;
  return body ? { parameters, body: { required: body.required } } : { parameters };
}
