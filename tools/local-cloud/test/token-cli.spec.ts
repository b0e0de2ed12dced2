import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOidcIssuer, type OidcIssuer } from '../src/identity';
import { runTokenCli } from '../src/token-cli';
import { parseDuration, parseTokenCliOptions } from '../src/token-cli-options';

describe('parseTokenCliOptions', () => {
  it('needs only --user; everything else defaults', () => {
    expect(parseTokenCliOptions(['--user', 'alice'], {})).toEqual({
      user: 'alice',
      tenant: undefined,
      scopes: undefined,
      expiresInSeconds: undefined,
      idToken: false,
      outputsFile: undefined,
      help: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseTokenCliOptions(
        [
          '--user=alice',
          '--tenant',
          'acme',
          '--scopes',
          'items:read items:write',
          '--expires-in=30m',
          '--id-token',
          '--outputs',
          'out.json',
        ],
        {},
      ),
    ).toEqual({
      user: 'alice',
      tenant: 'acme',
      scopes: ['items:read', 'items:write'],
      expiresInSeconds: 1800,
      idToken: true,
      outputsFile: 'out.json',
      help: false,
    });
  });

  it('splits scopes on spaces and commas, dropping repeats', () => {
    const scopes = (value: string): unknown =>
      parseTokenCliOptions(['--user', 'a', '--scopes', value], {}).scopes;
    expect(scopes('items:read,items:write')).toEqual(['items:read', 'items:write']);
    expect(scopes(' items:read , items:write  items:read ')).toEqual(['items:read', 'items:write']);
    expect(() => scopes(' , ')).toThrow('--scopes needs at least one scope name');
  });

  it('takes the outputs file from LOCAL_CLOUD_OUTPUTS_FILE unless --outputs names one', () => {
    const env = { LOCAL_CLOUD_OUTPUTS_FILE: 'env.json' };
    expect(parseTokenCliOptions(['--user', 'a'], env).outputsFile).toBe('env.json');
    expect(parseTokenCliOptions(['--user', 'a', '--outputs=flag.json'], env).outputsFile).toBe(
      'flag.json',
    );
  });

  it('understands --id-token as Nx forwards it', () => {
    expect(parseTokenCliOptions(['--user', 'a', '--id-token=true'], {}).idToken).toBe(true);
    expect(parseTokenCliOptions(['--user', 'a', '--id-token=false'], {}).idToken).toBe(false);
  });

  it('needs --user unless --help is asked for', () => {
    expect(() => parseTokenCliOptions([], {})).toThrow('--user is required');
    expect(parseTokenCliOptions(['--help'], {}).help).toBe(true);
    expect(parseTokenCliOptions(['-h'], {}).help).toBe(true);
  });

  it('refuses unknown flags and missing values, naming them', () => {
    expect(() => parseTokenCliOptions(['--user', 'a', '--scope', 'x'], {})).toThrow(
      'unknown option --scope',
    );
    expect(() => parseTokenCliOptions(['--user'], {})).toThrow('--user needs a value');
    expect(() => parseTokenCliOptions(['--user', '--tenant', 'acme'], {})).toThrow(
      '--user needs a value',
    );
    expect(() => parseTokenCliOptions(['--user='], {})).toThrow('--user needs a value');
  });
});

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['1', 1],
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['1d', 86_400],
  ])('reads %s as %i seconds', (value, seconds) => {
    expect(parseDuration(value)).toBe(seconds);
  });

  it.each(['0', '86401', '2d', '1.5h', '-1', '1w', 'h', ''])('refuses %j', (value) => {
    expect(() => parseDuration(value)).toThrow('--expires-in must be 1 second to 1 day');
  });
});

describe('runTokenCli', () => {
  let issuer: OidcIssuer;
  let folder: string;
  let outputsFile: string;

  beforeAll(async () => {
    issuer = await startOidcIssuer({
      host: '127.0.0.1',
      port: 0,
      userPoolId: 'us-west-2_localpool',
      clientId: 'tapspa',
      resourceServer: 'tap',
      scopes: ['items:read', 'items:write'],
    });
    folder = await mkdtemp(path.join(tmpdir(), 'tap-token-cli-'));
    outputsFile = path.join(folder, 'local.json');
    await writeFile(outputsFile, JSON.stringify({ ApiUrl: 'x', IssuerUrl: issuer.issuerUrl }));
  });

  afterAll(async () => {
    await issuer.stop();
    await rm(folder, { recursive: true, force: true });
  });

  async function run(
    argv: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runTokenCli(argv, env, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { code, stdout, stderr };
  }

  const claims = (token: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;

  it('prints only the access token, asking the issuer named in the outputs file', async () => {
    const result = await run(
      ['--user', 'alice', '--tenant', 'acme', '--scopes', 'items:read', '--expires-in', '5m'],
      { LOCAL_CLOUD_OUTPUTS_FILE: outputsFile },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const payload = claims(result.stdout.trim());
    expect(payload).toMatchObject({
      iss: issuer.issuerUrl,
      token_use: 'access',
      username: 'alice',
      scope: 'tap/items:read',
      'cognito:groups': ['tenant:acme'],
    });
    expect((payload['exp'] as number) - (payload['iat'] as number)).toBe(300);
  });

  it('prints the ID token with --id-token', async () => {
    const result = await run(['--user', 'alice', '--id-token', '--outputs', outputsFile]);
    expect(result.code).toBe(0);
    expect(claims(result.stdout.trim())).toMatchObject({ token_use: 'id', aud: 'tapspa' });
  });

  it('reports what the issuer refuses on stderr, with exit code 1', async () => {
    const result = await run(['--user', 'alice', '--scopes', 'items:delete'], {
      LOCAL_CLOUD_OUTPUTS_FILE: outputsFile,
    });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/unknown scope "items:delete"/);
  });

  it('says to start the local cloud when the outputs file has no IssuerUrl or is missing', async () => {
    const bare = path.join(folder, 'bare.json');
    await writeFile(bare, JSON.stringify({ ApiUrl: 'x' }));
    for (const file of [bare, path.join(folder, 'missing.json')]) {
      const result = await run(['--user', 'alice', '--outputs', file]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain('start the local cloud first: npm start');
    }
  });

  it('says to start the local cloud when the issuer does not answer', async () => {
    const stopped = await startOidcIssuer({
      host: '127.0.0.1',
      port: 0,
      userPoolId: 'us-west-2_localpool',
      clientId: 'tapspa',
      resourceServer: 'tap',
      scopes: ['items:read'],
    });
    await stopped.stop();
    const stale = path.join(folder, 'stale.json');
    await writeFile(stale, JSON.stringify({ IssuerUrl: stopped.issuerUrl }));
    const result = await run(['--user', 'alice', '--outputs', stale]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/does not answer: start the local cloud first/);
  });

  it('prints usage for --help and a bad option to stderr', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--user <name>');
    const bad = await run(['--user', 'alice', '--nope']);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('unknown option --nope');
  });
});
