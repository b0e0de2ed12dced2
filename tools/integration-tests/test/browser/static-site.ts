/**
 * The web page of the browser test, served from its own origin: a different port than the
 * API's is a different origin, so every call the page makes to the API, the bucket and the
 * issuer's token endpoint is a real cross-origin request the browser checks against CORS.
 * The site serves the page twice: on `/`, where it starts a sign-in, and on the callback
 * path the issuer sends the browser back to, where it finishes it. It serves no secret.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { CALLBACK_PATH } from './run-result';

/** The client as npm ships it; `npx nx run tap-client:build` writes it. */
export const BUILT_CLIENT = path.join(WORKSPACE_ROOT, 'dist/libs/tap-client/index.js');

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>TAP in a browser</title>' +
  '<script type="module" src="/page.js"></script></head><body></body></html>';

/**
 * Bundles the page script for the browser, with `@tap/client` resolved to the built
 * client and its `openapi-fetch` import bundled in: one ES module the page loads.
 *
 * @throws Error telling how to build the client when it has not been built.
 */
export async function bundlePageScript(): Promise<string> {
  if (!existsSync(BUILT_CLIENT)) {
    throw new Error(
      `The built client is missing (${path.relative(WORKSPACE_ROOT, BUILT_CLIENT)}): run npx nx run tap-client:build`,
    );
  }
  const result = await build({
    entryPoints: [path.join(__dirname, 'page-script.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@tap/client': BUILT_CLIENT },
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no page script');
  return output.text;
}

/** A running static site, one origin per port it listens on. */
export interface StaticSite {
  /** `http://127.0.0.1:<port>`, one per server, in the order asked for. */
  readonly origins: readonly string[];
  stop(): Promise<void>;
}

/**
 * Serves the page (`/` and {@link CALLBACK_PATH}) and its script (`/page.js`) on `count`
 * free ports of 127.0.0.1 (a loopback host, as the local issuer requires of redirect URIs),
 * each a distinct origin. Anything else is a 404.
 */
export async function startStaticSite(script: string, count: number): Promise<StaticSite> {
  const servers: Server[] = [];
  const origins: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const server = createServer((request, response) => {
      const pathname = new URL(request.url ?? '/', 'http://page').pathname;
      if (pathname === '/' || pathname === CALLBACK_PATH) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
      } else if (pathname === '/page.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    origins.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    origins,
    stop: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
