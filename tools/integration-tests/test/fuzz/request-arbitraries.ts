/**
 * Requests generated from the contract, each filed with what the API must answer:
 *
 * - `accept`: every part is valid for the contract. The API must serve it, or answer one of
 *   the few refusals its README documents for valid values (a 404 for an item that does not
 *   exist, 412 for a stale `If-Match`, the storage-imposed 400s and 413s).
 * - `reject`: exactly one part breaks the contract (a path, query or header parameter, the
 *   body's schema, syntax, media type or size). The API must refuse it with the problem type
 *   that part calls for, and store nothing.
 * - `unauthorized`: no key or a wrong one. The gateway must answer 401 whatever else the
 *   request holds.
 *
 * Values are classified by ajv as the server will see them: after the header trimming of
 * HTTP and with lone surrogates in URLs replaced (they have no UTF-8 form).
 */
import {
  API_KEY_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IF_MATCH_PATTERN,
  MAX_REQUEST_BODY_BYTES,
  ProblemTypes,
  type OperationModel,
  type ParameterModel,
  type ProblemType,
} from '@tap/contracts';
import fc from 'fast-check';
import { schemaValidator } from '../support/contract';
import { invalidValue, nearUuid, oddString, validValue } from './schema-arbitraries';

/** What the fuzzer set up before generating requests. */
export interface FuzzFixtures {
  /** A machine key of the fuzzed tenant. */
  readonly apiKey: string;
  /**
   * A user's access token in the same tenant, when the target mints them (the local cloud):
   * valid requests then carry either credential, and bad tokens join the bad keys.
   */
  readonly userToken?: string;
  /** Items that exist for the whole run (valid writes may change them, nothing deletes them). */
  readonly seedItems: readonly string[];
  /** Uploaded files, on at least two different seed items. */
  readonly seedFiles: readonly {
    readonly itemId: string;
    readonly fileId: string;
    readonly fileName: string;
  }[];
  /** An item with a file that only refused requests may touch: it must never change. */
  readonly witness: { readonly itemId: string; readonly fileId: string };
  /** Cursors the API issued. */
  readonly cursors: readonly string[];
  /** Largest upload the API issues URLs for. */
  readonly maxUploadBytes: number;
}

/** Which item and file a request is about, and whether they exist. */
export interface Subject {
  readonly label: string;
  readonly itemId?: string;
  readonly fileId?: string;
  /** Created by the runner just before sending: `item` (a new item), `file` (a new upload). */
  readonly fresh?: 'item' | 'file';
  readonly itemExists: boolean;
  readonly fileExists: boolean;
  /** The name the file was uploaded under, when it is a seed file. */
  readonly fileName?: string;
  readonly witness: boolean;
}

/** What the API must answer. */
export type Expectation =
  | { readonly kind: 'accept' }
  | {
      readonly kind: 'reject';
      /** Which part was broken, and how. */
      readonly part: string;
      readonly status: 400 | 413 | 415;
      readonly problems: readonly ProblemType[];
    }
  | { readonly kind: 'unauthorized'; readonly key: string };

/** A generated request, before its subject is resolved to real ids. */
export interface FuzzCase {
  readonly operation: OperationModel;
  readonly subject: Subject;
  /** Path parameter values other than the subject's `id` and `fileId`. */
  readonly pathValues: Readonly<Record<string, string>>;
  /** Decoded query pairs, in order (a name may repeat). */
  readonly query: readonly (readonly [string, string])[];
  /** Headers, names as sent; the API key is added per {@link Expectation}. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
  /** The body as JSON, when it is valid JSON the API will read. */
  readonly bodyValue?: unknown;
  readonly expectation: Expectation;
}

/** A request ready to send, with the ids it names. */
export interface ConcreteRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
}

/**
 * A generated value as parameter text: strings as they are, anything else as JSON (never
 * `String()`, which throws on objects with an own `toString` that is not a function).
 */
const asText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

const IF_MATCH = new RegExp(IF_MATCH_PATTERN, 'u');

/** Whether a value is `"N"` or `W/"N"`: an entity tag the contract's `If-Match` allows, not `*`. */
export const isVersionTag = (value: string): boolean => value !== '*' && IF_MATCH.test(value);

const TEXT_TRUNCATION = 400;

const truncate = (text: string): string =>
  text.length > TEXT_TRUNCATION
    ? `${text.slice(0, TEXT_TRUNCATION)}… (${text.length} characters)`
    : text;

/** Lone surrogates have no UTF-8 form; a URL carries U+FFFD in their place. */
const wellFormed = (text: string): string => text.replace(/\p{Surrogate}/gu, '\ufffd');

/**
 * What the server reads from a header value: Node's client sends only tab and Latin-1
 * characters (anything else is replaced here), and HTTP strips surrounding whitespace.
 */
const headerValue = (text: string): string =>
  text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').replace(/^[\t ]+|[\t ]+$/g, '');

/** Path with `{name}` segments replaced by percent-encoded values. */
export function buildPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(wellFormed(values[name] ?? '')),
  );
}

/**
 * Whether a value still fits a request line once percent-encoded. Gateways refuse longer
 * request lines before any route runs (API Gateway at 10 KB, Node at 16 KB, with 431),
 * which says nothing about the contract.
 */
const fitsInUrl = (text: string): boolean => encodeURIComponent(wellFormed(text)).length <= 6000;

/** `?a=1&b=2`, or '' without pairs. */
export function buildQuery(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  const encode = (text: string): string => encodeURIComponent(wellFormed(text));
  return `?${pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')}`;
}

const bodyBytes = (body: string | Uint8Array | undefined): number =>
  body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;

/** Whether the API will refuse the body for its size alone. */
export const isOversized = (body: string | Uint8Array | undefined): boolean =>
  bodyBytes(body) > MAX_REQUEST_BODY_BYTES;

function describeBody(body: string | Uint8Array | undefined): string {
  if (body === undefined) return '(no body)';
  if (typeof body !== 'string') return `bytes ${Buffer.from(body).toString('hex').slice(0, 200)}`;
  return truncate(JSON.stringify(body));
}

/** A readable, copyable description of a request, for failure reports. */
export function describeRequest(request: ConcreteRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `  ${name}: ${truncate(JSON.stringify(value))}`)
    .join('\n');
  return [
    `${request.method} ${truncate(request.path)}`,
    headers,
    `  body (${bodyBytes(request.body)} bytes): ${describeBody(request.body)}`,
  ].join('\n');
}

function describeCase(fuzzCase: FuzzCase): string {
  const { operation, subject, expectation } = fuzzCase;
  const expected =
    expectation.kind === 'reject'
      ? `reject (${expectation.part}) with ${expectation.status} ${expectation.problems.join(' | ')}`
      : expectation.kind;
  return [
    `${operation.operationId} on ${subject.label}, expecting ${expected}`,
    describeRequest({
      method: operation.method,
      path:
        buildPath(operation.path, {
          ...fuzzCase.pathValues,
          id: subject.itemId ?? '<fresh>',
          fileId: subject.fileId ?? '<fresh>',
        }) + buildQuery(fuzzCase.query),
      headers: fuzzCase.headers,
      ...(fuzzCase.body === undefined ? {} : { body: fuzzCase.body }),
    }),
  ].join('\n');
}

/** Makes fast-check print the request, not the object graph, in counterexamples. */
function printable(fuzzCase: FuzzCase): FuzzCase {
  return Object.assign(fuzzCase, { [fc.toStringMethod]: () => describeCase(fuzzCase) });
}

// ---------------------------------------------------------------------------------------
// Subjects: which item and file a request names.

const missingSubject = (label: string, itemId: string, fileId?: string): Subject => ({
  label,
  itemId,
  ...(fileId === undefined ? {} : { fileId }),
  itemExists: false,
  fileExists: false,
  witness: false,
});

/** A UUID in any spelling the format accepts, of an item that does not exist. */
const missingId = validValue({ type: 'string', format: 'uuid' }).map(asText);

function subjects(
  operation: OperationModel,
  fixtures: FuzzFixtures,
  refused: boolean,
): fc.Arbitrary<Subject> {
  const names = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const writes = operation.method !== 'GET' && operation.method !== 'POST';
  const witnessItem: Subject = {
    label: 'the witness item',
    itemId: fixtures.witness.itemId,
    fileId: fixtures.witness.fileId,
    itemExists: true,
    fileExists: true,
    witness: true,
  };
  const seedItem = fc.constantFrom(...fixtures.seedItems).map((itemId): Subject => ({
    label: `seed item ${itemId}`,
    itemId,
    itemExists: true,
    fileExists: false,
    witness: false,
  }));
  if (!names.has('id')) {
    return fc.constant({ label: 'no item', itemExists: true, fileExists: true, witness: false });
  }
  if (!names.has('fileId')) {
    // Refused writes go to the witness, whose every change is a defect; accepted deletes
    // go to an item made for the purpose, so the seeds outlive the run.
    const existing =
      writes && refused
        ? fc.constant(witnessItem)
        : operation.method === 'DELETE'
          ? fc.constant<Subject>({
              label: 'a fresh item',
              fresh: 'item',
              itemExists: true,
              fileExists: false,
              witness: false,
            })
          : seedItem;
    return fc.oneof(
      { weight: 3, arbitrary: existing },
      { weight: 1, arbitrary: missingId.map((id) => missingSubject(`missing item ${id}`, id)) },
    );
  }
  const ownFile = fc.constantFrom(...fixtures.seedFiles).map((file): Subject => ({
    label: `seed file ${file.fileId} of item ${file.itemId}`,
    itemId: file.itemId,
    fileId: file.fileId,
    fileName: file.fileName,
    itemExists: true,
    fileExists: true,
    witness: false,
  }));
  const existingFile =
    writes && refused
      ? fc.constant(witnessItem)
      : operation.method === 'DELETE'
        ? fc.constant<Subject>({
            label: 'a fresh upload',
            fresh: 'file',
            itemExists: true,
            fileExists: true,
            witness: false,
          })
        : ownFile;
  // Another item's file must be as invisible as a file that never existed.
  const foreignFile = fc
    .tuple(fc.constantFrom(...fixtures.seedFiles), fc.constantFrom(...fixtures.seedItems))
    .filter(([file, itemId]) => file.itemId !== itemId)
    .map(([file, itemId]): Subject => ({
      label: `item ${itemId} asking for file ${file.fileId} of item ${file.itemId}`,
      itemId,
      fileId: file.fileId,
      itemExists: true,
      fileExists: false,
      witness: false,
    }));
  const unknownFile = fc.tuple(seedItem, fc.uuid()).map(([item, fileId]): Subject => ({
    ...item,
    label: `${item.label} with unknown file ${fileId}`,
    fileId,
  }));
  return fc.oneof(
    { weight: 3, arbitrary: existingFile },
    { weight: 1, arbitrary: foreignFile },
    { weight: 1, arbitrary: unknownFile },
    {
      weight: 1,
      arbitrary: fc
        .tuple(missingId, fc.uuid())
        .map(([itemId, fileId]) => missingSubject(`missing item ${itemId}`, itemId, fileId)),
    },
  );
}

// ---------------------------------------------------------------------------------------
// Valid parts.

interface Parts {
  readonly subject: Subject;
  readonly pathValues: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
  readonly bodyValue?: unknown;
}

function validQueryValue(parameter: ParameterModel, fixtures: FuzzFixtures): fc.Arbitrary<string> {
  const matches = schemaValidator(parameter.schema);
  const fromSchema = validValue(parameter.schema)
    .map(asText)
    .map(wellFormed)
    .filter((text) => matches(parameter.schema.type === 'integer' ? Number(text) : text));
  // The API converts a query integer only from plain digits ("05" is 5, "5.0" is not).
  if (parameter.schema.type === 'integer') {
    return fromSchema.filter((text) => /^-?\d+$/.test(text));
  }
  if (parameter.name === 'cursor') return fc.constantFrom(...fixtures.cursors);
  return fromSchema;
}

/**
 * The query parameters a valid request may carry. A file list's cursor is bound to the one
 * item whose list issued it, and the subject is chosen after the query: a valid
 * `listItemFiles` request carries none (forged and broken ones still do).
 */
const validQueryParameters = (operation: OperationModel): ParameterModel[] =>
  operation.parameters.filter(
    (parameter) =>
      parameter.in === 'query' &&
      !(operation.operationId === 'listItemFiles' && parameter.name === 'cursor'),
  );

function validQuery(
  operation: OperationModel,
  fixtures: FuzzFixtures,
): fc.Arbitrary<readonly (readonly [string, string])[]> {
  const parameters = validQueryParameters(operation);
  if (parameters.length === 0) return fc.constant([]);
  return fc
    .tuple(
      ...parameters.map((parameter) =>
        fc.option(
          validQueryValue(parameter, fixtures).map((value) => [parameter.name, value] as const),
          { nil: undefined },
        ),
      ),
    )
    .map((pairs) => pairs.filter((pair): pair is readonly [string, string] => pair !== undefined));
}

function validHeaderValue(parameter: ParameterModel): fc.Arbitrary<string> {
  const matches = schemaValidator(parameter.schema);
  const fromSchema = validValue(parameter.schema).map(asText).map(headerValue).filter(matches);
  // A key stands for one logical write: reused for another body it is rightly refused (422),
  // so valid requests make theirs unique, as clients do.
  if (parameter.name.toLowerCase() === IDEMPOTENCY_KEY_HEADER) {
    return fc
      .tuple(fc.uuid(), fromSchema)
      .map(([unique, tail]) => `${unique}${tail}`.slice(0, 255));
  }
  if (parameter.name.toLowerCase() !== 'if-match') return fromSchema;
  // Valid for the schema and meaningful for the API: entity tags of real versions, `*`.
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('*', '"1"', 'W/"1"', '"2"', '"3"', '"999999"') },
    { weight: 1, arbitrary: fromSchema },
  );
}

function validHeaders(operation: OperationModel): fc.Arbitrary<Readonly<Record<string, string>>> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'header');
  return fc.record(
    Object.fromEntries(
      parameters.map((parameter) => [parameter.name, validHeaderValue(parameter)]),
    ),
    { requiredKeys: parameters.filter((p) => p.required).map((p) => p.name) },
  );
}

const JSON_MEDIA_VARIANTS = ['application/json; charset=utf-8', 'application/json;charset=UTF-8'];

function validBody(
  operation: OperationModel,
): fc.Arbitrary<{ body?: string; bodyValue?: unknown; contentType?: string }> {
  const declared = operation.requestBody;
  if (declared === undefined) return fc.constant({});
  const present = fc
    .tuple(
      validValue(declared.schema),
      fc.constantFrom(...declared.mediaTypes, ...JSON_MEDIA_VARIANTS),
    )
    .map(([value, contentType]) => ({
      body: JSON.stringify(value),
      bodyValue: value,
      contentType,
    }));
  return declared.required ? present : fc.oneof(present, fc.constant({}));
}

/** Headers nobody asked for, on every request: they must change nothing. */
const noiseHeaders: fc.Arbitrary<Readonly<Record<string, string>>> = fc.record(
  {
    'X-Fuzz': oddString({ maxLength: 30 }).map(headerValue),
    Accept: fc.constantFrom('*/*', 'application/xml', 'text/html', 'application/problem+json', '?'),
    'X-Forwarded-For': fc.constantFrom('10.0.0.1', '999.1.1.1', 'evil, 1.2.3.4', ''),
    Origin: fc.constantFrom('http://localhost:3000', 'http://evil.example', 'null'),
    Cookie: fc.constantFrom('a=b', 'session=; path=/', '=='),
  },
  { requiredKeys: [] },
);

/** Item and file ids come from the subject; any other path parameter from its schema. */
const SUBJECT_PARAMETERS = new Set(['id', 'fileId']);

function otherPathValues(operation: OperationModel): fc.Arbitrary<Record<string, string>> {
  const others = operation.parameters.filter(
    (parameter) => parameter.in === 'path' && !SUBJECT_PARAMETERS.has(parameter.name),
  );
  return fc.record(
    Object.fromEntries(
      others.map((parameter) => {
        const matches = schemaValidator(parameter.schema);
        const value = validValue(parameter.schema)
          .map(asText)
          .map(wellFormed)
          .filter((text) => text.length > 0 && matches(text));
        return [parameter.name, value];
      }),
    ),
  );
}

function validParts(
  operation: OperationModel,
  fixtures: FuzzFixtures,
  refused: boolean,
): fc.Arbitrary<Parts> {
  return fc
    .record({
      subject: subjects(operation, fixtures, refused),
      pathValues: otherPathValues(operation),
      query: validQuery(operation, fixtures),
      headers: validHeaders(operation),
      noise: noiseHeaders,
      body: validBody(operation),
      // A body on an operation that takes none is ignored; it must not break anything.
      strayBody: fc.option(
        fc.tuple(oddString({ maxLength: 40 }), fc.constantFrom('text/plain', 'application/json')),
        { nil: undefined, freq: 8 },
      ),
    })
    .map(({ subject, pathValues, query, headers, noise, body, strayBody }): Parts => {
      const contentType =
        body.contentType ?? (operation.requestBody === undefined ? strayBody?.[1] : undefined);
      const text = body.body ?? (operation.requestBody === undefined ? strayBody?.[0] : undefined);
      return {
        subject,
        pathValues,
        query,
        headers: {
          ...noise,
          ...headers,
          ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
        },
        ...(text === undefined || text === '' ? {} : { body: text }),
        ...('bodyValue' in body ? { bodyValue: body.bodyValue } : {}),
      };
    });
}

// ---------------------------------------------------------------------------------------
// Broken parts: each returns the parts with one thing wrong and what the API must say.

interface Broken {
  readonly parts: Parts;
  readonly part: string;
  readonly status: 400 | 413 | 415;
  readonly problems: readonly ProblemType[];
}

const validationFailed = [ProblemTypes.validationFailed];

/**
 * What the API answers a request broken in `part`. The body's size is checked right after
 * its media type, before anything else, so an oversized body turns a 400 into a 413.
 */
function refusal(
  parts: Parts,
  part: string,
  status: 400 | 415,
  problems: readonly ProblemType[],
): Broken {
  if (status !== 415 && isOversized(parts.body)) {
    return { parts, part, status: 413, problems: [ProblemTypes.payloadTooLarge] };
  }
  return { parts, part, status, problems };
}

function brokenPath(operation: OperationModel): fc.Arbitrary<(parts: Parts) => Broken>[] {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  return parameters.map((parameter) => {
    const matches = schemaValidator(parameter.schema);
    const value = fc
      .oneof(
        nearUuid,
        oddString({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('..', '.', '%', '%00', '\u0000', ' ', 'null', '0', '-1', '*', '/'),
        fc.constantFrom('a'.repeat(300), '0'.repeat(36)),
      )
      .map(wellFormed)
      .filter((text) => text.length > 0 && !matches(text));
    return value.map((text) => (parts: Parts): Broken => {
      if (!SUBJECT_PARAMETERS.has(parameter.name)) {
        return refusal(
          { ...parts, pathValues: { ...parts.pathValues, [parameter.name]: text } },
          `path ${parameter.name}`,
          400,
          validationFailed,
        );
      }
      const subject: Subject = {
        ...parts.subject,
        label: `invalid ${parameter.name} ${JSON.stringify(text)}`,
        ...(parameter.name === 'id' ? { itemId: text } : {}),
        ...(parameter.name === 'fileId' ? { fileId: text } : {}),
        fresh: undefined,
        witness: false,
      };
      // A fresh subject would have named the other parameter; keep it a real value.
      const filled: Subject = {
        ...subject,
        itemId: subject.itemId ?? '00000000-0000-4000-8000-000000000000',
        fileId: subject.fileId ?? '00000000-0000-4000-8000-000000000000',
      };
      return refusal(
        { ...parts, subject: filled },
        `path ${parameter.name}`,
        400,
        validationFailed,
      );
    });
  });
}

/**
 * Cursors the API did not issue: an issued one with a character flipped, cut short or
 * extended, and well-formed look-alikes (version byte, 32 bytes of MAC, a JSON key) that no
 * key signed.
 */
function forgedCursor(issued: readonly string[]): fc.Arbitrary<string> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const real = fc.constantFrom(...issued);
  return fc.oneof(
    fc.tuple(real, fc.nat(), fc.constantFrom(...alphabet)).map(([cursor, index, character]) => {
      const at = index % cursor.length;
      const replacement = cursor[at] === character ? (character === 'A' ? 'B' : 'A') : character;
      return `${cursor.slice(0, at)}${replacement}${cursor.slice(at + 1)}`;
    }),
    fc.tuple(real, fc.integer({ min: 1, max: 20 })).map(([cursor, cut]) => cursor.slice(0, -cut)),
    fc
      .tuple(real, fc.constantFrom('A', 'AA', '=', '.'))
      .map(([cursor, tail]) => `${cursor}${tail}`),
    fc
      .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uuid(), fc.constantFrom(0, 1, 2))
      .map(([mac, id, version]) =>
        Buffer.concat([
          Buffer.from([version]),
          Buffer.from(mac),
          Buffer.from(JSON.stringify({ k: { id } })),
        ]).toString('base64url'),
      ),
    fc
      .uint8Array({ minLength: 1, maxLength: 120 })
      .map((bytes) => Buffer.from(bytes).toString('base64url')),
    oddString({ minLength: 1, maxLength: 60 }).map(wellFormed),
  );
}

function brokenQuery(
  operation: OperationModel,
  fixtures: FuzzFixtures,
): fc.Arbitrary<(parts: Parts) => Broken>[] {
  const declared = operation.parameters.filter((parameter) => parameter.in === 'query');
  const variants: fc.Arbitrary<(parts: Parts) => Broken>[] = [];
  for (const parameter of declared) {
    const matches = schemaValidator(parameter.schema);
    const typed = (text: string): unknown =>
      parameter.schema.type === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text;
    const issued = new Set(fixtures.cursors);
    /**
     * Sets the parameter's values (HTTP APIs join repeated ones with a comma) and files the
     * request: a value the schema refuses is a validation failure; a cursor the schema
     * allows but the API never issued is an invalid cursor.
     */
    const withValues = (parts: Parts, values: readonly string[], part: string): Broken => {
      const joined = values.join(',');
      const query = [
        ...parts.query.filter(([name]) => name !== parameter.name),
        ...values.map((value) => [parameter.name, value] as const),
      ];
      if (!matches(typed(joined))) return refusal({ ...parts, query }, part, 400, validationFailed);
      if (parameter.name === 'cursor' && !issued.has(joined)) {
        return refusal({ ...parts, query }, part, 400, [ProblemTypes.invalidCursor]);
      }
      throw new Error(`the fuzzer broke ${parameter.name} with a valid value ${joined}`);
    };
    const value = fc
      .oneof(
        invalidValue(parameter.schema).map(asText),
        fc.constantFrom('', ' 5', '+5', '1.5', '1e308', '-1e308', 'abc', '0x10', 'NaN', '１'),
      )
      .map(wellFormed)
      .filter((text) => !matches(typed(text)) && fitsInUrl(text));
    variants.push(
      value.map((text) => (parts: Parts) => withValues(parts, [text], `query ${parameter.name}`)),
      // Twice the same parameter.
      fc.constant((parts: Parts) => withValues(parts, ['5', '6'], `query ${parameter.name} twice`)),
    );
    if (parameter.name === 'cursor') {
      variants.push(
        forgedCursor(fixtures.cursors)
          .filter((cursor) => matches(cursor) && !issued.has(cursor))
          .map((cursor) => (parts: Parts) => withValues(parts, [cursor], 'forged cursor')),
      );
    }
  }
  const known = new Set(declared.map((parameter) => parameter.name));
  // Unknown query parameters are refused (README); the key is no exception.
  const unknownName = fc
    .oneof(
      fc.constantFrom(API_KEY_HEADER, 'LIMIT', 'Limit', 'limit[]', 'offset', 'id', '__proto__'),
      oddString({ minLength: 1, maxLength: 12 }).map(wellFormed),
    )
    .filter((name) => !known.has(name) && name.length > 0);
  variants.push(
    fc.tuple(unknownName, oddString({ maxLength: 20 })).map(
      ([name, value]) =>
        (parts: Parts) =>
          refusal(
            { ...parts, query: [...parts.query, [name, value]] },
            `unknown query ${name}`,
            400,
            validationFailed,
          ),
    ),
    // A long query string: the request line stays under the gateway's header limits.
    fc.integer({ min: 100, max: 400 }).map(
      (count) => (parts: Parts) =>
        refusal(
          {
            ...parts,
            query: [
              ...parts.query,
              ...Array.from({ length: count }, (_, index) => [`p${index}`, 'v'] as const),
            ],
          },
          `long query (${count} parameters)`,
          400,
          validationFailed,
        ),
    ),
  );
  return variants;
}

function brokenHeaders(operation: OperationModel): fc.Arbitrary<(parts: Parts) => Broken>[] {
  return operation.parameters
    .filter((parameter) => parameter.in === 'header')
    .map((parameter) => {
      const matches = schemaValidator(parameter.schema);
      return fc
        .oneof(
          invalidValue(parameter.schema).map(asText),
          fc.constantFrom('', ' ', '"1"'.repeat(40)),
          oddString({ minLength: 101, maxLength: 140 }),
        )
        .map(headerValue)
        .filter((text) => !matches(text))
        .map(
          (text) => (parts: Parts) =>
            refusal(
              { ...parts, headers: { ...parts.headers, [parameter.name]: text } },
              `header ${parameter.name}`,
              400,
              validationFailed,
            ),
        );
    });
}

/** Texts that are not JSON, sent as JSON. Invalid UTF-8 stays unparseable after decoding. */
const notJson: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom<string | Uint8Array>(
    '{"name": ',
    '{',
    '}',
    'nul',
    '[1,]',
    "{'name':'x'}",
    '{"name":"x"}}',
    'NaN',
    '\u0000',
    '{"name":"x",}',
    Uint8Array.from([0x7b, 0xff, 0xfe]),
    Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0xc3]),
  ),
  oddString({ minLength: 1, maxLength: 60 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return text.trim().length > 0;
    }
  }),
);

const UNSUPPORTED_MEDIA_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=iso-8859-1',
  'application/jsonx',
  'json',
  'application/json, text/plain',
  '',
];

function brokenBody(operation: OperationModel): fc.Arbitrary<(parts: Parts) => Broken>[] {
  const declared = operation.requestBody;
  if (declared === undefined) return [];
  const jsonType = fc.constantFrom(...declared.mediaTypes);
  const variants: fc.Arbitrary<(parts: Parts) => Broken>[] = [
    fc
      .tuple(invalidValue(declared.schema), jsonType)
      .map(([value, contentType]) => (parts: Parts) => {
        const body = JSON.stringify(value);
        return refusal(
          {
            ...parts,
            headers: { ...parts.headers, 'Content-Type': contentType },
            body,
            bodyValue: value,
          },
          'body schema',
          400,
          validationFailed,
        );
      }),
    fc.tuple(notJson, jsonType).map(
      ([body, contentType]) =>
        (parts: Parts) =>
          refusal(
            {
              ...withoutBodyValue(parts),
              headers: { ...parts.headers, 'Content-Type': contentType },
              body,
            },
            'body syntax',
            400,
            [ProblemTypes.malformedJson],
          ),
    ),
    fc.constantFrom(...UNSUPPORTED_MEDIA_TYPES, undefined).map((contentType) => (parts: Parts) => {
      const headers = Object.fromEntries(
        Object.entries(parts.headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
      );
      // Bytes, so nothing adds a content type of its own.
      const body = Buffer.from(typeof parts.body === 'string' ? parts.body : '{"name":"x"}');
      return refusal(
        {
          ...withoutBodyValue(parts),
          headers:
            contentType === undefined ? headers : { ...headers, 'Content-Type': contentType },
          body: new Uint8Array(body),
        },
        `media type ${JSON.stringify(contentType ?? null)}`,
        415,
        [ProblemTypes.unsupportedMediaType],
      );
    }),
    fc.constant((parts: Parts) =>
      refusal(without(withoutBodyValue(parts), 'body'), 'no body', 400, validationFailed),
    ),
    fc
      .integer({ min: MAX_REQUEST_BODY_BYTES + 1, max: MAX_REQUEST_BODY_BYTES + 4096 })
      .map((size) => (parts: Parts) => {
        const body = JSON.stringify({ name: 'x'.repeat(size) });
        return {
          parts: {
            ...withoutBodyValue(parts),
            headers: { ...parts.headers, 'Content-Type': 'application/json' },
            body,
          },
          part: `body of ${Buffer.byteLength(body)} bytes`,
          status: 413,
          problems: [ProblemTypes.payloadTooLarge],
        };
      }),
  ];
  return variants;
}

/** A copy of `parts` without one of its optional entries. */
function without(parts: Parts, key: 'body' | 'bodyValue'): Parts {
  const copy: { -readonly [K in keyof Parts]: Parts[K] } = { ...parts };
  delete copy[key];
  return copy;
}

const withoutBodyValue = (parts: Parts): Parts => without(parts, 'bodyValue');

// ---------------------------------------------------------------------------------------
// The request arbitrary of one operation.

/** A credential a request carries: header name and value(s). */
interface Credential {
  readonly label: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
}

/** The valid credentials of the fuzzed tenant: its machine key, and a user's token if any. */
function validCredentials(fixtures: FuzzFixtures): fc.Arbitrary<Credential> {
  const key: Credential = { label: 'machine key', headers: { [API_KEY_HEADER]: fixtures.apiKey } };
  if (fixtures.userToken === undefined) return fc.constant(key);
  const token: Credential = {
    label: 'user token',
    headers: { authorization: `Bearer ${fixtures.userToken}` },
  };
  return fc.constantFrom(key, token);
}

/**
 * Tokens that must be refused: a changed signature, a changed payload, no signature, another
 * scheme, the token with the key beside it, the token where the key goes.
 */
function badTokens(token: string, apiKey: string): fc.Arbitrary<Credential> {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const tampered = Buffer.from(
    JSON.stringify({ ...claims, 'cognito:groups': ['tenant:someone-else'] }),
  ).toString('base64url');
  const bearer = (value: string): Credential['headers'] => ({ authorization: `Bearer ${value}` });
  return fc.constantFrom<Credential>(
    { label: 'token with another signature', headers: bearer(`${header}.${payload}.${flipped}`) },
    {
      label: 'token with a changed payload',
      headers: bearer(`${header}.${tampered}.${signature}`),
    },
    { label: 'token without signature', headers: bearer(`${header}.${payload}.`) },
    { label: 'token as Basic', headers: { authorization: `Basic ${token}` } },
    { label: 'empty bearer', headers: { authorization: 'Bearer ' } },
    {
      label: 'token and key together',
      headers: { authorization: `Bearer ${token}`, [API_KEY_HEADER]: apiKey },
    },
    { label: 'token as the key', headers: { [API_KEY_HEADER]: token } },
    { label: 'key as the token', headers: bearer(apiKey) },
  );
}

/** Credentials that must be refused: bad keys, and bad tokens when the target mints them. */
function badCredentials(fixtures: FuzzFixtures): fc.Arbitrary<Credential> {
  const keys = badKeys(fixtures.apiKey).map((bad): Credential => ({
    label: bad.label,
    headers: bad.value === undefined ? {} : { [API_KEY_HEADER]: bad.value },
  }));
  return fixtures.userToken === undefined
    ? keys
    : fc.oneof(keys, badTokens(fixtures.userToken, fixtures.apiKey));
}

/** Keys that must be refused: none, empty, blank, wrong, nearly right, twice. */
function badKeys(
  apiKey: string,
): fc.Arbitrary<{ readonly label: string; readonly value?: string | readonly string[] }> {
  return fc.oneof(
    fc
      .constantFrom(
        { label: 'no key' },
        { label: 'empty key', value: '' },
        { label: 'blank key', value: '   ' },
        { label: 'key with a suffix', value: `${apiKey}x` },
        { label: 'truncated key', value: apiKey.slice(0, -1) },
        { label: 'key in lower case', value: apiKey.toLowerCase() },
        { label: 'key twice', value: [apiKey, apiKey] },
      )
      .filter((key) => key.value !== apiKey),
    fc
      .stringMatching(/^[A-Za-z0-9]{1,80}$/)
      .filter((key) => key !== apiKey)
      .map((value) => ({ label: 'random key', value })),
  );
}

function toCase(operation: OperationModel, parts: Parts, expectation: Expectation): FuzzCase {
  return printable({
    operation,
    subject: parts.subject,
    pathValues: parts.pathValues,
    query: parts.query,
    headers: parts.headers,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    ...('bodyValue' in parts ? { bodyValue: parts.bodyValue } : {}),
    expectation,
  });
}

const withCredential = (parts: Parts, credential: Credential | undefined): Parts => ({
  ...parts,
  headers: credential === undefined ? parts.headers : { ...parts.headers, ...credential.headers },
});

/** Parts with a valid credential of the tenant, or none for a public operation. */
const credentialed = (
  operation: OperationModel,
  fixtures: FuzzFixtures,
  parts: fc.Arbitrary<Parts>,
): fc.Arbitrary<Parts> =>
  operation.requiresAuthorization
    ? fc
        .tuple(parts, validCredentials(fixtures))
        .map(([value, credential]) => withCredential(value, credential))
    : parts;

/** One kind of request of one operation, fuzzed as a property of its own. */
export interface RequestCategory {
  /** `valid`, `broken path`, `broken query`, `broken header`, `broken body`, `no valid key`. */
  readonly name: string;
  /** Share of the operation's requests. */
  readonly weight: number;
  readonly arbitrary: fc.Arbitrary<FuzzCase>;
}

/**
 * The kinds of requests of one operation: valid ones, ones with one broken part (a category
 * per part, so a defect in query handling does not stop the fuzzing of bodies), and, for
 * operations behind the key, ones without a valid key.
 */
export function requestCategories(
  operation: OperationModel,
  fixtures: FuzzFixtures,
): readonly RequestCategory[] {
  const categories: RequestCategory[] = [
    {
      name: 'valid',
      weight: 4,
      arbitrary: credentialed(operation, fixtures, validParts(operation, fixtures, false)).map(
        (parts) => toCase(operation, parts, { kind: 'accept' }),
      ),
    },
  ];
  // The health check has no parameters, so nothing of it can be broken, and it needs no key.
  if (operation.operationId === 'getHealth') return categories;
  const groups = [
    { name: 'broken path', breakers: brokenPath(operation) },
    { name: 'broken query', breakers: brokenQuery(operation, fixtures) },
    { name: 'broken header', breakers: brokenHeaders(operation) },
    { name: 'broken body', breakers: brokenBody(operation) },
  ].filter((group) => group.breakers.length > 0);
  const brokenParts: fc.Arbitrary<Parts>[] = [];
  for (const group of groups) {
    const broken = fc
      .tuple(validParts(operation, fixtures, true), fc.oneof(...group.breakers))
      .map(([parts, breakIt]) => breakIt(parts));
    brokenParts.push(broken.map(({ parts }) => parts));
    categories.push({
      name: group.name,
      weight: 4 / groups.length,
      arbitrary: fc
        .tuple(
          broken,
          operation.requiresAuthorization ? validCredentials(fixtures) : fc.constant(undefined),
        )
        .map(([{ parts, part, status, problems }, credential]) =>
          toCase(operation, withCredential(parts, credential), {
            kind: 'reject',
            part,
            status,
            problems,
          }),
        ),
    });
  }
  if (operation.requiresAuthorization) {
    categories.push({
      name: 'no valid key',
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(validParts(operation, fixtures, true), ...brokenParts),
          badCredentials(fixtures),
        )
        .map(([parts, bad]) =>
          toCase(operation, withCredential(parts, bad), { kind: 'unauthorized', key: bad.label }),
        ),
    });
  }
  return categories;
}
