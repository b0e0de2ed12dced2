import { CORS_POLICY, DEFAULT_MAX_UPLOAD_BYTES } from '@tap/contracts';
import { resolveCorsAllowOrigins, resolveMaxUploadBytes, stackName } from './stack-config';

describe('stack configuration', () => {
  it('names the stack of an environment TapStack-<suffix>', () => {
    expect(stackName('alice')).toBe('TapStack-alice');
    expect(() => stackName('Alice')).toThrow('only lowercase letters');
  });

  it('defaults the CORS origins to the contract policy', () => {
    expect(resolveCorsAllowOrigins(undefined, undefined)).toEqual(CORS_POLICY.defaultAllowOrigins);
    expect(resolveCorsAllowOrigins(undefined, '')).toEqual(CORS_POLICY.defaultAllowOrigins);
  });

  it.each([[42], [{ origin: 'https://a.example.com' }], [['https://a.example.com', 7]]])(
    'refuses context corsAllowOrigins %j',
    (value) => {
      expect(() => resolveCorsAllowOrigins(undefined, value)).toThrow('expected a list of origins');
    },
  );

  it('refuses an empty origin list or an empty origin', () => {
    expect(() => resolveCorsAllowOrigins([], undefined)).toThrow('list at least one origin');
    expect(() => resolveCorsAllowOrigins(undefined, 'https://a.example.com,')).toThrow(
      'list at least one origin',
    );
  });

  it('defaults the upload limit to the contract default', () => {
    expect(resolveMaxUploadBytes()).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    expect(resolveMaxUploadBytes(1)).toBe(1);
  });
});
