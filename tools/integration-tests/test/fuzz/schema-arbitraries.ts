/**
 * JSON Schema → fast-check arbitraries, for the subset TAP's contract uses: objects with
 * `properties`/`required`/`additionalProperties`/`min`-`maxProperties`/`propertyNames`,
 * strings with lengths, patterns, enums and the `uuid`/`date-time`/`uri` formats, bounded
 * integers and numbers, booleans, null, arrays with `uniqueItems`, `oneOf` and `$ref`.
 *
 * {@link validValue} generates values the schema accepts and {@link invalidValue} values it
 * refuses. Both are checked with ajv against the same schema ({@link schemaValidator}), so a
 * value is never misfiled because the generator got a corner of JSON Schema wrong: the
 * generators only have to be good at reaching interesting values, not at being exact.
 */
import { documentModel, type JsonSchema } from '@tap/contracts';
import fc from 'fast-check';
import { schemaValidator } from '../support/contract';

const resolveSchema = (schema: JsonSchema): JsonSchema => documentModel.resolveSchema(schema);

const fromCodePoint = (code: number): string => String.fromCodePoint(code);
const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;

/**
 * One code point (or a lone surrogate) of the kinds that break things: mostly printable
 * ASCII, then control characters with NUL, right-to-left text and marks, astral
 * characters, the rest of the BMP, JSON and URL metacharacters, and lone surrogates,
 * which JSON can carry as escapes but UTF-8 cannot.
 */
const oddCharacter: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map(fromCodePoint) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map(fromCodePoint) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\u202e', '\u202d', '\u200f', '\u200e', '\u2067', 'ש', 'ع', 'ڪ'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map(fromCodePoint) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0x80, max: 0xffff })
      .filter((code) => !isSurrogate(code))
      .map(fromCodePoint),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"', '\\', '/', '%', '.', '\u0000', '\ufeff', '\u2028', '\ufffd'),
  },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
);

/** Strings of odd characters, `length` counted in code points as JSON Schema counts. */
export const oddString = (constraints: {
  readonly minLength?: number;
  readonly maxLength?: number;
}): fc.Arbitrary<string> => fc.string({ unit: oddCharacter, ...constraints });

const exactLength = (length: number): fc.Arbitrary<string> =>
  oddString({ minLength: length, maxLength: length });

/** Values of every JSON type, the extremes included, for "wrong type" mutations. */
const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    'x',
    '1',
    'null',
    'true',
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    1e-200,
    -1e-200,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    false,
    null,
    [],
    {},
    [null],
    { a: 1 },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

function typesOf(schema: JsonSchema): readonly string[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

/** Keeps at most `count` characters' worth of the default fast-check size for big bounds. */
const boundedMax = (min: number, max: number | undefined, spread: number): number =>
  Math.min(max ?? min + spread, min + spread);

/** A UUID in the spellings the `uuid` format accepts: lower, upper, `urn:uuid:` prefixed. */
const uuidValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
  { weight: 1, arbitrary: fc.uuid().map((id) => `urn:uuid:${id}`) },
);

/** Strings that look like UUIDs but are not: one character off, short, long, braced. */
export const nearUuid: fc.Arbitrary<string> = fc
  .tuple(fc.uuid(), fc.nat({ max: 35 }), fc.constantFrom('g', 'Z', '-', ' ', '\u0000', 'é', ''))
  .map(([id, index, replacement]) => `${id.slice(0, index)}${replacement}${id.slice(index + 1)}`)
  .chain((id) =>
    fc.constantFrom(id, `{${id}}`, `${id}0`, id.replaceAll('-', ''), ` ${id}`, `${id}\n`),
  );

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  switch (schema.format) {
    case 'uuid':
      return uuidValue;
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') })
        .map((date) => date.toISOString());
    case 'uri':
      return fc.webUrl();
  }
  const min = schema.minLength ?? 0;
  if (schema.pattern !== undefined) {
    // Lengths are left to the ajv filter: the contract's patterns are anchored and short.
    return fc.stringMatching(new RegExp(schema.pattern));
  }
  const variants: fc.WeightedArbitrary<string>[] = [
    {
      weight: 6,
      arbitrary: oddString({ minLength: min, maxLength: boundedMax(min, schema.maxLength, 24) }),
    },
    { weight: 1, arbitrary: exactLength(min) },
  ];
  if (schema.maxLength !== undefined) {
    variants.push({ weight: 1, arbitrary: exactLength(schema.maxLength) });
  }
  return fc.oneof(...variants);
}

function numberBounds(schema: JsonSchema): { readonly min: number; readonly max: number } {
  return {
    min: schema.minimum ?? -Number.MAX_SAFE_INTEGER,
    max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
  };
}

function validNumber(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const { min, max } = numberBounds(schema);
  const edges = [min, max, Math.min(Math.max(0, min), max)];
  const integers = fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) });
  if (integer) {
    return fc.oneof(
      { weight: 4, arbitrary: integers.map(Number) },
      { weight: 1, arbitrary: fc.constantFrom(...edges) },
    );
  }
  const tiny = [0.1, 1e-100, -1e-100, 1e-200, 5e-324, 1.5].filter(
    (value) => value >= min && value <= max,
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 2, arbitrary: integers.map(Number) },
    { weight: 1, arbitrary: fc.constantFrom(...edges, ...tiny) },
  );
}

/**
 * Property names worth trying besides the pattern's random ones: names that are special to
 * JavaScript objects, to DynamoDB expressions or to JSON Pointer.
 */
const SPECIAL_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a.b',
  ':a',
  '-',
  '_',
  '0',
  'id',
  'version',
  'x'.repeat(64),
];

function propertyName(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  if (schema === undefined) return oddString({ minLength: 1, maxLength: 12 });
  const matches = schemaValidator(schema);
  const special = SPECIAL_NAMES.filter(matches);
  const random = validString(resolveSchema(schema));
  return special.length === 0
    ? random
    : fc.oneof(
        { weight: 4, arbitrary: random },
        { weight: 1, arbitrary: fc.constantFrom(...special) },
      );
}

function validArray(schema: JsonSchema, depth: number): fc.Arbitrary<unknown[]> {
  const items = validValue(schema.items ?? {}, depth + 1);
  const min = schema.minItems ?? 0;
  const sized = (minLength: number, maxLength: number): fc.Arbitrary<unknown[]> =>
    schema.uniqueItems
      ? fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
      : fc.array(items, { minLength, maxLength });
  const variants: fc.WeightedArbitrary<unknown[]>[] = [
    { weight: 4, arbitrary: sized(min, boundedMax(min, schema.maxItems, 5)) },
  ];
  if (schema.maxItems !== undefined) {
    variants.push({ weight: 1, arbitrary: sized(schema.maxItems, schema.maxItems) });
  }
  return fc.oneof(...variants);
}

function validObject(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const known = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, validValue(property, depth + 1)]),
    ),
    { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
  );
  const additional = schema.additionalProperties;
  if (typeof additional !== 'object') return known;
  const maxKeys = schema.maxProperties ?? 8;
  const extra = (minKeys: number, keys: number): fc.Arbitrary<Record<string, unknown>> =>
    fc.dictionary(propertyName(schema.propertyNames), validValue(additional, depth + 1), {
      minKeys,
      maxKeys: keys,
    });
  return fc
    .tuple(
      known,
      fc.oneof(
        { weight: 5, arbitrary: extra(0, Math.min(maxKeys, 6)) },
        { weight: 1, arbitrary: extra(maxKeys, maxKeys) },
      ),
    )
    .map(([fixed, dynamic]) => ({ ...dynamic, ...fixed }));
}

/**
 * Values `schema` accepts. Generated from the schema's keywords, then kept only if ajv
 * agrees, so every value is valid for certain.
 */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema);
  const matches = schemaValidator(schema);
  return rawValidValue(resolved, depth).filter(matches);
}

function rawValidValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((branch) => validValue(branch, depth)));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => validValue(branch, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => rawValidValue({ ...schema, type }, depth)));
  }
  switch (types[0]) {
    case 'string':
      return validString(schema);
    case 'integer':
      return validNumber(schema, true);
    case 'number':
      return validNumber(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return validArray(schema, depth);
    case 'object':
      return validObject(schema, depth);
    default:
      // No type: anything goes (the contract does not use this for request values).
      return anyJsonValue;
  }
}

function invalidStrings(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const variants: fc.Arbitrary<unknown>[] = [];
  const min = schema.minLength ?? 0;
  if (min > 0) variants.push(exactLength(min - 1));
  if (schema.maxLength !== undefined) {
    variants.push(exactLength(schema.maxLength + 1));
    // Over the limit in code points but each one astral: 4 bytes in UTF-8, 2 units in UTF-16.
    variants.push(
      fc.string({
        unit: fc.integer({ min: 0x10000, max: 0x10ffff }).map(fromCodePoint),
        minLength: schema.maxLength + 1,
        maxLength: schema.maxLength + 1,
      }),
    );
  }
  if (schema.pattern !== undefined || schema.enum !== undefined || schema.format !== undefined) {
    variants.push(oddString({ maxLength: 40 }));
  }
  if (schema.format === 'uuid') variants.push(nearUuid);
  return variants;
}

function invalidNumbers(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown>[] {
  const candidates: number[] = [1e308, -1e308];
  if (schema.minimum !== undefined) candidates.push(schema.minimum - 1, schema.minimum - 1e-9);
  if (schema.maximum !== undefined) candidates.push(schema.maximum + 1, schema.maximum * 10);
  if (integer) candidates.push(1.5, 1e-200, (schema.maximum ?? 10) - 0.5);
  return [fc.constantFrom(...candidates)];
}

function invalidArrays(schema: JsonSchema, depth: number): fc.Arbitrary<unknown>[] {
  const items = schema.items ?? {};
  const variants: fc.Arbitrary<unknown>[] = [];
  if (schema.maxItems !== undefined) {
    variants.push(
      fc.uniqueArray(validValue(items, depth + 1), {
        minLength: schema.maxItems + 1,
        maxLength: schema.maxItems + 1,
        selector: (value) => JSON.stringify(value),
      }),
    );
  }
  if (schema.uniqueItems)
    variants.push(validValue(items, depth + 1).map((value) => [value, value]));
  variants.push(
    fc
      .tuple(
        fc.array(validValue(items, depth + 1), { maxLength: 3 }),
        invalidValue(items, depth + 1),
      )
      .map(([valid, invalid]) => [...valid, invalid]),
  );
  return variants;
}

function invalidObjects(schema: JsonSchema, depth: number): fc.Arbitrary<unknown>[] {
  const base = rawValidValue(schema, depth + 1) as fc.Arbitrary<Record<string, unknown>>;
  const properties = Object.entries(schema.properties ?? {});
  const variants: fc.Arbitrary<unknown>[] = [];
  for (const name of schema.required ?? []) {
    variants.push(
      base.map((value) =>
        Object.fromEntries(Object.entries(value).filter(([key]) => key !== name)),
      ),
    );
  }
  if (schema.additionalProperties === false) {
    variants.push(
      fc
        .tuple(base, oddString({ minLength: 1, maxLength: 12 }), anyJsonValue)
        .map(([value, key, extra]) => ({ ...value, [key]: extra })),
    );
  }
  for (const [name, property] of properties) {
    variants.push(
      fc
        .tuple(base, invalidValue(property, depth + 1))
        .map(([value, wrong]) => ({ ...value, [name]: wrong })),
    );
  }
  const additional = schema.additionalProperties;
  if (typeof additional === 'object') {
    const names = propertyName(schema.propertyNames);
    variants.push(
      fc
        .tuple(base, names, invalidValue(additional, depth + 1))
        .map(([value, key, wrong]) => ({ ...value, [key]: wrong })),
    );
    if (schema.propertyNames !== undefined) {
      variants.push(
        fc
          .tuple(
            base,
            invalidValue(schema.propertyNames, depth + 1),
            validValue(additional, depth + 1),
          )
          .map(([value, key, extra]) => ({
            ...value,
            [typeof key === 'string' ? key : JSON.stringify(key)]: extra,
          })),
      );
    }
    if (schema.maxProperties !== undefined) {
      variants.push(
        fc.dictionary(names, validValue(additional, depth + 1), {
          minKeys: schema.maxProperties + 1,
          maxKeys: schema.maxProperties + 1,
        }),
      );
    }
  }
  if (schema.minProperties !== undefined && schema.minProperties > 0)
    variants.push(fc.constant({}));
  return variants;
}

/**
 * Values `schema` refuses: wrong types and extreme numbers, lengths one past each bound,
 * pattern and format misses, missing required and unknown properties, one bad property or
 * item inside an otherwise valid value, too many items or properties, duplicates. Kept only
 * if ajv agrees the value is invalid.
 */
export function invalidValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema);
  const matches = schemaValidator(schema);
  const variants: fc.Arbitrary<unknown>[] = [anyJsonValue];
  // Nested mutations stop at a small depth: deeper values are only reached through them.
  if (depth < 4) {
    const branches = resolved.oneOf ?? resolved.anyOf;
    const types = typesOf(resolved);
    if (branches) {
      // A value that fits no branch: a wrong type, or a broken value of some branch's type.
      for (const branch of branches) variants.push(invalidValue(branch, depth + 1));
    }
    for (const type of types) {
      if (type === 'string') variants.push(...invalidStrings(resolved));
      if (type === 'integer') variants.push(...invalidNumbers(resolved, true));
      if (type === 'number') variants.push(...invalidNumbers(resolved, false));
      if (type === 'array') variants.push(...invalidArrays(resolved, depth));
      if (type === 'object') variants.push(...invalidObjects(resolved, depth));
    }
  }
  return fc.oneof(...variants).filter((value) => !matches(value));
}
