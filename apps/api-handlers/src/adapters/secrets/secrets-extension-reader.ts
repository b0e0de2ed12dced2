/**
 * Reads Secrets Manager values through the AWS Parameters and Secrets Lambda Extension: a
 * plain GET to the layer's loopback port inside the execution environment, which calls
 * Secrets Manager itself and caches the answer. No SDK client is loaded and nothing is
 * signed here, which is what keeps the authorizer's cold start small.
 *
 * The reader serves the default version (AWSCURRENT) only, from its own cache while fresh;
 * it is the fast half of {@link createLayeredSecretReader}, which sends everything else
 * (other version stages, forced refetches, and any read the extension fails) to the SDK.
 */
import { SECRETS_EXTENSION } from '@tap/contracts';
import { Agent, request } from 'node:http';
import { AWSCURRENT, type JsonSecretReader } from '../../core/secret-reader';

/** How long one read may take before it is abandoned, in ms: the extension is local. */
export const EXTENSION_TIMEOUT_MS = 1000;

/** Largest answer read: a secret is at most 64 KiB, its JSON envelope a little more. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/** A read the extension refused or could not serve; the message never holds the value. */
export class SecretsExtensionError extends Error {
  constructor(
    message: string,
    /** The extension's HTTP status, when it answered. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'SecretsExtensionError';
  }
}

/** Options of {@link createSecretsExtensionReader}. */
export interface SecretsExtensionReaderOptions {
  /** The extension's port (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`). */
  readonly port: number;
  /** The function's `AWS_SESSION_TOKEN`, which the extension requires on every request. */
  readonly sessionToken: string;
  /** How long a value is served from memory before it is asked for again, in seconds. */
  readonly maxAgeSeconds: number;
  /** Per-read timeout in ms; default {@link EXTENSION_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Clock in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** The fields of the extension's answer (GetSecretValue's output) this reader uses. */
interface ExtensionAnswer {
  readonly SecretString?: unknown;
}

/**
 * Creates a reader of AWSCURRENT values through the extension, caching each for
 * `maxAgeSeconds` and sharing a read in flight. A forced read or another version stage is
 * refused with {@link SecretsExtensionError}: the extension's own cache would answer it,
 * which is exactly what such a read must not get.
 */
export function createSecretsExtensionReader(
  options: SecretsExtensionReaderOptions,
): JsonSecretReader {
  const now = options.now ?? ((): number => Date.now());
  const timeoutMs = options.timeoutMs ?? EXTENSION_TIMEOUT_MS;
  // One kept-alive connection serves the container's reads (an idle one does not hold the
  // process open: the agent unrefs the sockets it keeps).
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const cache = new Map<string, { readonly value: unknown; readonly expiresAt: number }>();
  const inFlight = new Map<string, Promise<unknown>>();

  const fetchValue = (secretId: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        {
          // An IP, not `localhost`: no name lookup on a cold start, and the extension
          // listens on the IPv4 loopback.
          host: '127.0.0.1',
          port: options.port,
          method: 'GET',
          path: `${SECRETS_EXTENSION.secretPath}?secretId=${encodeURIComponent(secretId)}`,
          headers: { [SECRETS_EXTENSION.tokenHeader]: options.sessionToken },
          agent,
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
            else response.destroy(new SecretsExtensionError('the answer is too large'));
          });
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status !== 200) {
              // The body may name the secret or echo the error; it stays out of the message.
              reject(new SecretsExtensionError(`the extension answered ${status}`, status));
              return;
            }
            let answer: ExtensionAnswer;
            try {
              answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExtensionAnswer;
            } catch {
              reject(new SecretsExtensionError('the answer is not JSON', status));
              return;
            }
            if (typeof answer.SecretString !== 'string') {
              reject(new SecretsExtensionError('the answer holds no SecretString', status));
              return;
            }
            try {
              resolve(JSON.parse(answer.SecretString));
            } catch {
              reject(new SecretsExtensionError('the secret is not JSON', status));
            }
          });
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new SecretsExtensionError(`no answer within ${timeoutMs} ms`)),
      );
      outgoing.on('error', (error) =>
        reject(
          error instanceof SecretsExtensionError
            ? error
            : new SecretsExtensionError(`cannot reach the extension: ${error.message}`),
        ),
      );
      outgoing.end();
    });

  return {
    readJson(secretId, readOptions = {}) {
      const stage = readOptions.versionStage ?? AWSCURRENT;
      if (stage !== AWSCURRENT || readOptions.forceFetch) {
        return Promise.reject(
          new SecretsExtensionError('only cached reads of AWSCURRENT go through the extension'),
        );
      }
      const cached = cache.get(secretId);
      if (cached && now() < cached.expiresAt) return Promise.resolve(cached.value);
      let pending = inFlight.get(secretId);
      if (!pending) {
        pending = fetchValue(secretId)
          .then((value) => {
            cache.set(secretId, { value, expiresAt: now() + options.maxAgeSeconds * 1000 });
            return value;
          })
          .finally(() => inFlight.delete(secretId));
        inFlight.set(secretId, pending);
      }
      return pending;
    },
  };
}

/** Options of {@link createLayeredSecretReader}. */
export interface LayeredSecretReaderOptions {
  /** Cached AWSCURRENT reads: the extension. */
  readonly fast: JsonSecretReader;
  /** Everything else, and any read `fast` fails: Secrets Manager through the SDK. */
  readonly authoritative: JsonSecretReader;
  /** How long a forced read's value outranks `fast`'s cache, in seconds (its max age). */
  readonly maxAgeSeconds: number;
  /** Told when `fast` failed and `authoritative` was asked instead. */
  readonly onFallback?: (error: unknown) => void;
  /** Clock in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Serves plain reads of the current version from `fast` and everything else from
 * `authoritative`, which also stands in when `fast` fails: a missing or broken extension
 * slows reads down, it never fails them on its own.
 *
 * A forced read of the current version (after a rotation) is newer than anything `fast`
 * may still hold in its cache, so plain reads get that value until `maxAgeSeconds` pass;
 * otherwise a rotated key would be accepted only while a forced read was in flight.
 */
export function createLayeredSecretReader(options: LayeredSecretReaderOptions): JsonSecretReader {
  const now = options.now ?? ((): number => Date.now());
  const forced = new Map<string, { readonly value: unknown; readonly expiresAt: number }>();
  return {
    async readJson(secretId, readOptions = {}) {
      const current = (readOptions.versionStage ?? AWSCURRENT) === AWSCURRENT;
      if (current && readOptions.forceFetch) {
        const value = await options.authoritative.readJson(secretId, readOptions);
        forced.set(secretId, { value, expiresAt: now() + options.maxAgeSeconds * 1000 });
        return value;
      }
      if (!current) return options.authoritative.readJson(secretId, readOptions);
      const fresh = forced.get(secretId);
      if (fresh && now() < fresh.expiresAt) return fresh.value;
      try {
        return await options.fast.readJson(secretId, readOptions);
      } catch (error) {
        options.onFallback?.(error);
        return options.authoritative.readJson(secretId, readOptions);
      }
    },
  };
}
