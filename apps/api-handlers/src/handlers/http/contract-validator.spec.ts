import {
  ACCEPTED_CONTENT_TYPES,
  documentModel,
  IF_MATCH_PATTERN,
  routeTable,
} from '@tap/contracts';
import type { FieldError } from '../../core/errors';
import { ValidationError } from '../../core/errors';
import type { RawRequest } from './contract-validator';
import { createContractValidator } from './contract-validator';
import type { ApiOperationId } from './operations';
import { requestPlans } from './generated/request-validators';
import { requestPlan } from './request-schemas';

const validator = createContractValidator();
const ITEM_ID = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';

const raw = (parts: Partial<RawRequest>): RawRequest => ({
  requestId: 'req-1',
  path: {},
  query: {},
  headers: {},
  body: undefined,
  ...parts,
});

/** The field errors of a request, or `[]` when it is valid. */
function errorsOf(operationId: ApiOperationId, parts: Partial<RawRequest>): FieldError[] {
  try {
    validator.forOperation(operationId).validate(raw(parts));
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return [...error.errors];
    throw error;
  }
}

const createErrors = (body: unknown): FieldError[] => errorsOf('createItem', { body });
const updateErrors = (body: unknown): FieldError[] =>
  errorsOf('updateItem', { path: { id: ITEM_ID }, body });
const paths = (errors: FieldError[]): string[] => errors.map((error) => error.path);

const tags = (count: number): string[] => Array.from({ length: count }, (_, index) => `t${index}`);
const attributes = (count: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`a${index}`, index]));

describe('CreateItemRequest', () => {
  it('accepts a minimal and a full body', () => {
    expect(createErrors({ name: 'x' })).toEqual([]);
    expect(
      createErrors({
        name: 'x',
        description: '',
        tags: ['a'],
        attributes: { s: 'v', n: 1.5, b: true, 'a.b:c-d_e': 0 },
      }),
    ).toEqual([]);
  });

  it('requires name', () => {
    expect(createErrors({})).toEqual([{ path: '/body/name', message: 'is required' }]);
  });

  it('rejects unknown fields', () => {
    expect(createErrors({ name: 'x', colour: 'red' })).toEqual([
      { path: '/body/colour', message: 'is not allowed' },
    ]);
  });

  it('reports every problem at once', () => {
    expect(paths(createErrors({ name: '', tags: 'a', extra: 1 })).sort()).toEqual([
      '/body/extra',
      '/body/name',
      '/body/tags',
    ]);
  });

  it('bounds name to 1..200 characters', () => {
    expect(createErrors({ name: '' })).toEqual([
      { path: '/body/name', message: 'must NOT have fewer than 1 characters' },
    ]);
    expect(createErrors({ name: 'n'.repeat(200) })).toEqual([]);
    expect(createErrors({ name: 'n'.repeat(201) })).toEqual([
      { path: '/body/name', message: 'must NOT have more than 200 characters' },
    ]);
  });

  it('bounds description to 2000 characters', () => {
    expect(createErrors({ name: 'x', description: 'd'.repeat(2000) })).toEqual([]);
    expect(paths(createErrors({ name: 'x', description: 'd'.repeat(2001) }))).toEqual([
      '/body/description',
    ]);
  });

  it('does not coerce types', () => {
    expect(createErrors({ name: 5 })).toEqual([{ path: '/body/name', message: 'must be string' }]);
    expect(createErrors({ name: 'x', description: null })).toEqual([
      { path: '/body/description', message: 'must be string' },
    ]);
  });

  it('accepts 20 tags and rejects 21', () => {
    expect(createErrors({ name: 'x', tags: tags(20) })).toEqual([]);
    expect(createErrors({ name: 'x', tags: tags(21) })).toEqual([
      { path: '/body/tags', message: 'must NOT have more than 20 items' },
    ]);
  });

  it('rejects duplicate, empty and over-long tags', () => {
    expect(paths(createErrors({ name: 'x', tags: ['a', 'a'] }))).toEqual(['/body/tags']);
    expect(paths(createErrors({ name: 'x', tags: [''] }))).toEqual(['/body/tags/0']);
    expect(createErrors({ name: 'x', tags: ['t'.repeat(50)] })).toEqual([]);
    expect(paths(createErrors({ name: 'x', tags: ['t'.repeat(51)] }))).toEqual(['/body/tags/0']);
  });

  it('accepts 50 attributes and rejects 51', () => {
    expect(createErrors({ name: 'x', attributes: attributes(50) })).toEqual([]);
    expect(createErrors({ name: 'x', attributes: attributes(51) })).toEqual([
      { path: '/body/attributes', message: 'must NOT have more than 50 properties' },
    ]);
  });

  it('checks attribute names against the contract pattern', () => {
    expect(createErrors({ name: 'x', attributes: { ['k'.repeat(64)]: 1 } })).toEqual([]);
    expect(createErrors({ name: 'x', attributes: { 'has space': 1 } })).toEqual([
      {
        path: '/body/attributes/has space',
        message: 'name must match pattern "^[A-Za-z0-9_.:-]{1,64}$"',
      },
    ]);
    expect(paths(createErrors({ name: 'x', attributes: { ['k'.repeat(65)]: 1 } }))).toEqual([
      `/body/attributes/${'k'.repeat(65)}`,
    ]);
  });

  it('bounds attribute values and reports the precise rule', () => {
    expect(
      createErrors({ name: 'x', attributes: { n: 1e15, m: -1e15, s: 's'.repeat(500) } }),
    ).toEqual([]);
    expect(createErrors({ name: 'x', attributes: { n: 1e15 + 2 } })).toEqual([
      { path: '/body/attributes/n', message: 'must be <= 1000000000000000' },
    ]);
    expect(createErrors({ name: 'x', attributes: { s: 's'.repeat(501) } })).toEqual([
      { path: '/body/attributes/s', message: 'must NOT have more than 500 characters' },
    ]);
  });

  it('rejects null, objects and arrays as attribute values', () => {
    for (const value of [null, {}, [1]]) {
      expect(paths(createErrors({ name: 'x', attributes: { v: value } }))).toContain(
        '/body/attributes/v',
      );
    }
  });

  it('rejects a body that is not an object', () => {
    expect(createErrors([])).toEqual([{ path: '/body', message: 'must be object' }]);
    expect(createErrors('name')).toEqual([{ path: '/body', message: 'must be object' }]);
  });

  it('requires a body', () => {
    expect(createErrors(undefined)).toEqual([{ path: '/body', message: 'is required' }]);
  });
});

describe('UpdateItemRequest', () => {
  it('accepts nulls where the merge patch allows them', () => {
    expect(updateErrors({ description: null, tags: null, attributes: null })).toEqual([]);
    expect(updateErrors({ attributes: { gone: null, kept: 'v' } })).toEqual([]);
  });

  it('rejects a null name and an empty patch', () => {
    expect(paths(updateErrors({ name: null }))).toEqual(['/body/name']);
    expect(updateErrors({})).toEqual([
      { path: '/body', message: 'must NOT have fewer than 1 properties' },
    ]);
  });

  it('rejects the fields the server owns', () => {
    expect(paths(updateErrors({ id: ITEM_ID, version: 2, createdAt: 'x' })).sort()).toEqual([
      '/body/createdAt',
      '/body/id',
      '/body/version',
    ]);
  });

  it('bounds name, tags and attributes like a create', () => {
    expect(
      updateErrors({ name: 'n'.repeat(200), tags: tags(20), attributes: attributes(50) }),
    ).toEqual([]);
    expect(paths(updateErrors({ name: 'n'.repeat(201) }))).toEqual(['/body/name']);
    expect(paths(updateErrors({ tags: tags(21) }))).toEqual(['/body/tags']);
    expect(paths(updateErrors({ tags: ['a', 'a'] }))).toEqual(['/body/tags']);
    expect(paths(updateErrors({ attributes: attributes(51) }))).toEqual(['/body/attributes']);
  });

  it('validates the item id in the path and the If-Match header', () => {
    expect(
      errorsOf('updateItem', {
        path: { id: 'nope' },
        headers: { 'if-match': 'x'.repeat(101) },
        body: { name: 'x' },
      }),
    ).toEqual([
      { path: '/path/id', message: 'must match format "uuid"' },
      { path: '/headers/If-Match', message: 'must NOT have more than 100 characters' },
      { path: '/headers/If-Match', message: `must match pattern "${IF_MATCH_PATTERN}"` },
    ]);
  });

  it('exposes If-Match under its contract name', () => {
    const request = validator
      .forOperation('updateItem')
      .validate(
        raw({ path: { id: ITEM_ID }, headers: { 'if-match': '"3"' }, body: { name: 'x' } }),
      );

    expect(request.headers['If-Match']).toBe('"3"');
  });
});

describe('listItems query', () => {
  const query = (values: Record<string, string>) =>
    validator.forOperation('listItems').validate(raw({ query: values })).query;

  it('converts limit to a number only when it is a plain integer', () => {
    expect(query({ limit: '25' })).toEqual({ limit: 25 });
    expect(errorsOf('listItems', { query: { limit: '1e1' } })).toEqual([
      { path: '/query/limit', message: 'must be integer' },
    ]);
  });

  it('bounds limit to 1..100', () => {
    expect(query({ limit: '1' })).toEqual({ limit: 1 });
    expect(query({ limit: '100' })).toEqual({ limit: 100 });
    expect(paths(errorsOf('listItems', { query: { limit: '0' } }))).toEqual(['/query/limit']);
    expect(paths(errorsOf('listItems', { query: { limit: '101' } }))).toEqual(['/query/limit']);
  });

  it('bounds cursor to 2048 characters', () => {
    expect(query({ cursor: 'c'.repeat(2048) })).toEqual({ cursor: 'c'.repeat(2048) });
    expect(paths(errorsOf('listItems', { query: { cursor: 'c'.repeat(2049) } }))).toEqual([
      '/query/cursor',
    ]);
  });
});

describe('CreateFileUploadRequest', () => {
  const uploadErrors = (body: Record<string, unknown>): FieldError[] =>
    errorsOf('createFileUpload', {
      path: { id: ITEM_ID },
      body: { fileName: 'a.txt', contentType: 'text/plain', contentLength: 1, ...body },
    });

  it('accepts every content type of the contract, and only those, parameters included', () => {
    for (const contentType of ACCEPTED_CONTENT_TYPES) {
      expect(uploadErrors({ contentType })).toEqual([]);
    }
    expect(paths(uploadErrors({ contentType: 'text/plain; charset=utf-8' }))).toEqual([
      '/body/contentType',
    ]);
    expect(paths(uploadErrors({ contentType: 'application/x-msdownload' }))).toEqual([
      '/body/contentType',
    ]);
  });

  it('rejects malformed content types, bad lengths and long names', () => {
    expect(paths(uploadErrors({ contentType: 'text' }))).toEqual(['/body/contentType']);
    expect(paths(uploadErrors({ contentType: 'text/plain\r\nx-evil: 1' }))).toEqual([
      '/body/contentType',
    ]);
    expect(paths(uploadErrors({ contentLength: 0 }))).toEqual(['/body/contentLength']);
    expect(paths(uploadErrors({ contentLength: 1.5 }))).toEqual(['/body/contentLength']);
    expect(paths(uploadErrors({ contentLength: '10' }))).toEqual(['/body/contentLength']);
    expect(uploadErrors({ fileName: 'f'.repeat(255) })).toEqual([]);
    expect(paths(uploadErrors({ fileName: 'f'.repeat(256) }))).toEqual(['/body/fileName']);
  });
});

describe('the validator', () => {
  it('compiles an operation once and reuses it', () => {
    expect(validator.forOperation('getItem')).toBe(validator.forOperation('getItem'));
  });

  it('knows which operations take a body', () => {
    expect(validator.forOperation('getItem').body).toBeUndefined();
    expect(validator.forOperation('createItem').body).toEqual({ required: true });
  });

  it('has a precompiled validator for every part of every operation the API serves', () => {
    const apiOperations = routeTable
      .filter((route) => route.handler === 'api')
      .map((route) => route.operationId as ApiOperationId);

    expect(apiOperations.length).toBeGreaterThan(0);
    for (const operationId of apiOperations) {
      expect(() => validator.forOperation(operationId)).not.toThrow();
    }
  });

  it('names the generator when a precompiled validator is missing', () => {
    const stale = createContractValidator({});

    expect(() => stale.forOperation('getItem')).toThrow(
      'No precompiled validator for getItem/path: run `nx run api-handlers:generate-validators`',
    );
  });
});

describe('the generated request plans', () => {
  it('are what the document model says of every operation the API serves', () => {
    const served = documentModel.operations.filter((operation) => operation.handler === 'api');
    expect(requestPlans).toEqual(
      Object.fromEntries(
        served.map((operation) => [operation.operationId, requestPlan(documentModel, operation)]),
      ),
    );
  });
});
