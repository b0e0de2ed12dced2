import { DEFAULT_MAX_UPLOAD_BYTES } from '@tap/contracts';
import { ConfigError } from '@tap/lambda-runtime';
import { loadApiConfig, loadAuthorizerConfig } from './function-config';

const complete = {
  TABLE_NAME: 'tap-data-table-dev',
  BUCKET_NAME: 'tap-files-dev',
  CURSOR_KEY_SECRET_ID: 'tap-cursor-signing-key-dev',
};

describe('loadApiConfig', () => {
  it('reads a complete environment, with defaults for the optional settings', () => {
    expect(loadApiConfig(complete)).toEqual({
      tableName: 'tap-data-table-dev',
      bucketName: 'tap-files-dev',
      cursorKeySecretId: 'tap-cursor-signing-key-dev',
      maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
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
      'Invalid configuration of the api function: TABLE_NAME is missing; BUCKET_NAME is missing; CURSOR_KEY_SECRET_ID is missing',
    );
  });

  it.each(['0', '-1', '1.5', 'ten', '5368709121'])('rejects MAX_UPLOAD_BYTES=%j', (value) => {
    expect(() => loadApiConfig({ ...complete, MAX_UPLOAD_BYTES: value })).toThrow(
      /MAX_UPLOAD_BYTES must be an integer from 1 to 5368709120/,
    );
  });

  it('rejects a path-style flag that is neither true nor false', () => {
    expect(() => loadApiConfig({ ...complete, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(ConfigError);
  });
});

describe('loadAuthorizerConfig', () => {
  it('needs the API key secret id', () => {
    expect(() => loadAuthorizerConfig({})).toThrow('API_KEY_SECRET_ID is missing');
  });

  it("defaults to the secrets extension's own port and an empty session token", () => {
    expect(loadAuthorizerConfig({ API_KEY_SECRET_ID: 'secret' })).toEqual({
      apiKeySecretId: 'secret',
      secretsExtensionPort: 2773,
      sessionToken: '',
    });
  });

  it('reads the extension port and the session token Lambda sets', () => {
    expect(
      loadAuthorizerConfig({
        API_KEY_SECRET_ID: 'secret',
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2999',
        AWS_SESSION_TOKEN: 'token',
      }),
    ).toEqual({ apiKeySecretId: 'secret', secretsExtensionPort: 2999, sessionToken: 'token' });
  });

  it('refuses an extension port that is not a port', () => {
    for (const port of ['0', '65536', 'http', '-1']) {
      expect(() =>
        loadAuthorizerConfig({
          API_KEY_SECRET_ID: 'secret',
          PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
        }),
      ).toThrow('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be an integer from 1 to 65535');
    }
  });
});
