import { CORS_POLICY } from '@tap/contracts';
import {
  allowedOrigin,
  corsConfiguration,
  isPreflight,
  preflightHeaders,
  responseCorsHeaders,
} from './cors';

describe('CORS', () => {
  const listed = corsConfiguration(['https://app.example.com', 'https://*.preview.example.com']);
  const anyOrigin = corsConfiguration(CORS_POLICY.defaultAllowOrigins);

  it('answers * for any origin when every origin is allowed', () => {
    expect(allowedOrigin(anyOrigin, 'https://whatever.example')).toBe('*');
  });

  it('echoes a listed origin, including wildcard subdomains, and refuses others', () => {
    expect(allowedOrigin(listed, 'https://app.example.com')).toBe('https://app.example.com');
    expect(allowedOrigin(listed, 'https://pr-7.preview.example.com')).toBe(
      'https://pr-7.preview.example.com',
    );
    expect(allowedOrigin(listed, 'https://evil.example.com')).toBeUndefined();
    expect(allowedOrigin(listed, undefined)).toBeUndefined();
  });

  it('recognises a preflight only with Origin and Access-Control-Request-Method', () => {
    const preflight = {
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
    };
    expect(isPreflight('OPTIONS', preflight)).toBe(true);
    expect(isPreflight('OPTIONS', { origin: 'https://app.example.com' })).toBe(false);
    expect(isPreflight('GET', preflight)).toBe(false);
  });

  it('answers a preflight with the policy of the stack', () => {
    expect(preflightHeaders(listed, 'https://app.example.com')).toEqual([
      ['access-control-allow-origin', 'https://app.example.com'],
      ['access-control-allow-methods', CORS_POLICY.allowMethods.join(',')],
      ['access-control-allow-headers', CORS_POLICY.allowHeaders.join(',')],
      ['access-control-max-age', String(CORS_POLICY.maxAgeSeconds)],
    ]);
    expect(preflightHeaders(listed, 'https://evil.example.com')).toEqual([]);
  });

  it('adds allow-origin and expose-headers to responses for allowed origins only', () => {
    expect(responseCorsHeaders(anyOrigin, 'https://x.example')).toEqual([
      ['access-control-allow-origin', '*'],
      ['access-control-expose-headers', CORS_POLICY.exposeHeaders.join(',')],
    ]);
    expect(responseCorsHeaders(listed, 'https://evil.example.com')).toEqual([]);
  });
});
