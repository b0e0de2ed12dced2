/**
 * Rules on attribute values that the contract's schema cannot state but storage needs.
 * Breaking one is a 400 `validation-failed`, the same as a schema violation.
 */
import { escapePointer } from '@tap/contracts';
import type { FieldError } from './errors';
import { ValidationError } from './errors';

/** Smallest non-zero magnitude accepted. DynamoDB rejects numbers below 1e-130 in magnitude. */
export const MIN_NON_ZERO_MAGNITUDE = 1e-100;

/**
 * Keys the AWS SDK's (un)marshalling turns into an object's prototype instead of a key, so
 * they could never be read back.
 */
const RESERVED_KEYS = new Set(['__proto__']);

/**
 * Checks every attribute key and value of a create body or a merge patch.
 *
 * @param attributes the body's `attributes` (values may be `null` in a patch)
 * @param pointer JSON Pointer of `attributes` in the request, such as `/body/attributes`
 * @throws ValidationError naming each offending key.
 */
export function assertStorableAttributes(
  attributes: Readonly<Record<string, unknown>> | null | undefined,
  pointer: string,
): void {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const path = `${pointer}/${escapePointer(key)}`;
    if (RESERVED_KEYS.has(key)) {
      errors.push({ path, message: 'is a reserved attribute name' });
    } else if (
      typeof value === 'number' &&
      value !== 0 &&
      Math.abs(value) < MIN_NON_ZERO_MAGNITUDE
    ) {
      errors.push({ path, message: 'must be 0 or at least 1e-100 in magnitude' });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
}
