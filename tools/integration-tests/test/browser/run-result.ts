/**
 * What the browser page and the test share: the page's paths and query, and the outcome the
 * page reports back through `window`. The page signs in and runs the client, the test only
 * reads the outcome, so every figure here was produced by the browser.
 */

/** Name of the `window` property the page publishes its {@link PageOutcome} on. */
export const OUTCOME_GLOBAL = 'tapBrowserOutcome';

/**
 * Where the issuer sends the browser back after sign-in: the static site serves the same
 * page there, which then finishes the sign-in instead of starting one.
 */
export const CALLBACK_PATH = '/callback';

/**
 * The `sessionStorage` entry that carries a sign-in across the trip to the issuer: its
 * PKCE verifier, its state and the page's settings. Removed as soon as the callback reads it.
 */
export const SIGN_IN_STORAGE_KEY = 'tapBrowserSignIn';

/**
 * The page's query parameters, all of them: nothing secret, only where things are.
 *
 * - `api`: the API's base URL;
 * - `issuer`: the OpenID Connect issuer URL, whose discovery document names the
 *   authorization and token endpoints;
 * - `client`: the public app client's id (it has no secret);
 * - `mode`: `journey` or `probe`.
 */
export const PAGE_QUERY_PARAMETERS = ['api', 'issuer', 'client', 'mode'] as const;

/** What the page does once signed in. */
export type PageMode = 'journey' | 'probe';

/** A journey that ran to its end. */
export interface PageJourney {
  readonly ok: true;
  /** Status of the token endpoint's answer to the code exchange, as the page's fetch saw it. */
  readonly tokenStatus: number;
  /** Status of `POST /api/items`. */
  readonly createStatus: number;
  readonly itemId: string;
  readonly fileId: string;
  /** Status of the presigned PUT to the bucket, as the page's fetch saw it. */
  readonly uploadStatus: number;
  /** The bytes the page uploaded. */
  readonly uploaded: readonly number[];
  /** File ids `GET /api/items/{id}/files` listed. */
  readonly listedFileIds: readonly string[];
  /** Status of the GET of the presigned download URL. */
  readonly downloadStatus: number;
  /** The bytes that came back from the presigned download URL. */
  readonly downloaded: readonly number[];
}

/** A sign-in or journey that stopped: which step, and what the browser said. */
export interface PageFailure {
  readonly ok: false;
  readonly step: string;
  readonly message: string;
}

/**
 * The probe run by a page whose origin is not allowed, signed in like any other: did the
 * browser let it read the API with the user's token?
 */
export interface OriginProbe {
  readonly ok: true;
  /** Status of the token endpoint's answer to the code exchange (its CORS admits any origin). */
  readonly tokenStatus: number;
  /** True when the browser refused the cross-origin request (fetch rejected). */
  readonly refused: boolean;
  /** The browser's error, or the status it let through. */
  readonly detail: string;
}

/** Everything a page may publish. */
export type PageOutcome = PageJourney | PageFailure | OriginProbe;
