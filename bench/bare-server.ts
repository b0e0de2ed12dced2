/**
 * The baseline of the request benchmarks: a minimal Node `http` server that does only the
 * SDK call behind `GET /api/items/{id}` (DynamoDBDocumentClient GetItem, same emulator, same
 * table) and returns the item as JSON. No gateway, no authorizer, no validation, no logging.
 *
 * Where it runs matters on a 2-core machine. The benchmark's own thread holds the client,
 * the emulators and the local HTTP API's gateway; the API function runs in a worker thread,
 * so each request through it crosses threads four times (gateway → function → DynamoDB
 * emulator → function → gateway), each crossing a wake-up of a sleeping thread. A server
 * in its own process crosses exactly as often (client → server → emulator → server →
 * client), as a real server would: that is the baseline of the figures. The same server
 * inside the benchmark's thread crosses nothing at all; it is measured too, for reference.
 */
import { TAP_REGION } from '@tap/contracts';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startBareServer } from './bare-server-process.mjs';
import type { Fixture } from './fixture';

/** A running bare server. */
export interface BareServer {
  /** `http://127.0.0.1:<port>`; it answers `GET /api/items/{id}`. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** The baseline server, in its own process (the figures) and in this thread (reference). */
export interface BareServers {
  readonly process: BareServer;
  readonly thread: BareServer;
}

/** Starts both bare servers. */
export async function startBareServers(fixture: Fixture): Promise<BareServers> {
  const inProcess = await startBareServerProcess(fixture);
  try {
    return { process: inProcess, thread: await startBareServerInThread(fixture) };
  } catch (error) {
    await inProcess.stop();
    throw error;
  }
}

/** How long the server process may take to say which port it listens on. */
const START_TIMEOUT_MS = 15_000;

/** The bare server in a process of its own (`bare-server-process.mjs`, plain `node`). */
export async function startBareServerProcess(fixture: Fixture): Promise<BareServer> {
  const env = fixture.functionEnv('api');
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, 'bare-server-process.mjs'),
      env['AWS_ENDPOINT_URL_DYNAMODB'] ?? '',
      fixture.cloud.names.table,
      TAP_REGION,
      fixture.tenant,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        PATH: process.env['PATH'] ?? '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bare server process did not start'));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) {
        clearTimeout(timer);
        resolve(Number(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare server process exited with ${code} before listening`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The bare server inside the calling thread, beside the emulators (reference only). */
export async function startBareServerInThread(fixture: Fixture): Promise<BareServer> {
  const bare = await startBareServer({
    endpoint: fixture.functionEnv('api')['AWS_ENDPOINT_URL_DYNAMODB'] ?? '',
    tableName: fixture.cloud.names.table,
    region: TAP_REGION,
    tenant: fixture.tenant,
  });
  return { baseUrl: `http://127.0.0.1:${bare.port}`, stop: () => bare.stop() };
}
