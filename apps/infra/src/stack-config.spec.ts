import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@tap/contracts';
import { readCdkJsonContext, resolveMaxUploadBytes, stackName } from './stack-config';

describe('stack configuration', () => {
  it('names the stack of an environment TapStack-<suffix>', () => {
    expect(stackName('alice')).toBe('TapStack-alice');
    expect(() => stackName('Alice')).toThrow('only lowercase letters');
  });

  it('defaults the upload limit to the contract default', () => {
    expect(resolveMaxUploadBytes()).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    expect(resolveMaxUploadBytes(1)).toBe(1);
  });

  describe('cdk.json context', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'tap-cdk-json-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the context of a cdk.json, and nothing from a missing one', () => {
      const file = path.join(dir, 'cdk.json');
      writeFileSync(
        file,
        JSON.stringify({ app: 'x', context: { protectedEnvironments: ['prod'] } }),
      );
      expect(readCdkJsonContext(file)).toEqual({ protectedEnvironments: ['prod'] });
      expect(readCdkJsonContext(path.join(dir, 'missing.json'))).toEqual({});
    });

    it('declares the protected environments of this project in its cdk.json', () => {
      expect(
        readCdkJsonContext(path.join(__dirname, '..', 'cdk.json')).protectedEnvironments,
      ).toEqual(['prod', 'staging']);
    });
  });
});
