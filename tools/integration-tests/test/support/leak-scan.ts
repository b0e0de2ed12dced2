/**
 * Every response the stress suites receive from the API is scanned for internals that must
 * never reach a client: stack traces, AWS error names, ARNs and socket error codes. The API
 * promises this (its problem bodies are written, never copied from an error); the scan
 * checks it on the responses the suites actually provoked, faults included.
 */

/** What a leak looks like, by kind. */
export const LEAK_PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'stack trace', pattern: /at .*\(.*:\d+:\d+\)/ },
  {
    kind: 'AWS error name',
    pattern:
      /\b(?:\w+Exception|ConditionalCheckFailed|NoSuchKey|NoSuchBucket|AccessDenied|SignatureDoesNotMatch|ThrottlingException|TimeoutError|RequestTimeout|InternalFailure)\b/,
  },
  { kind: 'ARN', pattern: /arn:aws/ },
  { kind: 'socket error code', pattern: /\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|NOTFOUND)\b/ },
];

/** One leak: where it was found and a short excerpt around it. */
export interface LeakFinding {
  readonly origin: string;
  readonly kind: string;
  readonly excerpt: string;
}

const MAX_FINDINGS = 20;

/**
 * Collects the API's responses of one test file and what leaked in them. Only findings are
 * kept (bodies can be large and there are thousands); `scanned` proves the scan ran over
 * the traffic, so a suite whose recording broke cannot pass by having seen nothing.
 */
export class ResponseLog {
  private readonly leaks: LeakFinding[] = [];
  private count = 0;

  /** Scans one response's status line, headers and body. */
  record(origin: string, headers: Iterable<readonly [string, string]>, body: string): void {
    this.count += 1;
    const headerText = [...headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    for (const text of [headerText, body]) {
      for (const { kind, pattern } of LEAK_PATTERNS) {
        const match = pattern.exec(text);
        if (match && this.leaks.length < MAX_FINDINGS) {
          const start = Math.max(0, match.index - 60);
          this.leaks.push({ origin, kind, excerpt: text.slice(start, match.index + 120) });
        }
      }
    }
  }

  /** How many responses were scanned. */
  get scanned(): number {
    return this.count;
  }

  /** Leaks found so far (at most {@link MAX_FINDINGS}). */
  get findings(): readonly LeakFinding[] {
    return this.leaks;
  }
}

/**
 * A `fetch` that records every response in `log` (the typed client takes it as its
 * `fetch`), so responses read through `@tap/client` are scanned too.
 */
export function recordingFetch(log: ResponseLog): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const request = input instanceof Request ? input : undefined;
    const method = init?.method ?? request?.method ?? 'GET';
    const url = request ? request.url : String(input);
    log.record(
      `${method} ${new URL(url).pathname} → ${response.status}`,
      response.headers.entries(),
      await response.clone().text(),
    );
    return response;
  };
}
