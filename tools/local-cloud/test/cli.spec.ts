import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { send } from './support/http';

const MAIN = path.join(__dirname, '..', 'src', 'main.ts');

/** Runs the CLI as `npm start` does (through tsx), collecting its output. */
function runCli(
  args: string[],
  env: Record<string, string> = {},
  script = MAIN,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the local-cloud CLI', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tap-local-cloud-cli-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('prints one clear line and exits 1 when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const cli = runCli(['--in-memory'], { PORT: String(port) });
      expect(await cli.exited).toBe(1);
      expect(cli.output().trim()).toBe(
        `port ${port} is already in use; pass --port <free port> (or PORT=<free port>)`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('serves until SIGINT, prints the URL, API key and outputs file, then exits 0', async () => {
    const outputsFile = path.join(folder, 'local.json');
    const cli = runCli(['--in-memory', '--port', '0'], { LOCAL_CLOUD_OUTPUTS_FILE: outputsFile });
    try {
      await waitFor(() => cli.output().includes('Press Ctrl-C to stop.'), 15_000);
      const outputs = JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, string>;
      expect(cli.output()).toContain(`API              ${outputs['ApiUrl']}`);
      expect(cli.output()).toContain(outputs['ApiKey']);
      expect(cli.output()).toContain('local.json');
      // The gateway answers (the handler bundles under test elsewhere may not be built yet).
      const health = await send(outputs['ApiUrl'] ?? '', '/health');
      expect(health.headers['apigw-requestid']).toEqual(expect.any(String));
    } finally {
      cli.child.kill('SIGINT');
    }
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('Stopped.');
  }, 30_000);
});
