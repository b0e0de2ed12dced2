/**
 * The API and the files bucket from a real browser: headless Chromium loads a page from
 * its own origin, and the page runs the BUILT typed client against the local cloud. The
 * browser enforces CORS, so this proves what a Node test cannot: the gateway answers the
 * preflights a browser sends, and the bucket lets the page PUT and GET through presigned URLs.
 *
 * It always runs against an in-process local cloud, even when TAP_OUTPUTS_FILE names a
 * deployed stack: the test chooses which origins are allowed, which a stack fixes at deploy.
 * Needs Chromium (`/usr/bin/chromium` or `CHROMIUM_PATH`; a missing browser fails the test,
 * it is not skipped) and the built client and bundles
 * (`npx nx run-many -t build -p tap-client health-handler api-handlers`).
 */
import { startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/chromium';
import { OUTCOME_GLOBAL, type PageOutcome } from './browser/run-result';
import { bundlePageScript, startStaticSite, type StaticSite } from './browser/static-site';

/** An exchange the browser made, preflights included, as DevTools' network events list it. */
interface Exchange {
  readonly method: string;
  readonly url: string;
  status?: number;
  /** `access-control-allow-origin` of the answer. */
  allowOrigin?: string;
  /** Why the browser refused the exchange on CORS grounds (DevTools' `corsError`). */
  corsError?: string;
}

/**
 * Records every request the page makes with its answer. Read from DevTools' network
 * events rather than Playwright's, which leave out the CORS preflights Chromium sends itself.
 */
async function recordExchanges(page: Page): Promise<() => Exchange[]> {
  const byId = new Map<string, Exchange>();
  const devtools = await page.context().newCDPSession(page);
  devtools.on('Network.requestWillBeSent', ({ requestId, request }) => {
    byId.set(requestId, { method: request.method, url: request.url });
  });
  devtools.on('Network.responseReceived', ({ requestId, response }) => {
    const exchange = byId.get(requestId);
    if (!exchange) return;
    exchange.status = response.status;
    const headers = Object.entries(response.headers as Record<string, string>);
    exchange.allowOrigin = headers.find(
      ([name]) => name.toLowerCase() === 'access-control-allow-origin',
    )?.[1];
  });
  devtools.on('Network.loadingFailed', ({ requestId, corsErrorStatus }) => {
    const exchange = byId.get(requestId);
    if (exchange && corsErrorStatus) exchange.corsError = corsErrorStatus.corsError;
  });
  await devtools.send('Network.enable');
  return () => [...byId.values()];
}

/** Finds the first exchange of a method with a host, under a path. */
const findIn =
  (exchanges: readonly Exchange[]) =>
  (method: string, host: string, path: string): Exchange | undefined =>
    exchanges.find((exchange) => {
      const url = new URL(exchange.url);
      return exchange.method === method && url.host === host && url.pathname.startsWith(path);
    });

describe('the API and the bucket from a browser on another origin', () => {
  let site: StaticSite;
  let cloud: LocalCloud;
  let browser: Browser;
  /** The page's origin, the only one the API and the bucket allow. */
  let pageOrigin: string;
  /** An origin the API does not allow (same server, another port). */
  let otherOrigin: string;

  beforeAll(async () => {
    site = await startStaticSite(await bundlePageScript(), 2);
    [pageOrigin = '', otherOrigin = ''] = site.origins;
    // The browser first: without one, fail before starting anything else.
    browser = await launchChromium();
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      corsAllowOrigins: [pageOrigin],
    });
  }, 45_000);

  afterAll(async () => {
    // Every step is attempted even when an earlier one fails, so nothing is left running.
    await Promise.allSettled([browser?.close(), cloud?.stop(), site?.stop()]);
  });

  /** Opens the page on `origin` and waits for the outcome it publishes on `window`. */
  async function runPage(
    page: Page,
    origin: string,
    mode: 'journey' | 'probe',
  ): Promise<PageOutcome> {
    const query = new URLSearchParams({ api: cloud.baseUrl, key: cloud.outputs.ApiKey, mode });
    await page.goto(`${origin}/?${query}`);
    await page.waitForFunction((name) => name in window, OUTCOME_GLOBAL, { timeout: 20_000 });
    return page.evaluate(
      (name) => (window as unknown as Record<string, PageOutcome>)[name] as PageOutcome,
      OUTCOME_GLOBAL,
    );
  }

  it('creates an item, uploads through the presigned URL and downloads the same bytes', async () => {
    const page = await browser.newPage();
    const exchanges = await recordExchanges(page);

    const outcome = await runPage(page, pageOrigin, 'journey');

    // Compared whole, so a failure prints the step the page stopped at and the browser's error.
    expect(outcome).toEqual(expect.objectContaining({ ok: true }));
    if (!('createStatus' in outcome)) throw new Error(`not a journey: ${JSON.stringify(outcome)}`);
    expect(outcome.createStatus).toBe(201);
    expect(outcome.uploadStatus).toBe(200);
    expect(outcome.listedFileIds).toEqual([outcome.fileId]);
    expect(outcome.downloadStatus).toBe(200);
    expect(outcome.downloaded).toEqual(outcome.uploaded);

    const api = new URL(cloud.baseUrl).host;
    const bucket = new URL(cloud.services.s3.endpoint).host;
    const find = findIn(exchanges());
    // The key header and the JSON body make the calls non-simple: the browser asked first,
    // the gateway answered the preflight itself, naming the page's origin…
    expect(find('OPTIONS', api, '/api/items')).toMatchObject({
      status: 204,
      allowOrigin: pageOrigin,
    });
    // …and let the page read the answer, as it named its origin again.
    expect(find('POST', api, '/api/items')).toMatchObject({ status: 201, allowOrigin: pageOrigin });
    // The bucket's CORS rules let the page PUT with the signed headers and GET it back. s3rver
    // answers a preflight that matched a rule with `*` (S3 echoes the origin); one that
    // matched none is a 403, so a 200 is the rule admitting the page.
    expect(find('OPTIONS', bucket, '/')).toMatchObject({ status: 200, allowOrigin: '*' });
    expect(find('PUT', bucket, '/')).toMatchObject({ status: 200, allowOrigin: pageOrigin });
    expect(find('GET', bucket, '/')).toMatchObject({ status: 200, allowOrigin: pageOrigin });
    await page.close();
  }, 40_000);

  it('does not let a page on an origin the API does not allow read it', async () => {
    const page = await browser.newPage();
    const exchanges = await recordExchanges(page);

    const outcome = await runPage(page, otherOrigin, 'probe');

    expect(outcome).toMatchObject({ ok: true, refused: true });
    // Refused by CORS, not by a dead server: the gateway answered the preflight without
    // naming the origin, so the browser blocked the request itself.
    const find = findIn(exchanges());
    const api = new URL(cloud.baseUrl).host;
    expect(find('OPTIONS', api, '/api/items')).toEqual(
      expect.objectContaining({ status: 204, allowOrigin: undefined }),
    );
    expect(find('GET', api, '/api/items')).toEqual({
      method: 'GET',
      url: `${cloud.baseUrl}/api/items`,
      corsError: 'PreflightMissingAllowOriginHeader',
    });
    await page.close();
  }, 30_000);
});
