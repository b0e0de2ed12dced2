/**
 * What the browser page reports back to the test through `window`: the page runs the
 * client, the test only reads the outcome, so every figure here was produced by the browser.
 */

/** Name of the `window` property the page publishes its {@link PageOutcome} on. */
export const OUTCOME_GLOBAL = 'tapBrowserOutcome';

/** A journey that ran to its end. */
export interface PageJourney {
  readonly ok: true;
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

/** A journey that stopped: which step, and what the browser said. */
export interface PageFailure {
  readonly ok: false;
  readonly step: string;
  readonly message: string;
}

/** The probe run by a page whose origin is not allowed: did the browser let it read? */
export interface OriginProbe {
  readonly ok: true;
  /** True when the browser refused the cross-origin request (fetch rejected). */
  readonly refused: boolean;
  /** The browser's error, or the status it let through. */
  readonly detail: string;
}

/** Everything a page may publish. */
export type PageOutcome = PageJourney | PageFailure | OriginProbe;
