import { HEALTH_CHECK_TIMEOUT_MS } from '@tap/contracts';
import { ConfigError } from '@tap/lambda-runtime';
import { readHealthConfig } from './config';

describe('health function configuration', () => {
  it('reads the table, the bucket and the default timeout', () => {
    expect(readHealthConfig({ TABLE_NAME: 't', BUCKET_NAME: 'b' })).toEqual({
      tableName: 't',
      bucketName: 'b',
      checkTimeoutMs: HEALTH_CHECK_TIMEOUT_MS,
      s3ForcePathStyle: false,
    });
  });

  it('takes the timeout and path-style addressing from the environment', () => {
    expect(
      readHealthConfig({
        TABLE_NAME: 't',
        BUCKET_NAME: 'b',
        HEALTH_CHECK_TIMEOUT_MS: '500',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toMatchObject({ checkTimeoutMs: 500, s3ForcePathStyle: true });
  });

  it('names every missing variable at once', () => {
    expect(() => readHealthConfig({})).toThrow(
      new ConfigError('health', ['TABLE_NAME is missing', 'BUCKET_NAME is missing']),
    );
    expect(() => readHealthConfig({})).toThrow(
      'Invalid configuration of the health function: TABLE_NAME is missing; BUCKET_NAME is missing',
    );
  });

  it.each(['abc', '0', '49', '8001', '20000', '1.5'])('rejects the timeout %j', (value) => {
    expect(() =>
      readHealthConfig({ TABLE_NAME: 't', BUCKET_NAME: 'b', HEALTH_CHECK_TIMEOUT_MS: value }),
    ).toThrow('HEALTH_CHECK_TIMEOUT_MS must be an integer from 50 to 8000');
  });
});
