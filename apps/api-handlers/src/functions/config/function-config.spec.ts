import {
  DEFAULT_FILE_QUOTAS,
  DEFAULT_MAX_UPLOAD_BYTES,
  MAX_UPLOAD_BYTES_LIMIT,
} from '@tap/contracts';
import { ConfigError } from '@tap/lambda-runtime';
import { loadApiConfig, loadAuthorizerConfig, loadFilesConfig } from './function-config';

const complete = {
  TABLE_NAME: 'tap-data-table-dev',
  IDEMPOTENCY_TABLE_NAME: 'tap-idempotency-dev',
  FILE_TABLE_NAME: 'tap-file-records-dev',
  BUCKET_NAME: 'tap-files-dev',
  CURSOR_KEY_SECRET_ID: 'tap-cursor-signing-key-dev',
};

describe('loadApiConfig', () => {
  it('reads a complete environment, with defaults for the optional settings', () => {
    expect(loadApiConfig(complete)).toEqual({
      tableName: 'tap-data-table-dev',
      idempotencyTableName: 'tap-idempotency-dev',
      fileTableName: 'tap-file-records-dev',
      bucketName: 'tap-files-dev',
      cursorKeySecretId: 'tap-cursor-signing-key-dev',
      maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
      fileQuotas: DEFAULT_FILE_QUOTAS,
      s3ForcePathStyle: false,
      secretsExtensionPort: 2773,
      sessionToken: '',
    });
  });

  it('reads the upload limit and path-style flag', () => {
    expect(
      loadApiConfig({ ...complete, MAX_UPLOAD_BYTES: '2048', S3_FORCE_PATH_STYLE: 'true' }),
    ).toMatchObject({
      maxUploadBytes: 2048,
      s3ForcePathStyle: true,
    });
  });

  it('names every missing variable in one error', () => {
    expect(() => loadApiConfig({ TABLE_NAME: '  ' })).toThrow(
      'Invalid configuration of the api function: TABLE_NAME is missing; IDEMPOTENCY_TABLE_NAME is missing; FILE_TABLE_NAME is missing; BUCKET_NAME is missing; CURSOR_KEY_SECRET_ID is missing',
    );
  });

  it('reads lower file caps', () => {
    expect(
      loadApiConfig({ ...complete, MAX_FILES_PER_ITEM: '10', MAX_BYTES_PER_ITEM: '1024' })
        .fileQuotas,
    ).toEqual({ maxFilesPerItem: 10, maxBytesPerItem: 1024 });
  });

  it("refuses caps above the contract's, or not positive", () => {
    expect(() =>
      loadApiConfig({
        ...complete,
        MAX_FILES_PER_ITEM: String(DEFAULT_FILE_QUOTAS.maxFilesPerItem + 1),
        MAX_BYTES_PER_ITEM: '0',
      }),
    ).toThrow(
      `MAX_FILES_PER_ITEM must be an integer from 1 to ${DEFAULT_FILE_QUOTAS.maxFilesPerItem}, got "${DEFAULT_FILE_QUOTAS.maxFilesPerItem + 1}"; MAX_BYTES_PER_ITEM must be an integer from 1 to ${DEFAULT_FILE_QUOTAS.maxBytesPerItem}`,
    );
  });

  it.each(['0', '-1', '1.5', 'ten', String(MAX_UPLOAD_BYTES_LIMIT + 1)])(
    'rejects MAX_UPLOAD_BYTES=%j',
    (value) => {
      expect(() => loadApiConfig({ ...complete, MAX_UPLOAD_BYTES: value })).toThrow(
        `MAX_UPLOAD_BYTES must be an integer from 1 to ${MAX_UPLOAD_BYTES_LIMIT}`,
      );
    },
  );

  it('rejects a path-style flag that is neither true nor false', () => {
    expect(() => loadApiConfig({ ...complete, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(ConfigError);
  });
});

describe('loadFilesConfig', () => {
  it('reads the tables and the bucket', () => {
    expect(loadFilesConfig(complete)).toEqual({
      tableName: 'tap-data-table-dev',
      fileTableName: 'tap-file-records-dev',
      bucketName: 'tap-files-dev',
      s3ForcePathStyle: false,
    });
  });

  it('names every missing variable in one error', () => {
    expect(() => loadFilesConfig({})).toThrow(
      'Invalid configuration of the files function: TABLE_NAME is missing; FILE_TABLE_NAME is missing; BUCKET_NAME is missing',
    );
  });
});

describe('loadAuthorizerConfig', () => {
  const ISSUER = 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc';
  const complete = {
    KEY_TABLE_NAME: 'tap-api-keys-dev',
    TOKEN_ISSUER: ISSUER,
    TOKEN_JWKS_URI: `${ISSUER}/.well-known/jwks.json`,
    TOKEN_CLIENT_IDS: 'client-a, client-b',
  };

  it('names every missing variable at once', () => {
    expect(() => loadAuthorizerConfig({})).toThrow(
      'KEY_TABLE_NAME is missing; TOKEN_ISSUER is missing; TOKEN_JWKS_URI is missing; TOKEN_CLIENT_IDS is missing',
    );
  });

  it('reads the key table, the issuer and the app clients, without a JWKS by default', () => {
    expect(loadAuthorizerConfig(complete)).toEqual({
      keyTableName: 'tap-api-keys-dev',
      tokenIssuer: ISSUER,
      tokenJwksUri: `${ISSUER}/.well-known/jwks.json`,
      tokenClientIds: ['client-a', 'client-b'],
      tokenJwks: undefined,
    });
  });

  it('reads a JWKS given with the deployment', () => {
    const jwks = { keys: [{ kid: 'k1', kty: 'RSA', n: 'x', e: 'AQAB' }] };
    expect(
      loadAuthorizerConfig({ ...complete, TOKEN_JWKS: JSON.stringify(jwks) }).tokenJwks,
    ).toEqual(jwks);
  });

  it('refuses an issuer that is not a URL, or ends with a slash, and a JWKS that is not one', () => {
    expect(() => loadAuthorizerConfig({ ...complete, TOKEN_ISSUER: 'cognito' })).toThrow(
      'TOKEN_ISSUER must be an http(s) URL',
    );
    expect(() => loadAuthorizerConfig({ ...complete, TOKEN_ISSUER: `${ISSUER}/` })).toThrow(
      'without a trailing slash',
    );
    expect(() => loadAuthorizerConfig({ ...complete, TOKEN_JWKS: '{"keys": 1}' })).toThrow(
      'TOKEN_JWKS is not a JWKS document',
    );
    expect(() => loadAuthorizerConfig({ ...complete, TOKEN_CLIENT_IDS: ' , ' })).toThrow(
      'TOKEN_CLIENT_IDS names no app client',
    );
  });
});
