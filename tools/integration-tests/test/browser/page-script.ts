/**
 * The script the test page runs in Chromium, bundled by esbuild with `@tap/client`
 * pointing at the BUILT client (`dist/libs/tap-client/index.js`), so the browser exercises
 * what npm publishes. The page holds no secret: its query names only where the API and the
 * issuer are, the public client's id and the mode (`?api=…&issuer=…&client=…&mode=…`).
 *
 * It signs a user in as a single-page app does, with the authorization code flow and PKCE:
 *
 * 1. On `/`: reads the issuer's discovery document, creates a PKCE verifier and a state
 *    (Web Crypto), keeps them in `sessionStorage` and goes to the authorization endpoint,
 *    asking to come back to {@link CALLBACK_PATH} on its own origin.
 * 2. The user (the test, through Playwright) signs in on the issuer's page.
 * 3. On {@link CALLBACK_PATH}: checks the state, exchanges the code and the verifier for
 *    tokens at the token endpoint (a cross-origin `fetch`), keeps the access token in
 *    memory only, and runs the journey or the probe with it. It publishes its outcome on
 *    `window`.
 */
import { createTapClient, uploadFile } from '@tap/client';
import { SCOPES, scopeClaim } from '@tap/contracts';
import {
  CALLBACK_PATH,
  OUTCOME_GLOBAL,
  SIGN_IN_STORAGE_KEY,
  type OriginProbe,
  type PageFailure,
  type PageJourney,
  type PageMode,
} from './run-result';

/** Binary bytes (every byte value, twice), so a text or encoding mix-up cannot pass. */
const UPLOAD = Uint8Array.from({ length: 512 }, (_, index) => (index * 7 + 3) % 256);

/** What the page asks for: an ID token, and the API's scopes. */
const SCOPE = `openid ${scopeClaim(SCOPES)}`;

/** The steps of a run, in order; a failure names the one it stopped at. */
type Step =
  | 'read settings'
  | 'read discovery'
  | 'start sign-in'
  | 'check state'
  | 'sign in'
  | 'exchange code'
  | 'create item'
  | 'upload file'
  | 'list files'
  | 'get download url'
  | 'download';

/** A failure of a named step. */
class StepError extends Error {
  constructor(
    readonly step: Step,
    message: string,
  ) {
    super(message);
  }
}

/** A sign-in under way, kept in `sessionStorage` while the browser is at the issuer. */
interface PendingSignIn {
  readonly api: string;
  readonly mode: PageMode;
  readonly clientId: string;
  readonly tokenEndpoint: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeVerifier: string;
}

/** Bytes as unpadded base64url (RFC 7636 appendix A). */
function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** `count` random bytes, base64url: 32 make a 43-character verifier. */
const randomBase64Url = (count: number): string =>
  base64Url(crypto.getRandomValues(new Uint8Array(count)));

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** Step 1, on `/`: remembers a new sign-in and goes to the issuer. */
async function startSignIn(query: URLSearchParams): Promise<void> {
  const setting = (name: string): string => {
    const value = query.get(name);
    if (!value) throw new StepError('read settings', `the page's query has no ${name}`);
    return value;
  };
  const api = setting('api');
  const issuer = setting('issuer');
  const clientId = setting('client');
  const mode: PageMode = setting('mode') === 'probe' ? 'probe' : 'journey';

  // Public and CORS-open: what a browser OIDC library reads before anything else.
  let discovery: Record<string, unknown>;
  try {
    const answer = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!answer.ok) throw new Error(`status ${answer.status}`);
    discovery = (await answer.json()) as Record<string, unknown>;
  } catch (failure) {
    throw new StepError('read discovery', String(failure));
  }
  const { authorization_endpoint: authorize, token_endpoint: token } = discovery;
  if (
    discovery['issuer'] !== issuer ||
    typeof authorize !== 'string' ||
    typeof token !== 'string'
  ) {
    throw new StepError(
      'read discovery',
      `not this issuer's document: ${JSON.stringify(discovery)}`,
    );
  }

  const pending: PendingSignIn = {
    api,
    mode,
    clientId,
    tokenEndpoint: token,
    redirectUri: `${location.origin}${CALLBACK_PATH}`,
    state: randomBase64Url(16),
    codeVerifier: randomBase64Url(32),
  };
  sessionStorage.setItem(SIGN_IN_STORAGE_KEY, JSON.stringify(pending));
  const target = new URL(authorize);
  target.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: pending.redirectUri,
    scope: SCOPE,
    state: pending.state,
    code_challenge: await s256(pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(target.href);
}

/** Step 3, on the callback: the sign-in's settings and the user's access token. */
async function finishSignIn(): Promise<{
  pending: PendingSignIn;
  accessToken: string;
  tokenStatus: number;
}> {
  const callback = new URLSearchParams(location.search);
  const saved = sessionStorage.getItem(SIGN_IN_STORAGE_KEY);
  // One use: a reload or a second callback finds nothing to complete.
  sessionStorage.removeItem(SIGN_IN_STORAGE_KEY);
  // The code leaves the address bar (and the history) before anything else runs.
  history.replaceState(null, '', CALLBACK_PATH);
  if (saved === null) throw new StepError('check state', 'no sign-in is under way');
  const pending = JSON.parse(saved) as PendingSignIn;
  // Before anything else in the answer: a callback the page did not ask for is ignored.
  if (callback.get('state') !== pending.state) {
    throw new StepError('check state', 'the callback does not carry the state of this sign-in');
  }
  const error = callback.get('error');
  if (error !== null) {
    throw new StepError('sign in', `${error}: ${callback.get('error_description') ?? ''}`);
  }
  const code = callback.get('code');
  if (!code) throw new StepError('sign in', 'the callback carries no code');

  // A form body makes this a simple request: no preflight, but the browser still lets the
  // page read the answer only if the token endpoint names it (or `*`).
  let response: Response;
  let body: Record<string, unknown>;
  try {
    response = await fetch(pending.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.codeVerifier,
      }),
    });
    body = (await response.json()) as Record<string, unknown>;
  } catch (failure) {
    throw new StepError('exchange code', String(failure));
  }
  const accessToken = body['access_token'];
  if (!response.ok || typeof accessToken !== 'string') {
    throw new StepError('exchange code', `status ${response.status}: ${JSON.stringify(body)}`);
  }
  return { pending, accessToken, tokenStatus: response.status };
}

/** The journey, as the signed-in user. */
async function journey(
  api: string,
  accessToken: string,
  tokenStatus: number,
): Promise<PageJourney> {
  let step: Step = 'create item';
  try {
    const tap = createTapClient({ baseUrl: api, accessToken: () => accessToken });
    const created = await tap.POST('/api/items', {
      body: { name: 'made in a browser', tags: ['browser'] },
    });
    if (!created.data) throw new Error(`status ${created.response.status}`);
    const itemId = created.data.id;

    step = 'upload file';
    let uploadStatus = 0;
    const { fileId } = await uploadFile(tap, {
      itemId,
      fileName: 'bytes.bin',
      contentType: 'application/octet-stream',
      body: UPLOAD,
      // Records the storage's answer; uploadFile itself only says whether it was ok.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        uploadStatus = response.status;
        return response;
      },
    });

    step = 'list files';
    const listed = await tap.GET('/api/items/{id}/files', { params: { path: { id: itemId } } });
    if (!listed.data) throw new Error(`status ${listed.response.status}`);

    step = 'get download url';
    const grant = await tap.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: itemId, fileId } },
    });
    if (!grant.data) throw new Error(`status ${grant.response.status}`);

    step = 'download';
    const download = await fetch(grant.data.downloadUrl);
    const downloaded = new Uint8Array(await download.arrayBuffer());

    return {
      ok: true,
      tokenStatus,
      createStatus: created.response.status,
      itemId,
      fileId,
      uploadStatus,
      uploaded: [...UPLOAD],
      listedFileIds: listed.data.files.map((file) => file.fileId),
      downloadStatus: download.status,
      downloaded: [...downloaded],
    };
  } catch (error) {
    throw error instanceof StepError ? error : new StepError(step, String(error));
  }
}

/**
 * From an origin the API does not allow, with a valid token: the browser must not let the
 * page read the API. The `authorization` header makes the call non-simple, so the browser
 * asks first, and the gateway's answer to that preflight decides.
 */
async function probe(api: string, accessToken: string, tokenStatus: number): Promise<OriginProbe> {
  try {
    const response = await fetch(`${api}/api/items`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return { ok: true, tokenStatus, refused: false, detail: `status ${response.status}` };
  } catch (error) {
    return { ok: true, tokenStatus, refused: true, detail: String(error) };
  }
}

async function main(): Promise<void> {
  const publish = (outcome: PageJourney | PageFailure | OriginProbe): void => {
    (window as unknown as Record<string, unknown>)[OUTCOME_GLOBAL] = outcome;
  };
  const callback = location.pathname === CALLBACK_PATH;
  try {
    if (!callback) {
      // The browser leaves for the issuer; this page publishes nothing.
      await startSignIn(new URLSearchParams(location.search));
      return;
    }
    const { pending, accessToken, tokenStatus } = await finishSignIn();
    const run = pending.mode === 'probe' ? probe : journey;
    publish(await run(pending.api, accessToken, tokenStatus));
  } catch (error) {
    // Named by step, so a failing test says where the browser stopped and why.
    const step =
      error instanceof StepError ? error.step : callback ? 'check state' : 'start sign-in';
    publish({ ok: false, step, message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
