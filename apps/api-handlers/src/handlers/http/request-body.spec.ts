import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../core/errors';
import { isJsonMediaType, MAX_BODY_BYTES, readJsonBody } from './request-body';

describe('isJsonMediaType', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.tap.item+json',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
    'application/json; profile=x',
  ])('accepts %j', (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(true);
  });

  it.each([
    'text/plain',
    'application/xml',
    'application/jsonx',
    'text/json',
    'application/json; charset=latin1',
    'json',
    '',
  ])('rejects %j', (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(false);
  });
});

describe('readJsonBody', () => {
  const json = 'application/json';

  it('has no body for an absent or empty one', () => {
    expect(readJsonBody({ body: undefined, contentType: undefined })).toBeUndefined();
    expect(readJsonBody({ body: '', contentType: json })).toBeUndefined();
  });

  it('parses plain and base64 bodies', () => {
    expect(readJsonBody({ body: '{"a":1}', contentType: json })).toEqual({ a: 1 });
    expect(
      readJsonBody({
        body: Buffer.from('{"a":"é"}').toString('base64'),
        isBase64Encoded: true,
        contentType: json,
      }),
    ).toEqual({ a: 'é' });
  });

  it('needs a JSON content type', () => {
    expect(() => readJsonBody({ body: '{}', contentType: 'text/plain' })).toThrow(
      UnsupportedMediaTypeError,
    );
    expect(() => readJsonBody({ body: '{}', contentType: undefined })).toThrow(
      UnsupportedMediaTypeError,
    );
  });

  it('limits the decoded size to 64 KiB', () => {
    const fits = JSON.stringify('x'.repeat(MAX_BODY_BYTES - 2));
    const over = JSON.stringify('x'.repeat(MAX_BODY_BYTES - 1));

    expect(readJsonBody({ body: fits, contentType: json })).toHaveLength(MAX_BODY_BYTES - 2);
    expect(() => readJsonBody({ body: over, contentType: json })).toThrow(PayloadTooLargeError);
    // Multi-byte characters count as bytes, not as characters.
    expect(() =>
      readJsonBody({ body: JSON.stringify('é'.repeat(MAX_BODY_BYTES / 2)), contentType: json }),
    ).toThrow(PayloadTooLargeError);
  });

  it.each(['{', '{"a":1,}', "{'a':1}", 'undefined', '{"a":1}{"b":2}'])(
    'rejects the malformed JSON %j',
    (body) => {
      expect(() => readJsonBody({ body, contentType: json })).toThrow(MalformedJsonError);
    },
  );

  it('tolerates a UTF-8 byte order mark, as RFC 8259 allows', () => {
    expect(readJsonBody({ body: '\ufeff{"a":1}', contentType: json })).toEqual({ a: 1 });
  });
});
