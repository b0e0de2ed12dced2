import { ENTITY_TAG_PATTERN, IF_MATCH_PATTERN } from '@tap/contracts';
import { ValidationError } from './errors';
import { etagOf, parseIfMatch } from './if-match';

describe('parseIfMatch', () => {
  it('means no precondition when the header is absent', () => {
    expect(parseIfMatch(undefined)).toEqual({ kind: 'none' });
  });

  it('reads * as "must exist"', () => {
    expect(parseIfMatch('*')).toEqual({ kind: 'exists' });
  });

  it.each([
    ['"1"', 1],
    ['"42"', 42],
    ['W/"7"', 7],
    [' "3" ', 3],
    ['"999999999999999"', 999999999999999],
  ])('reads %j as version %d', (header, version) => {
    expect(parseIfMatch(header)).toEqual({ kind: 'version', version });
  });

  it.each([
    '',
    '1',
    '"0"',
    '"01"',
    '"-1"',
    '"1.5"',
    '"abc"',
    '"1", "2"',
    'w/"1"',
    '"1',
    '**',
    '"1234567890123456"',
  ])('rejects %j with a validation error on /headers/If-Match', (header) => {
    expect(() => parseIfMatch(header)).toThrow(ValidationError);
    try {
      parseIfMatch(header);
    } catch (error) {
      expect((error as ValidationError).errors).toEqual([
        { path: '/headers/If-Match', message: expect.any(String) },
      ]);
    }
  });

  it('reads back the ETag it writes', () => {
    expect(parseIfMatch(etagOf(12))).toEqual({ kind: 'version', version: 12 });
  });

  it('writes ETags of the contract’s grammar', () => {
    const etag = new RegExp(ENTITY_TAG_PATTERN, 'u');
    for (const version of [1, 12, 999999999999999]) expect(etagOf(version)).toMatch(etag);
  });

  it.each(['*', '"1"', 'W/"7"', '"999999999999999"', '"0"', '"01"', 'w/"1"', '**', '"1", "2"'])(
    'agrees with the contract’s If-Match pattern on %j',
    (header) => {
      const refused = (): boolean => {
        try {
          parseIfMatch(header);
          return false;
        } catch {
          return true;
        }
      };
      expect(refused()).toBe(!new RegExp(IF_MATCH_PATTERN, 'u').test(header));
    },
  );
});
