import { parseCliOptions } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to port 3000, persistent data in the default folder', () => {
    expect(parseCliOptions([], {})).toEqual({
      port: 3000,
      inMemory: false,
      dataDir: undefined,
      help: false,
    });
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

  it('asks for help with --help', () => {
    expect(parseCliOptions(['--help'], {}).help).toBe(true);
  });
});
