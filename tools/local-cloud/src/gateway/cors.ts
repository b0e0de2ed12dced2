import { CORS_POLICY } from '@tap/contracts';

/** The HTTP API's CORS configuration. */
export interface CorsConfiguration {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** The stack's CORS configuration for the given origins. */
export function corsConfiguration(allowOrigins: readonly string[]): CorsConfiguration {
  return {
    allowOrigins,
    allowMethods: CORS_POLICY.allowMethods,
    allowHeaders: CORS_POLICY.allowHeaders,
    exposeHeaders: CORS_POLICY.exposeHeaders,
    maxAgeSeconds: CORS_POLICY.maxAgeSeconds,
  };
}

type HeaderPairs = [string, string][];

function originPattern(allowed: string): RegExp {
  const escaped = allowed.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 'i');
}

/**
 * The `access-control-allow-origin` value for a request's Origin, or undefined when the
 * origin is not allowed. `*` is answered as `*`; a listed origin (wildcards allowed, as in
 * `https://*.example.com`) is echoed back.
 */
export function allowedOrigin(
  config: CorsConfiguration,
  origin: string | undefined,
): string | undefined {
  if (!origin) return undefined;
  if (config.allowOrigins.includes('*')) return '*';
  return config.allowOrigins.some((allowed) => originPattern(allowed).test(origin))
    ? origin
    : undefined;
}

/** Whether a request is a CORS preflight, which the HTTP API answers itself. */
export function isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
  return (
    method.toUpperCase() === 'OPTIONS' &&
    headers['origin'] !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/** Headers of the gateway's preflight answer (none for a disallowed origin). */
export function preflightHeaders(
  config: CorsConfiguration,
  origin: string | undefined,
): HeaderPairs {
  const allowOrigin = allowedOrigin(config, origin);
  if (!allowOrigin) return [];
  return [
    ['access-control-allow-origin', allowOrigin],
    ['access-control-allow-methods', config.allowMethods.join(',')],
    ['access-control-allow-headers', config.allowHeaders.join(',')],
    ['access-control-max-age', String(config.maxAgeSeconds)],
  ];
}

/** CORS headers added to every other response for an allowed origin. */
export function responseCorsHeaders(
  config: CorsConfiguration,
  origin: string | undefined,
): HeaderPairs {
  const allowOrigin = allowedOrigin(config, origin);
  if (!allowOrigin) return [];
  const headers: HeaderPairs = [['access-control-allow-origin', allowOrigin]];
  if (config.exposeHeaders.length > 0) {
    headers.push(['access-control-expose-headers', config.exposeHeaders.join(',')]);
  }
  return headers;
}
