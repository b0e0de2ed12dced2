/**
 * Request validation against the contract itself, with validators compiled at build time.
 *
 * `scripts/generate-validators.ts` compiles, with ajv, one validator per request part
 * (path, query, headers, body) of every operation from the schemas in
 * ./request-schemas.ts, which `$ref` into the contract's `components` and `paths`, so no
 * schema is restated. The output (`./generated/request-validators.ts`) is plain JavaScript:
 * a container loads neither ajv's compiler nor the formats library, and no request waits
 * for a compilation. Here, the contract's document model says which parameters to pick out
 * of the request, and ajv's errors become the contract's field errors.
 */
import { escapePointer, PARAMETER_LOCATIONS, type ParameterLocation } from '@tap/contracts';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '../../core/errors';
import { ValidationError } from '../../core/errors';
import { requestPlans, requestValidators } from './generated/request-validators';
import type { ApiOperationId, ValidatedRequest } from './operations';
import type { RequestPart, RequestPlan } from './request-schemas';
import { requestValidatorKey } from './request-schemas';

type Location = ParameterLocation;

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

/** What validation vouches for: the request's parts (the principal is the authorizer's). */
export type ContractRequest<Id extends ApiOperationId> = Omit<ValidatedRequest<Id>, 'principal'>;

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
  validate(raw: RawRequest): ContractRequest<Id>;
}

/** Validators for every operation of the contract. */
export interface ContractValidator {
  /** The (cached) validator of an operation. */
  forOperation<Id extends ApiOperationId>(operationId: Id): OperationValidator<Id>;
}

/** The request prefix of each parameter location in error pointers. */
const POINTER_PREFIX: Record<Location, string> = {
  path: '/path',
  query: '/query',
  header: '/headers',
};

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

/**
 * The precompiled validator of one request part.
 *
 * @throws Error when the generated module lacks it: the contract changed and
 * `nx run api-handlers:generate-validators` was not run.
 */
function precompiled(
  validators: Readonly<Record<string, ValidateFunction>>,
  operationId: string,
  part: RequestPart,
): ValidateFunction {
  const key = requestValidatorKey(operationId, part);
  const validate = validators[key];
  if (!validate) {
    throw new Error(
      `No precompiled validator for ${key}: run \`nx run api-handlers:generate-validators\``,
    );
  }
  return validate;
}

/**
 * Creates the validator of the contract's operations.
 *
 * @param validators - the precompiled validators by request part; default: the ones
 *   generated from the contract (tests may pass others).
 * @param plans - what to pick out of a request, by operation; default: the ones generated
 *   beside the validators.
 */
export function createContractValidator(
  validators: Readonly<Record<string, ValidateFunction>> = requestValidators,
  plans: Readonly<Record<string, RequestPlan>> = requestPlans,
): ContractValidator {
  const cache = new Map<string, OperationValidator<ApiOperationId>>();

  const prepare = <Id extends ApiOperationId>(operationId: Id): OperationValidator<Id> => {
    const plan = plans[operationId];
    if (!plan) {
      throw new Error(
        `No request plan for ${operationId}: run \`nx run api-handlers:generate-validators\``,
      );
    }
    const locations = PARAMETER_LOCATIONS.map((location) => ({
      location,
      validate: precompiled(validators, operationId, location),
      params: plan.parameters[location],
      /** Each parameter's schema `type`, to convert query strings explicitly. */
      types: new Map(plan.parameters[location].map(({ name, type }) => [name, type])),
    }));
    const requestBody = plan.body;
    const validateBody = requestBody && precompiled(validators, operationId, 'body');
    const body: BodyExpectation | undefined = requestBody && { required: requestBody.required };

    /** The declared parameters of one location, as the validator sees them. */
    const valuesOf = (
      location: Location,
      params: RequestPlan['parameters'][Location],
      types: ReadonlyMap<string, unknown>,
      raw: RawRequest,
    ): Record<string, unknown> => {
      // No prototype: a parameter named `__proto__` must be validated (and refused as
      // unknown), not swallowed by the object's prototype setter.
      const value = Object.create(null) as Record<string, unknown>;
      if (location === 'header') {
        // Only declared headers, looked up case-insensitively, kept under the contract's name.
        for (const { name } of params) {
          const header = raw.headers[name.toLowerCase()];
          if (header !== undefined) value[name] = header;
        }
        return value;
      }
      const source = location === 'path' ? raw.path : raw.query;
      for (const [name, text] of Object.entries(source)) {
        if (text === undefined) continue;
        value[name] = location === 'query' ? convertQueryValue(text, types.get(name)) : text;
      }
      return value;
    };

    return {
      body,
      validate(raw) {
        const errors: FieldError[] = [];
        const values: Partial<Record<Location, Record<string, unknown>>> = {};
        for (const { location, validate, params, types } of locations) {
          const value = valuesOf(location, params, types, raw);
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
        } as unknown as ContractRequest<Id>;
      },
    };
  };

  return {
    forOperation<Id extends ApiOperationId>(operationId: Id): OperationValidator<Id> {
      let validator = cache.get(operationId);
      if (!validator) {
        validator = prepare(operationId);
        cache.set(operationId, validator);
      }
      return validator as OperationValidator<Id>;
    },
  };
}
