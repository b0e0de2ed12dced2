/**
 * The API and the files bucket from a real browser, as a signed-in user: headless Chromium
 * loads a page from its own origin, the page signs a user in against the local cloud's
 * OpenID Connect issuer (the user pool's stand-in) with the authorization code flow and
 * PKCE, and runs the BUILT typed client with the user's access token. This proves what a
 * Node test cannot:
 *
 * - a single-page app signs in with no secret of any kind: the page's URL, HTML and
 *   storage never hold a machine key, and its API calls carry `Authorization: Bearer` only;
 * - the issuer's discovery document and token endpoint answer a page on another origin
 *   (CORS), and the state and the PKCE verifier make the round trip in `sessionStorage`;
 * - the gateway answers the preflights a browser sends, and the bucket lets the page PUT
 *   and GET through presigned URLs (without the user's token);
 * - what the user creates belongs to the tenant they signed in to, and to no other;
 * - a page on an origin the API does not allow cannot read it, even with a valid token.
 *
 * It always runs against an in-process local cloud, even when TAP_OUTPUTS_FILE names a
 * deployed stack: the test chooses which origins are allowed, which a stack fixes at
 * deploy, and types into the local issuer's sign-in form. Needs a Chromium, which `npm ci`
 * provides on Linux x64 (the one inside the `@sparticuz/chromium` package; `CHROMIUM_PATH`
 * wins over it, `/usr/bin/chromium` stands in elsewhere; see `browser/chromium.ts`; a
 * missing browser fails the test, it is not skipped) and the built client and bundles
 * (`npx nx run-many -t build -p tap-client health-handler api-handlers`).
 */
import { createTapClient } from '@tap/client';
import { API_KEY_HEADER, MACHINE_KEY_PREFIX } from '@tap/contracts';
import { createMachineKey, startLocalCloud, type LocalCloud } from '@tap/local-cloud';
import { dynamoDbDocumentClientFor } from '@tap/test-support';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/chromium';
import {
  CALLBACK_PATH,
  OUTCOME_GLOBAL,
  PAGE_QUERY_PARAMETERS,
  SIGN_IN_STORAGE_KEY,
  type PageMode,
  type PageOutcome,
} from './browser/run-result';
import { bundlePageScript, startStaticSite, type StaticSite } from './browser/static-site';

/** The tenant the user signs in to, and one they do not belong to. */
const TENANT = 'acme';
const OTHER_TENANT = 'globex';
const USERNAME = 'ada';

/** Any machine key, not only the local cloud's default one: `tap_<key id>_`. */
const MACHINE_KEY_SHAPE = new RegExp(`${MACHINE_KEY_PREFIX}[a-z2-7]{16}_`);

/** An exchange the browser made, preflights included, as DevTools' network events list it. */
interface Exchange {
  readonly method: string;
  readonly url: string;
  /** The request's headers as the page set them, names in lower case. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  status?: number;
  /** `access-control-allow-origin` of the answer. */
  allowOrigin?: string;
  /** Why the browser refused the exchange on CORS grounds (DevTools' `corsError`). */
  corsError?: string;
}

const lowerCaseNames = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * Records every request the page makes with its answer, each hop of a redirect as an
 * exchange of its own. Read from DevTools' network events rather than Playwright's, which
 * leave out the CORS preflights Chromium sends itself.
 */
async function recordExchanges(page: Page): Promise<() => Exchange[]> {
  const all: Exchange[] = [];
  const byId = new Map<string, Exchange>();
  const answered = (exchange: Exchange, response: { status: number; headers: object }): void => {
    exchange.status = response.status;
    exchange.allowOrigin = lowerCaseNames(response.headers as Record<string, string>)[
      'access-control-allow-origin'
    ];
  };
  const devtools = await page.context().newCDPSession(page);
  devtools.on('Network.requestWillBeSent', ({ requestId, request, redirectResponse }) => {
    // A redirect reuses the request id: the hop that was redirected ends here.
    const redirected = byId.get(requestId);
    if (redirected && redirectResponse) answered(redirected, redirectResponse);
    const exchange: Exchange = {
      method: request.method,
      url: request.url,
      requestHeaders: lowerCaseNames(request.headers as Record<string, string>),
    };
    byId.set(requestId, exchange);
    all.push(exchange);
  });
  devtools.on('Network.responseReceived', ({ requestId, response }) => {
    const exchange = byId.get(requestId);
    if (exchange) answered(exchange, response);
  });
  devtools.on('Network.loadingFailed', ({ requestId, corsErrorStatus }) => {
    const exchange = byId.get(requestId);
    if (exchange && corsErrorStatus) exchange.corsError = corsErrorStatus.corsError;
  });
  await devtools.send('Network.enable');
  return () => [...all];
}

/** Every URL the page's address bar showed, in order (same-document changes included). */
function recordNavigations(page: Page): () => string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return () => [...urls];
}

/** Finds the first exchange of a method with a host, under a path. */
const findIn =
  (exchanges: readonly Exchange[]) =>
  (method: string, host: string, path: string): Exchange | undefined =>
    exchanges.find((exchange) => {
      const url = new URL(exchange.url);
      return exchange.method === method && url.host === host && url.pathname.startsWith(path);
    });

/** The payload of a JWT, unverified: which user and tenant the page's token was for. */
const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

describe('the API and the bucket from a browser on another origin, signed in', () => {
  let site: StaticSite;
  let cloud: LocalCloud;
  let browser: Browser;
  let documents: DynamoDBDocumentClient;
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
      throttles: false,
    });
    documents = dynamoDbDocumentClientFor(cloud.outputs.DynamoDbEndpoint);
  }, 45_000);

  afterAll(async () => {
    // Every step is attempted even when an earlier one fails, so nothing is left running.
    documents?.destroy();
    await Promise.allSettled([browser?.close(), cloud?.stop(), site?.stop()]);
  });

  /** The outcome the page published on `window`, if any yet. */
  const publishedOutcome = (page: Page): Promise<PageOutcome | undefined> =>
    page.evaluate(
      (name) => (window as unknown as Record<string, PageOutcome | undefined>)[name],
      OUTCOME_GLOBAL,
    );

  /**
   * Opens the page on `origin`, which holds nothing but where things are, and waits until
   * it has sent the browser to the issuer's sign-in form.
   */
  async function openPage(page: Page, origin: string, mode: PageMode): Promise<void> {
    const query = new URLSearchParams({
      api: cloud.baseUrl,
      issuer: cloud.issuer.issuerUrl,
      client: cloud.outputs.UserPoolClientId,
      mode,
    });
    await page.goto(`${origin}/?${query}`);
    try {
      await page.waitForURL(
        (url) => url.href.startsWith(`${cloud.issuer.authorizationEndpoint}?`),
        { timeout: 10_000 },
      );
    } catch (error) {
      // The page stopped before leaving: say where and why rather than only "timeout".
      const outcome = await publishedOutcome(page).catch(() => undefined);
      throw new Error(`The page did not go to sign-in: ${JSON.stringify(outcome)}`, {
        cause: error,
      });
    }
  }

  /**
   * Signs the user in on the issuer's form, as a person would, and waits for the outcome
   * the page publishes once back on its callback.
   *
   * @returns the outcome, and the sign-in form's HTML (the issuer's page is one the user sees).
   */
  async function signIn(
    page: Page,
    origin: string,
  ): Promise<{ outcome: PageOutcome; signInHtml: string }> {
    await page.locator('input[name="username"]').fill(USERNAME);
    await page.locator('input[name="tenant"]').fill(TENANT);
    const signInHtml = await page.evaluate(() => document.documentElement.outerHTML);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === origin && url.pathname === CALLBACK_PATH, {
      timeout: 10_000,
    });
    await page.waitForFunction((name) => name in window, OUTCOME_GLOBAL, { timeout: 20_000 });
    const outcome = await publishedOutcome(page);
    if (!outcome) throw new Error('the page published no outcome');
    return { outcome, signInHtml };
  }

  it('signs a user in, creates an item, uploads through the presigned URL and downloads the same bytes', async () => {
    const page = await browser.newPage();
    const exchanges = await recordExchanges(page);
    const navigations = recordNavigations(page);

    await openPage(page, pageOrigin, 'journey');
    const { outcome, signInHtml } = await signIn(page, pageOrigin);

    // Compared whole, so a failure prints the step the page stopped at and the browser's error.
    expect(outcome).toEqual(expect.objectContaining({ ok: true }));
    if (!('createStatus' in outcome)) throw new Error(`not a journey: ${JSON.stringify(outcome)}`);
    expect(outcome.tokenStatus).toBe(200);
    expect(outcome.createStatus).toBe(201);
    expect(outcome.uploadStatus).toBe(200);
    expect(outcome.listedFileIds).toEqual([outcome.fileId]);
    expect(outcome.downloadStatus).toBe(200);
    expect(outcome.downloaded).toEqual(outcome.uploaded);

    // The page was given where things are and nothing else; it went to the issuer with a
    // PKCE challenge, asking to come back to its own origin.
    const [opened = '', ...later] = navigations();
    expect([...new URL(opened).searchParams.keys()].sort()).toEqual(
      [...PAGE_QUERY_PARAMETERS].sort(),
    );
    const authorize = new URL(
      later.find((url) => url.startsWith(cloud.issuer.authorizationEndpoint)) ?? 'about:blank',
    ).searchParams;
    expect(Object.fromEntries(authorize)).toEqual({
      response_type: 'code',
      client_id: cloud.outputs.UserPoolClientId,
      redirect_uri: `${pageOrigin}${CALLBACK_PATH}`,
      scope: 'openid tap/items:read tap/items:write',
      state: expect.stringMatching(/^[\w-]{22}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
    // The code left the address bar once redeemed.
    expect(page.url()).toBe(`${pageOrigin}${CALLBACK_PATH}`);

    // No machine key anywhere the page could see or send: not the local cloud's default
    // key, nor any other.
    const all = exchanges();
    const storage = await page.evaluate(() => ({
      local: { ...localStorage },
      session: { ...sessionStorage },
    }));
    const surfaces: Record<string, string> = {
      'page URLs': navigations().join('\n'),
      'sign-in page HTML': signInHtml,
      'page HTML': await page.evaluate(() => document.documentElement.outerHTML),
      localStorage: JSON.stringify(storage.local),
      sessionStorage: JSON.stringify(storage.session),
      requests: all
        .map((e) => `${e.method} ${e.url} ${JSON.stringify(e.requestHeaders)}`)
        .join('\n'),
    };
    // Not vacuous: the key is a real one, and the page did leave a trace to search.
    expect(cloud.outputs.ApiKey).toMatch(MACHINE_KEY_SHAPE);
    expect(surfaces['page URLs']).toContain(cloud.issuer.authorizationEndpoint);
    const leaks = Object.entries(surfaces)
      .filter(([, text]) => text.includes(cloud.outputs.ApiKey) || MACHINE_KEY_SHAPE.test(text))
      .map(([where]) => where);
    expect(leaks).toEqual([]);
    // The verifier and state were used once and forgotten; the token never was stored.
    expect(storage.session).not.toHaveProperty(SIGN_IN_STORAGE_KEY);

    const api = new URL(cloud.baseUrl).host;
    const issuer = new URL(cloud.issuer.origin).host;
    const bucket = new URL(cloud.services.s3.endpoint).host;
    const find = findIn(all);
    // The issuer's discovery and token endpoints let the page read them (any origin);
    // the sign-in form was posted and sent the browser back with a code.
    const discovery = `${new URL(cloud.issuer.issuerUrl).pathname}/.well-known/openid-configuration`;
    expect(find('GET', issuer, discovery)).toMatchObject({ status: 200, allowOrigin: '*' });
    expect(find('POST', issuer, '/oauth2/authorize')).toMatchObject({ status: 302 });
    expect(find('POST', issuer, '/oauth2/token')).toMatchObject({ status: 200, allowOrigin: '*' });

    // Every API call carried the user's token and no API key.
    const apiCalls = all.filter((e) => new URL(e.url).host === api && e.method !== 'OPTIONS');
    expect(apiCalls.length).toBeGreaterThanOrEqual(4);
    expect(
      apiCalls.map((e) => ({
        call: `${e.method} ${new URL(e.url).pathname}`,
        scheme: e.requestHeaders['authorization']?.split(' ')[0],
        apiKey: e.requestHeaders[API_KEY_HEADER],
      })),
    ).toEqual(
      apiCalls.map((e) => ({
        call: `${e.method} ${new URL(e.url).pathname}`,
        scheme: 'Bearer',
        apiKey: undefined,
      })),
    );
    // The token is the one the issuer gave the user who signed in, to their tenant.
    const token = apiCalls[0]?.requestHeaders['authorization']?.split(' ')[1] ?? '';
    expect(jwtPayload(token)).toMatchObject({
      iss: cloud.issuer.issuerUrl,
      token_use: 'access',
      username: USERNAME,
      'cognito:groups': [`tenant:${TENANT}`],
    });

    // The authorization header makes the calls non-simple: the browser asked first, the
    // gateway answered the preflight itself, naming the page's origin…
    const preflight = find('OPTIONS', api, '/api/items');
    expect(preflight).toMatchObject({ status: 204, allowOrigin: pageOrigin });
    expect(preflight?.requestHeaders['access-control-request-headers']?.split(',')).toEqual(
      expect.arrayContaining(['authorization']),
    );
    expect(preflight?.requestHeaders['access-control-request-headers']).not.toContain(
      API_KEY_HEADER,
    );
    // …and let the page read the answer, as it named its origin again.
    expect(find('POST', api, '/api/items')).toMatchObject({ status: 201, allowOrigin: pageOrigin });
    // The bucket's CORS rules let the page PUT with the signed headers and GET it back. s3rver
    // answers a preflight that matched a rule with `*` (S3 echoes the origin); one that
    // matched none is a 403, so a 200 is the rule admitting the page. The presigned URLs
    // are the credential there: the user's token does not travel to the bucket.
    expect(find('OPTIONS', bucket, '/')).toMatchObject({ status: 200, allowOrigin: '*' });
    expect(find('PUT', bucket, '/')).toMatchObject({ status: 200, allowOrigin: pageOrigin });
    expect(find('GET', bucket, '/')).toMatchObject({ status: 200, allowOrigin: pageOrigin });
    const bucketCalls = all.filter((e) => new URL(e.url).host === bucket);
    expect(bucketCalls.filter((e) => 'authorization' in e.requestHeaders)).toEqual([]);
    await page.close();

    // The item is the user's tenant's: a machine key of that tenant reads it, one of
    // another tenant is told it does not exist.
    const keyTable = { client: documents, tableName: cloud.outputs.KeyTableName };
    const read = async (tenant: string): Promise<number> => {
      const { key } = await createMachineKey(keyTable, {
        tenant,
        scopes: ['items:read'],
        client: 'browser-test',
      });
      const tap = createTapClient({ baseUrl: cloud.baseUrl, apiKey: key });
      const { response, data } = await tap.GET('/api/items/{id}', {
        params: { path: { id: outcome.itemId } },
      });
      if (data) expect(data.name).toBe('made in a browser');
      return response.status;
    };
    expect(await read(TENANT)).toBe(200);
    expect(await read(OTHER_TENANT)).toBe(404);
  }, 60_000);

  it('does not let a signed-in page on an origin the API does not allow read it', async () => {
    const page = await browser.newPage();
    const exchanges = await recordExchanges(page);

    await openPage(page, otherOrigin, 'probe');
    const { outcome } = await signIn(page, otherOrigin);

    // The sign-in worked from this origin too (the token endpoint admits any origin)…
    expect(outcome).toMatchObject({ ok: true, tokenStatus: 200, refused: true });
    // …but the API refused by CORS, not by a dead server or a bad token: the gateway
    // answered the preflight without naming the origin, so the browser blocked the request
    // itself and the token never reached the API.
    const find = findIn(exchanges());
    const api = new URL(cloud.baseUrl).host;
    expect(find('OPTIONS', api, '/api/items')).toEqual(
      expect.objectContaining({ status: 204, allowOrigin: undefined }),
    );
    const refused = find('GET', api, '/api/items');
    expect(refused).toMatchObject({
      method: 'GET',
      url: `${cloud.baseUrl}/api/items`,
      corsError: 'PreflightMissingAllowOriginHeader',
    });
    expect(refused?.status).toBeUndefined();
    await page.close();
  }, 40_000);

  it('ignores a callback that does not carry the state of its sign-in', async () => {
    const page = await browser.newPage();
    const exchanges = await recordExchanges(page);

    await openPage(page, pageOrigin, 'journey');
    // Instead of signing in, the browser comes back with a code and state it was not given
    // (as a forged link would bring it): the page must not redeem that code.
    await page.goto(`${pageOrigin}${CALLBACK_PATH}?code=forged&state=forged`);
    await page.waitForFunction((name) => name in window, OUTCOME_GLOBAL, { timeout: 10_000 });

    expect(await publishedOutcome(page)).toMatchObject({ ok: false, step: 'check state' });
    const issuer = new URL(cloud.issuer.origin).host;
    expect(findIn(exchanges())('POST', issuer, '/oauth2/token')).toBeUndefined();
    // The sign-in it abandoned is forgotten too: a second callback finds nothing.
    expect(await page.evaluate((key) => sessionStorage.getItem(key), SIGN_IN_STORAGE_KEY)).toBe(
      null,
    );
    await page.close();
  }, 30_000);
});
