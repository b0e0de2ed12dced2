import { API_KEY_HEADER } from '@tap/contracts';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../src';
import { fixtureBundle, send } from './support/http';

interface SleeperBody {
  coldStartId: string;
}

const HEALTH_TIMEOUT_MS = 1000;

describe('emulated Lambda: timeouts, errors and crashes', () => {
  let cloud: LocalCloud;
  const health = (query = ''): ReturnType<typeof send> => send(cloud.baseUrl, `/health${query}`);
  const api = (query = ''): ReturnType<typeof send> =>
    send(cloud.baseUrl, `/api/items${query}`, {
      headers: { [API_KEY_HEADER]: cloud.outputs.ApiKey },
    });

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: {
        health: fixtureBundle('sleeper'),
        api: fixtureBundle('thrower'),
        authorizer: fixtureBundle('authorizer'),
      },
      functionTimeoutsMs: { health: HEALTH_TIMEOUT_MS, api: 5000 },
    });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers 503 {"message":"Service Unavailable"} on a timeout, and the next call cold-starts', async () => {
    const warm = (await health('?sleepMs=0')).json<SleeperBody>().coldStartId;
    expect((await health('?sleepMs=0')).json<SleeperBody>().coldStartId).toBe(warm);

    const startedAt = Date.now();
    const timedOut = await health();
    expect(timedOut.status).toBe(503);
    expect(timedOut.json()).toEqual({ message: 'Service Unavailable' });
    expect(Date.now() - startedAt).toBeLessThan(HEALTH_TIMEOUT_MS + 1000);

    const next = await health('?sleepMs=0');
    expect(next.status).toBe(200);
    expect(next.json<SleeperBody>().coldStartId).not.toBe(warm);
  });

  it('lets an overlapping invocation finish when another one on its environment times out', async () => {
    const environment = (await health('?sleepMs=0')).json<SleeperBody>().coldStartId;
    const doomed = health();
    await new Promise((resolve) => setTimeout(resolve, HEALTH_TIMEOUT_MS / 2));
    // Still running when `doomed` times out, and within its own timeout.
    const survivor = health(`?sleepMs=${Math.round(HEALTH_TIMEOUT_MS * 0.8)}`);
    const [doomedResponse, survivorResponse] = await Promise.all([doomed, survivor]);
    expect(doomedResponse.status).toBe(503);
    expect(survivorResponse.status).toBe(200);
    expect(survivorResponse.json<SleeperBody>().coldStartId).toBe(environment);
  });

  it('answers 500 {"message":"Internal Server Error"} when the function throws', async () => {
    const response = await api();
    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 500 at once when the execution environment crashes, then serves again', async () => {
    const startedAt = Date.now();
    const crashed = await api('?crash=1');
    expect(crashed.status).toBe(500);
    expect(Date.now() - startedAt).toBeLessThan(4000);
    expect((await health('?sleepMs=0')).status).toBe(200);
    expect((await api()).status).toBe(500);
  });
});

describe('emulated Lambda: bundles', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tap-local-cloud-bundles-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers 500 and names the missing bundle and the build command', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      workspaceRoot: root,
      functionBundles: { authorizer: fixtureBundle('authorizer') },
    });
    try {
      const response = await send(cloud.baseUrl, '/health');
      expect(response.status).toBe(500);
      const logged = log.mock.calls.map(([line]) => String(line)).join('\n');
      expect(logged).toContain(path.join('dist', 'apps', 'health-handler', 'health', 'index.mjs'));
      expect(logged).toContain('npx nx run-many -t build -p health-handler api-handlers');
    } finally {
      await cloud.stop();
      log.mockRestore();
    }
  });

  it('reloads a function when a build replaces its bundle folder', async () => {
    const bundleDir = path.join(root, 'dist', 'apps', 'fake-handlers', 'health');
    const writeBundle = async (version: number): Promise<void> => {
      // What tools/scripts/bundle-lambdas.mjs does: remove the project's output, write anew.
      await rm(path.join(root, 'dist', 'apps', 'fake-handlers'), { recursive: true, force: true });
      await mkdir(bundleDir, { recursive: true });
      await writeFile(
        path.join(bundleDir, 'index.mjs'),
        `export const handler = async () => ({ version: ${version} });\n`,
      );
    };
    await writeBundle(1);
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      workspaceRoot: root,
      functionBundles: {
        health: 'dist/apps/fake-handlers/health',
        api: fixtureBundle('echo'),
        authorizer: fixtureBundle('authorizer'),
      },
    });
    try {
      expect((await send(cloud.baseUrl, '/health')).json()).toEqual({ version: 1 });
      await writeBundle(2);
      const deadline = Date.now() + 5000;
      let body: unknown;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        body = (await send(cloud.baseUrl, '/health')).json();
      } while (JSON.stringify(body) !== '{"version":2}' && Date.now() < deadline);
      expect(body).toEqual({ version: 2 });
    } finally {
      await cloud.stop();
    }
  });

  it('reloads a bundle edited in place outside the workspace', async () => {
    const outside = path.join(root, 'outside', 'echo');
    await cp(fixtureBundle('echo'), outside, { recursive: true });
    const cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: { health: outside },
    });
    try {
      expect((await send(cloud.baseUrl, '/health?mode=plain')).json()).toMatchObject({
        plain: true,
      });
      await writeFile(
        path.join(outside, 'index.mjs'),
        'export const handler = async () => ({ edited: true });\n',
      );
      const deadline = Date.now() + 5000;
      let body: unknown;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        body = (await send(cloud.baseUrl, '/health?mode=plain')).json();
      } while (JSON.stringify(body) !== '{"edited":true}' && Date.now() < deadline);
      expect(body).toEqual({ edited: true });
    } finally {
      await cloud.stop();
    }
  });
});
