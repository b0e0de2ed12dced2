import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { TAP_REGION } from '@tap/contracts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { send, type TestResponse } from '../../test/support/http';
import { EMULATOR_CREDENTIALS, s3ClientFor, type ManagedService } from '@tap/test-support';
import { createS3Emulator } from './s3';
import { verifyPresignedRequest } from './s3-presigned-verifier';

const BUCKET = 'files';
const PAGE_ORIGIN = 'http://page.example';
const CREDENTIALS = EMULATOR_CREDENTIALS;

/** The request target (path and query) of a URL, exactly as the presigner wrote it. */
const targetOf = (url: string): string => url.slice(new URL(url).origin.length);

/** The `<Code>` of an S3 XML error body. */
const errorCode = (response: TestResponse): string | undefined =>
  /<Code>([^<]*)<\/Code>/.exec(response.text)?.[1];

/** Replaces one query parameter's value in a presigned URL, leaving the rest as written. */
function withParameter(url: string, name: string, value: string): string {
  const pattern = new RegExp(`([?&]${name}=)[^&]*`);
  if (!pattern.test(url)) throw new Error(`${name} is not in ${url}`);
  return url.replace(pattern, `$1${encodeURIComponent(value)}`);
}

describe('presigned URL verification in the S3 emulator', () => {
  let service: ManagedService;
  let client: S3Client;
  let keyNumber = 0;
  const newKey = (name = 'file.txt'): string => `items/${++keyNumber}/files/${name}`;

  beforeAll(async () => {
    service = createS3Emulator({
      host: '127.0.0.1',
      directory: await mkdtemp(path.join(tmpdir(), 'tap-s3-presigned-')),
      removeDirectoryOnDispose: true,
      bucket: BUCKET,
      corsAllowOrigins: [PAGE_ORIGIN],
      corsMaxAgeSeconds: 60,
    });
    await service.start();
    client = s3ClientFor(service.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await service?.dispose();
  });

  /** A presigned PUT signed the way the API signs its upload URLs. */
  const presignPut = (
    key: string,
    input: Partial<PutObjectCommandInput> & { ContentLength: number },
    options: { signingDate?: Date; expiresIn?: number; signer?: S3Client } = {},
  ): Promise<string> =>
    getSignedUrl(
      options.signer ?? client,
      new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: 'text/plain', ...input }),
      {
        expiresIn: options.expiresIn ?? 900,
        signingDate: options.signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(['x-amz-meta-file-name']),
      },
    );

  const presignGet = (key: string, disposition?: string): Promise<string> =>
    getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: BUCKET, Key: key, ResponseContentDisposition: disposition }),
      { expiresIn: 900 },
    );

  /** PUTs a body (node:http sends its real length as Content-Length) to a presigned URL. */
  const put = (url: string, body: string, headers: Record<string, string> = {}) =>
    send(url, targetOf(url), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', ...headers },
      body,
    });

  const isStored = (key: string): Promise<boolean> =>
    client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
      () => true,
      (error: Error) => {
        if (error.name === 'NotFound') return false;
        throw error;
      },
    );

  /** Expects an S3 refusal: status, XML error code, and nothing stored under `key`. */
  async function expectRefused(
    response: TestResponse,
    status: number,
    code: string,
    key?: string,
  ): Promise<void> {
    expect({ status: response.status, code: errorCode(response) }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    if (key !== undefined) expect(await isStored(key)).toBe(false);
  }

  it('accepts a presigned PUT sent with the signed headers, and stores the object', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 5 });

    const response = await put(url, 'hello');

    expect(response.status).toBe(200);
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(stored.ContentType).toBe('text/plain');
    expect(await stored.Body?.transformToString()).toBe('hello');
  });

  it('accepts a presigned PUT that signs a metadata header sent with it', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2, Metadata: { 'file-name': 'a%20b' } });

    const response = await put(url, 'hi', { 'x-amz-meta-file-name': 'a%20b' });

    expect(response.status).toBe(200);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.Metadata).toEqual({ 'file-name': 'a%20b' });
  });

  it('refuses a presigned PUT whose Content-Type differs from the signed one', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 5 });

    const response = await put(url, 'hello', { 'content-type': 'application/octet-stream' });

    await expectRefused(response, 403, 'SignatureDoesNotMatch', key);
    expect(response.text).toContain(
      'The request signature we calculated does not match the signature you provided.',
    );
  });

  it('refuses a presigned PUT whose body is longer or shorter than the signed length', async () => {
    const longer = newKey();
    const shorter = newKey();
    const longerUrl = await presignPut(longer, { ContentLength: 5 });
    const shorterUrl = await presignPut(shorter, { ContentLength: 5 });

    await expectRefused(await put(longerUrl, 'hello!'), 403, 'SignatureDoesNotMatch', longer);
    await expectRefused(await put(shorterUrl, 'hell'), 403, 'SignatureDoesNotMatch', shorter);
  });

  it('refuses a presigned PUT without a signed header, or with another metadata value', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2, Metadata: { 'file-name': 'a' } });

    await expectRefused(await put(url, 'hi'), 403, 'SignatureDoesNotMatch', key);
    await expectRefused(
      await put(url, 'hi', { 'x-amz-meta-file-name': 'b' }),
      403,
      'SignatureDoesNotMatch',
      key,
    );
  });

  it('refuses a presigned PUT that adds an x-amz-* header the URL did not sign', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2 });

    const response = await put(url, 'hi', { 'x-amz-meta-extra': 'sneaked in' });

    await expectRefused(response, 403, 'AccessDenied', key);
    expect(response.text).toContain('x-amz-meta-extra');
  });

  it('refuses a URL whose signature was changed', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2 });
    const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
    const changed = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;

    const response = await put(withParameter(url, 'X-Amz-Signature', changed), 'hi');

    await expectRefused(response, 403, 'SignatureDoesNotMatch', key);
  });

  it('refuses a URL pointed at another key than the one signed', async () => {
    const key = newKey('signed.txt');
    const other = key.replace('signed.txt', 'other.txt');
    const url = await presignPut(key, { ContentLength: 2 });

    const response = await put(url.replace('/signed.txt?', '/other.txt?'), 'hi');

    await expectRefused(response, 403, 'SignatureDoesNotMatch', other);
    expect(await isStored(key)).toBe(false);
  });

  it('refuses a URL whose expiry was extended', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2 }, { expiresIn: 60 });

    const response = await put(withParameter(url, 'X-Amz-Expires', '604800'), 'hi');

    await expectRefused(response, 403, 'SignatureDoesNotMatch', key);
  });

  it('refuses an expired URL with AccessDenied: Request has expired', async () => {
    const key = newKey();
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const url = await presignPut(
      key,
      { ContentLength: 2 },
      { signingDate: twoHoursAgo, expiresIn: 3600 },
    );

    const response = await put(url, 'hi');

    await expectRefused(response, 403, 'AccessDenied', key);
    expect(response.text).toContain('<Message>Request has expired</Message>');
  });

  /** A presigned PUT of two bytes, signed with other credentials than the functions'. */
  const presignPutAs = async (
    key: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
  ): Promise<string> => {
    const signer = new S3Client({
      endpoint: service.endpoint,
      region: TAP_REGION,
      forcePathStyle: true,
      credentials,
    });
    try {
      return await presignPut(key, { ContentLength: 2 }, { signer });
    } finally {
      signer.destroy();
    }
  };

  it('refuses a URL signed with an access key it does not know', async () => {
    const key = newKey();
    const url = await presignPutAs(key, { accessKeyId: 'STRANGER', secretAccessKey: 'S3RVER' });

    await expectRefused(await put(url, 'hi'), 403, 'InvalidAccessKeyId', key);
  });

  it('refuses a URL signed with the right access key but another secret', async () => {
    const key = newKey();
    const url = await presignPutAs(key, { accessKeyId: 'S3RVER', secretAccessKey: 'guessed' });

    await expectRefused(await put(url, 'hi'), 403, 'SignatureDoesNotMatch', key);
  });

  it('refuses a URL missing an authentication parameter as malformed', async () => {
    const key = newKey();
    const url = await presignPut(key, { ContentLength: 2 });

    const response = await put(url.replace(/&X-Amz-Signature=[^&]*/, ''), 'hi');

    await expectRefused(response, 400, 'AuthorizationQueryParametersError', key);
  });

  it('serves a presigned GET, and refuses one whose response override was changed', async () => {
    const key = newKey();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'download me' }));
    // Quotes, spaces, `;`, `*`, `'` and `%`: the value must be read as the client sent it.
    const url = await presignGet(
      key,
      `attachment; filename="report (1).txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`,
    );

    const served = await send(url, targetOf(url));
    const changed = withParameter(url, 'response-content-disposition', 'inline');
    const refused = await send(changed, targetOf(changed));

    expect(served.status).toBe(200);
    expect(served.text).toBe('download me');
    expect(served.headers['content-disposition']).toBe(
      `attachment; filename="report (1).txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`,
    );
    await expectRefused(refused, 403, 'SignatureDoesNotMatch');
  });

  it.each([
    ['spaces', 'my file name.txt'],
    ['unicode', 'r\u00e9sum\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00.txt'],
    ['RFC 3986 reserved characters', "a+b=c&d;e,f:g@h$i!j'k(l)m*n~o.txt"],
    ['percent signs and hashes', '100% #1 ?.txt'],
    ['a deeper path', 'nested/deeper/still/file.txt'],
  ])('uploads and downloads through presigned URLs a key with %s', async (_label, name) => {
    const key = newKey(name);
    const body = `content of ${name}`;
    const uploadUrl = await presignPut(key, { ContentLength: Buffer.byteLength(body) });

    const uploaded = await put(uploadUrl, body);
    const downloadUrl = await presignGet(key);
    const downloaded = await send(downloadUrl, targetOf(downloadUrl));

    expect(uploaded.status).toBe(200);
    expect(downloaded.status).toBe(200);
    expect(downloaded.text).toBe(body);
    expect(await isStored(key)).toBe(true);
  });

  it('accepts a key path encoded differently from the SDK, as S3 does (same key, same signature)', async () => {
    const key = newKey("it's (really) mine!.txt");
    const url = await presignPut(key, { ContentLength: 2 });
    // The SDK encodes ' ( ) ! ; a client may send them as they are, and `~` encoded.
    const rewritten = url
      .replace(/%27/g, "'")
      .replace(/%28/g, '(')
      .replace(/%29/g, ')')
      .replace(/%21/g, '!');
    expect(rewritten).not.toBe(url);

    const response = await put(rewritten, 'ok');

    expect(response.status).toBe(200);
    expect(await isStored(key)).toBe(true);
  });

  describe('with a browser origin', () => {
    it('still answers the CORS preflight of a presigned URL', async () => {
      const url = await presignPut(newKey(), { ContentLength: 2 });

      const response = await send(url, targetOf(url), {
        method: 'OPTIONS',
        headers: {
          origin: PAGE_ORIGIN,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });

      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
    });

    it('adds the CORS headers to a refusal, so the page can read it', async () => {
      const key = newKey();
      const url = await presignPut(key, { ContentLength: 5 });

      const response = await put(url, 'hello', {
        'content-type': 'text/html',
        origin: PAGE_ORIGIN,
      });

      await expectRefused(response, 403, 'SignatureDoesNotMatch', key);
      expect(response.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
      expect(response.headers['access-control-expose-headers']).toBe('ETag');
    });
  });
});

describe('verifyPresignedRequest', () => {
  const secretAccessKeyOf = (id: string): string | undefined =>
    id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined;

  /** A presigned GET for a fixed time, as the SDK signs it. */
  async function presigned(signingDate: Date): Promise<string> {
    const client = s3ClientFor('http://127.0.0.1:4569');
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), {
        signingDate,
        expiresIn: 60,
      });
    } finally {
      client.destroy();
    }
  }

  const signedAt = new Date('2024-05-01T12:00:00Z');
  const request = (url: string) => ({
    method: 'GET',
    url: targetOf(url),
    headers: { host: '127.0.0.1:4569' },
  });

  it('accepts the request up to the last second of its validity, and refuses it after', async () => {
    const url = await presigned(signedAt);
    const at = (seconds: number) => () => new Date(signedAt.getTime() + seconds * 1000);

    const lastSecond = await verifyPresignedRequest(request(url), {
      secretAccessKeyOf,
      now: at(60),
    });
    const after = await verifyPresignedRequest(request(url), {
      secretAccessKeyOf,
      now: at(61),
    });

    expect(lastSecond).toBeUndefined();
    expect(after).toMatchObject({
      code: 'AccessDenied',
      message: 'Request has expired',
      detail: { Expires: '2024-05-01T12:01:00Z', ServerTime: '2024-05-01T12:01:01Z' },
    });
  });

  it('refuses a request to another host than the one signed', async () => {
    const url = await presigned(signedAt);

    const refusal = await verifyPresignedRequest(
      { ...request(url), headers: { host: '127.0.0.1:9999' } },
      { secretAccessKeyOf, now: () => signedAt },
    );

    expect(refusal?.code).toBe('SignatureDoesNotMatch');
    expect(refusal?.detail['CanonicalRequest']).toContain('host:127.0.0.1:9999');
  });

  it('refuses a path that is not valid percent-encoding as an invalid URI', async () => {
    const url = await presigned(signedAt);

    const refusal = await verifyPresignedRequest(
      { ...request(url), url: targetOf(url).replace('/k?', '/%E9?') },
      { secretAccessKeyOf, now: () => signedAt },
    );

    expect(refusal?.code).toBe('InvalidURI');
  });

  it.each([
    ['an algorithm other than AWS4-HMAC-SHA256', 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1'],
    ['a date that does not exist', 'X-Amz-Date', '20240230T120000Z'],
    ['a negative expiry', 'X-Amz-Expires', '-1'],
    ['an expiry of more than a week', 'X-Amz-Expires', '604801'],
    [
      'a credential scope for another service',
      'X-Amz-Credential',
      'S3RVER/20240501/us-west-2/sqs/aws4_request',
    ],
    [
      'a credential scope of another day',
      'X-Amz-Credential',
      'S3RVER/20240502/us-west-2/s3/aws4_request',
    ],
  ])('refuses %s as malformed', async (_label, name, value) => {
    const url = withParameter(await presigned(signedAt), name, value);

    const refusal = await verifyPresignedRequest(request(url), {
      secretAccessKeyOf,
      now: () => signedAt,
    });

    expect(refusal?.code).toBe('AuthorizationQueryParametersError');
  });
});
