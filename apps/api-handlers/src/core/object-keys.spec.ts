import {
  attachmentDisposition,
  decodeFileNameMetadata,
  encodeFileNameMetadata,
  fileNameFitsMetadata,
  fileObjectKey,
  isWellFormedName,
  MAX_SANITIZED_NAME_LENGTH,
  parseObjectKey,
  servedAsOctetStream,
  sanitizeFileName,
} from './object-keys';
import { OCTET_STREAM_CONTENT_TYPES } from '@tap/contracts';

const ITEM = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';
const FILE = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

describe('sanitizeFileName', () => {
  it.each([
    ['report-2024_v1.2.pdf', 'report-2024_v1.2.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['nul\u0000byte', 'nul_byte'],
    ['new\nline\r.txt', 'new_line_.txt'],
    ['.hidden', 'hidden'],
    ['...', 'file'],
    ['.', 'file'],
    ['..', 'file'],
    ['', 'file'],
    ['résumé.txt', 'r_sum_.txt'],
    ['😀.png', '_.png'],
    ['日本語', '___'],
    ['with space', 'with_space'],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps the length at 100 characters', () => {
    expect(sanitizeFileName('x'.repeat(255))).toBe('x'.repeat(MAX_SANITIZED_NAME_LENGTH));
    expect(sanitizeFileName(`${'.'.repeat(10)}${'y'.repeat(150)}`)).toHaveLength(100);
  });

  it('only ever yields safe characters', () => {
    for (const name of [
      '../..',
      '/',
      '\u0000',
      '%2e%2e%2f',
      'a'.repeat(300),
      '\ud83d\ude00'.repeat(80),
    ]) {
      const sanitized = sanitizeFileName(name);
      expect(sanitized).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/);
    }
  });
});

describe('object keys', () => {
  const T = 'acme';
  it('builds tenants/{tenant}/items/{id}/{fileId}/{sanitizedName}', () => {
    expect(fileObjectKey(T, ITEM, FILE, '../x y.txt')).toBe(
      `tenants/${T}/items/${ITEM}/${FILE}/_x_y.txt`,
    );
  });

  it('parses the keys it builds and nothing else', () => {
    const prefix = `tenants/${T}/items/${ITEM}`;
    expect(parseObjectKey(`${prefix}/${FILE}/a.txt`)).toEqual({
      tenant: T,
      itemId: ITEM,
      fileId: FILE,
      storedName: 'a.txt',
    });
    expect(parseObjectKey(`items/${ITEM}/${FILE}/a.txt`)).toBeUndefined();
    expect(parseObjectKey(`tenants/${T}/other/${ITEM}/${FILE}/a.txt`)).toBeUndefined();
    expect(parseObjectKey(`${prefix}/${FILE}/`)).toBeUndefined();
    expect(parseObjectKey(`${prefix}/${FILE}`)).toBeUndefined();
    expect(parseObjectKey(`${prefix}/${FILE}/a/b`)).toBeUndefined();
  });

  it('serves the active-content types as bytes and nothing else', () => {
    expect(OCTET_STREAM_CONTENT_TYPES.every(servedAsOctetStream)).toBe(true);
    expect(servedAsOctetStream('text/plain')).toBe(false);
    expect(servedAsOctetStream('image/png')).toBe(false);
  });
});

describe('file name metadata', () => {
  it('round-trips any well-formed name as ASCII', () => {
    for (const name of ['plain.txt', 'Résumé "final".pdf', '日本語.txt', 'a%20b', '😀\u0000']) {
      const encoded = encodeFileNameMetadata(name);
      expect(encoded).toMatch(/^[\x21-\x7e]*$/);
      expect(decodeFileNameMetadata(encoded)).toBe(name);
    }
  });

  it('treats undecodable metadata as absent', () => {
    expect(decodeFileNameMetadata('%E0%A4%A')).toBeUndefined();
    expect(decodeFileNameMetadata(undefined)).toBeUndefined();
  });

  it('knows which names fit S3 user metadata', () => {
    expect(fileNameFitsMetadata('a'.repeat(255))).toBe(true);
    expect(fileNameFitsMetadata('文'.repeat(75))).toBe(true);
    expect(fileNameFitsMetadata('文'.repeat(255))).toBe(false);
  });

  it('spots lone surrogates', () => {
    expect(isWellFormedName('😀.txt')).toBe(true);
    expect(isWellFormedName('a\ud800.txt')).toBe(false);
    expect(isWellFormedName('\udc00')).toBe(false);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact name in RFC 5987 form', () => {
    expect(attachmentDisposition('Résumé "v2" (final)\'s*.pdf')).toBe(
      `attachment; filename="R_sum_ _v2_ (final)'s*.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22v2%22%20%28final%29%27s%2A.pdf`,
    );
  });

  it('never lets a name break out of the header', () => {
    const disposition = attachmentDisposition('a"\r\nSet-Cookie: x=1\\.txt');

    expect(disposition).not.toMatch(/[\r\n]/);
    expect(disposition.split('"')).toHaveLength(3);
  });

  it('falls back to file when nothing printable is left', () => {
    expect(attachmentDisposition('  ')).toMatch(/^attachment; filename="file"; /);
  });
});
