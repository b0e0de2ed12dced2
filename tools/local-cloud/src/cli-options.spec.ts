import { DEFAULT_FILE_QUOTAS } from '@tap/contracts';
import { parseCliOptions } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to port 3000, the issuer on 3001, persistent data in the default folder', () => {
    expect(parseCliOptions([], {})).toEqual({
      port: 3000,
      issuerPort: 3001,
      inMemory: false,
      dataDir: undefined,
      logLevel: undefined,
      throttle: true,
      fileQuotas: {},
      help: false,
    });
  });

  it('turns throttling off with --no-throttle, also as Nx forwards it', () => {
    expect(parseCliOptions(['--no-throttle'], {}).throttle).toBe(false);
    expect(parseCliOptions(['--throttle=false'], {}).throttle).toBe(false);
    expect(parseCliOptions(['--throttle=true'], {}).throttle).toBe(true);
  });

  it("reads an item's file caps, refusing one above the contract's", () => {
    expect(
      parseCliOptions(['--max-files-per-item', '3', '--max-bytes-per-item=1024'], {}).fileQuotas,
    ).toEqual({ maxFilesPerItem: 3, maxBytesPerItem: 1024 });
    expect(() => parseCliOptions(['--max-files-per-item', '0'], {})).toThrow(
      '--max-files-per-item must be a positive integer, got "0"',
    );
    expect(() =>
      parseCliOptions(
        ['--max-files-per-item', String(DEFAULT_FILE_QUOTAS.maxFilesPerItem + 1)],
        {},
      ),
    ).toThrow('maxFilesPerItem must be a positive integer of at most');
  });

  it('reads the issuer port from --issuer-port or ISSUER_PORT, the flag winning', () => {
    expect(parseCliOptions(['--issuer-port', '4001'], { ISSUER_PORT: '5001' }).issuerPort).toBe(
      4001,
    );
    expect(parseCliOptions([], { ISSUER_PORT: '5001' }).issuerPort).toBe(5001);
    expect(() => parseCliOptions(['--issuer-port', 'x'], {})).toThrow(
      '--issuer-port must be a port',
    );
  });

  it('reads PORT and LOCAL_CLOUD_IN_MEMORY from the environment', () => {
    expect(parseCliOptions([], { PORT: '3999', LOCAL_CLOUD_IN_MEMORY: '1' })).toMatchObject({
      port: 3999,
      inMemory: true,
    });
  });

  it('lets flags win over the environment, in both --flag value and --flag=value forms', () => {
    expect(
      parseCliOptions(['--port', '4001', '--data-dir=tmp/data', '--in-memory'], { PORT: '3999' }),
    ).toMatchObject({ port: 4001, dataDir: 'tmp/data', inMemory: true });
    expect(parseCliOptions(['--port=0', '--data-dir', 'x'], {})).toMatchObject({
      port: 0,
      dataDir: 'x',
    });
  });

  it('understands boolean flags as Nx forwards them', () => {
    expect(parseCliOptions(['--in-memory=true'], {}).inMemory).toBe(true);
    expect(parseCliOptions(['--in-memory=false'], { LOCAL_CLOUD_IN_MEMORY: '1' }).inMemory).toBe(
      false,
    );
  });

  it('refuses bad ports, missing values and unknown flags, naming them', () => {
    expect(() => parseCliOptions(['--port', 'abc'], {})).toThrow('--port must be a port number');
    expect(() => parseCliOptions([], { PORT: '70000' })).toThrow('PORT must be a port number');
    expect(() => parseCliOptions(['--data-dir'], {})).toThrow('--data-dir needs a value');
    expect(() => parseCliOptions(['--verbose'], {})).toThrow('unknown option --verbose');
  });

  it("takes the functions' log level from --log-level or LOCAL_CLOUD_LOG_LEVEL, in any case", () => {
    expect(parseCliOptions(['--log-level', 'debug'], {}).logLevel).toBe('DEBUG');
    expect(parseCliOptions([], { LOCAL_CLOUD_LOG_LEVEL: 'Warn' }).logLevel).toBe('WARN');
    expect(parseCliOptions(['--log-level=info'], { LOCAL_CLOUD_LOG_LEVEL: 'debug' }).logLevel).toBe(
      'INFO',
    );
  });

  it('refuses a log level Powertools does not know, naming the ones it does', () => {
    expect(() => parseCliOptions(['--log-level', 'verbose'], {})).toThrow(
      '--log-level must be one of trace, debug, info, warn, error, critical, silent, got "verbose"',
    );
    expect(() => parseCliOptions([], { LOCAL_CLOUD_LOG_LEVEL: 'loud' })).toThrow(
      'LOCAL_CLOUD_LOG_LEVEL must be one of',
    );
  });

  it('asks for help with --help', () => {
    expect(parseCliOptions(['--help'], {}).help).toBe(true);
  });
});
