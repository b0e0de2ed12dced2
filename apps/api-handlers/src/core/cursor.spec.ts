import { createHmac } from 'node:crypto';
import { createCursorCodec, createCursorCodecSource, fileListScope } from './cursor';
import { InvalidCursorError } from './errors';
import { fakeSecretReader } from '../../test/support/fake-secrets';

const KEY = 'signing-key-for-tests-0123456789';
const ID = '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b';
const TENANT = 'acme';

/** Builds a cursor the way the codec does, with any payload and key. */
const forge = (payload: unknown, key = KEY, version = 2): string => {
  const versionByte = Buffer.from([version]);
  const body = Buffer.from(JSON.stringify(payload));
  const mac = createHmac('sha256', key).update(versionByte).update(body).digest();
  return Buffer.concat([versionByte, mac, body]).toString('base64url');
};

describe('cursor codec', () => {
  const codec = createCursorCodec(KEY);

  it('round-trips a key', () => {
    const cursor = codec.encode({ id: ID }, TENANT);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor, TENANT)).toEqual({ id: ID });
  });

  it("binds a scoped cursor to its list: an item's files continue nothing else", () => {
    const OTHER = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    const cursor = codec.encode({ id: ID }, TENANT, fileListScope(ID));

    expect(codec.decode(cursor, TENANT, fileListScope(ID))).toEqual({ id: ID });
    expect(() => codec.decode(cursor, TENANT, fileListScope(OTHER))).toThrow(InvalidCursorError);
    expect(() => codec.decode(cursor, TENANT)).toThrow(InvalidCursorError);
    expect(() => codec.decode(cursor, 'globex', fileListScope(ID))).toThrow(InvalidCursorError);
    expect(() => codec.decode(codec.encode({ id: ID }, TENANT), TENANT, fileListScope(ID))).toThrow(
      InvalidCursorError,
    );
  });

  it('produces opaque cursors that do not show the key as text', () => {
    expect(codec.encode({ id: ID }, TENANT)).not.toContain(ID);
  });

  it('rejects every single flipped bit', () => {
    const bytes = Buffer.from(codec.encode({ id: ID }, TENANT), 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x80;
      expect(() => codec.decode(tampered.toString('base64url'), TENANT)).toThrow(
        InvalidCursorError,
      );
    }
  });

  it('rejects truncated cursors of every length', () => {
    const cursor = codec.encode({ id: ID }, TENANT);
    for (let length = 0; length < cursor.length; length += 1) {
      expect(() => codec.decode(cursor.slice(0, length), TENANT)).toThrow(InvalidCursorError);
    }
  });

  it('rejects a cursor signed with another key', () => {
    const foreign = createCursorCodec('another-key-entirely').encode({ id: ID }, TENANT);

    expect(() => codec.decode(foreign, TENANT)).toThrow(InvalidCursorError);
  });

  it.each([
    ['no key object', { id: ID }],
    ['a key that is not a UUID', { t: TENANT, k: { id: 'users/admin' } }],
    ['a numeric id', { t: TENANT, k: { id: 42 } }],
    ['null', null],
    ['an array', [ID]],
  ])('rejects a correctly signed payload of the wrong shape: %s', (_, payload) => {
    expect(() => codec.decode(forge(payload), TENANT)).toThrow(InvalidCursorError);
  });

  it('rejects a correctly signed cursor of another version, the tenantless one among them', () => {
    expect(() => codec.decode(forge({ t: TENANT, k: { id: ID } }, KEY, 1), TENANT)).toThrow(
      InvalidCursorError,
    );
    expect(() => codec.decode(forge({ t: TENANT, k: { id: ID } }, KEY, 3), TENANT)).toThrow(
      InvalidCursorError,
    );
  });

  it('accepts a correctly signed cursor it could have issued', () => {
    expect(codec.decode(forge({ t: TENANT, k: { id: ID } }), TENANT)).toEqual({ id: ID });
  });

  it('rejects non-canonical and non-base64url spellings of a valid cursor', () => {
    const cursor = codec.encode({ id: ID }, TENANT);
    const padded = Buffer.from(cursor, 'base64url').toString('base64');

    expect(() => codec.decode(padded, TENANT)).toThrow(InvalidCursorError);
    expect(() => codec.decode(`${cursor}=`, TENANT)).toThrow(InvalidCursorError);
    expect(() => codec.decode(` ${cursor}`, TENANT)).toThrow(InvalidCursorError);
  });
});

describe('cursor codec source', () => {
  it('reads the signing key from the secret and notices a rotation', async () => {
    const secrets = fakeSecretReader({ cursor: { signingKey: KEY } });
    const source = createCursorCodecSource(secrets, 'cursor');

    const cursor = (await source()).encode({ id: ID }, TENANT);
    secrets.set('cursor', { signingKey: 'rotated-key' });

    expect(() => createCursorCodec(KEY).decode(cursor, TENANT)).not.toThrow();
    await expect(source().then((codec) => codec.decode(cursor, TENANT))).rejects.toThrow(
      InvalidCursorError,
    );
    expect(secrets.reads).toEqual(['cursor', 'cursor']);
  });

  it.each([
    ['a missing field', { key: KEY }],
    ['an empty key', { signingKey: '' }],
    ['a non-string key', { signingKey: 12345 }],
    ['no value', undefined],
  ])('fails with a secret holding %s', async (_, value) => {
    const source = createCursorCodecSource(fakeSecretReader({ cursor: value }), 'cursor');

    await expect(source()).rejects.toThrow('does not hold a non-empty string "signingKey"');
  });
});
