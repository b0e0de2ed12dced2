/** The scope every OpenID Connect request may ask for, besides the resource server's. */
export const OPENID_SCOPE = 'openid';

/** Parameters of `/oauth2/authorize` that travel with the sign-in form. */
export const AUTHORIZE_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
] as const;

/** One of {@link AUTHORIZE_PARAMETERS}. */
export type AuthorizeParameter = (typeof AUTHORIZE_PARAMETERS)[number];

/** An authorization request that passed every check. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Granted scopes, `openid` first, then the resource server's in the issuer's order. */
  readonly scope: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly nonce: string | undefined;
  /** The parameters as received, for the sign-in form's hidden fields. */
  readonly parameters: Readonly<Partial<Record<AuthorizeParameter, string>>>;
}

/**
 * How to answer an authorization request (RFC 6749 §4.1.2.1): with the sign-in page; with
 * a page of its own when the client or redirect URI cannot be trusted (redirecting there
 * would make the issuer an open redirector); otherwise errors go back to the client.
 */
export type AuthorizeOutcome =
  | { readonly kind: 'valid'; readonly request: AuthorizeRequest }
  | { readonly kind: 'refused'; readonly message: string }
  | {
      readonly kind: 'redirect-error';
      readonly redirectUri: string;
      readonly error: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope';
      readonly description: string;
      readonly state: string | undefined;
    };

/** What the issuer accepts. */
export interface AuthorizePolicy {
  readonly clientId: string;
  /** Full scope names (`<resourceServer>/<scope>`), without `openid`. */
  readonly resourceScopes: readonly string[];
}

/** Hosts a redirect URI may point at: the developer's own machine, nothing else. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** RFC 7636 §4.2: an S256 challenge is base64url without padding; 43 to 128 characters. */
const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** Why a redirect URI is refused, or undefined when it is acceptable. */
export function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'redirect_uri is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'redirect_uri must be an http or https URL';
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return 'redirect_uri must point at localhost, 127.0.0.1 or [::1]: the local issuer redirects nowhere else';
  }
  // RFC 6749 §3.1.2: no fragment; and credentials in it would be sent to the browser.
  if (value.includes('#')) return 'redirect_uri must not contain a fragment';
  if (url.username !== '' || url.password !== '') {
    return 'redirect_uri must not contain credentials';
  }
  return undefined;
}

/**
 * Checks `/oauth2/authorize` parameters, in the order OAuth prescribes: client and
 * redirect URI first (their errors are never redirected), then the rest.
 *
 * @param parameters the query (GET) or form (POST).
 */
export function checkAuthorizeRequest(
  parameters: URLSearchParams,
  policy: AuthorizePolicy,
): AuthorizeOutcome {
  const repeated = AUTHORIZE_PARAMETERS.filter((name) => parameters.getAll(name).length > 1);
  const value = (name: AuthorizeParameter): string | undefined => parameters.get(name) ?? undefined;
  const clientId = value('client_id');
  const redirectUri = value('redirect_uri');
  if (repeated.includes('client_id') || repeated.includes('redirect_uri')) {
    return { kind: 'refused', message: 'client_id and redirect_uri must each be given once.' };
  }
  if (clientId === undefined) return { kind: 'refused', message: 'client_id is missing.' };
  if (clientId !== policy.clientId) {
    return { kind: 'refused', message: `Unknown client_id ${JSON.stringify(clientId)}.` };
  }
  if (redirectUri === undefined) return { kind: 'refused', message: 'redirect_uri is missing.' };
  const uriProblem = redirectUriProblem(redirectUri);
  if (uriProblem !== undefined) return { kind: 'refused', message: `${uriProblem}.` };

  const state = value('state');
  const error = (
    code: 'invalid_request' | 'unsupported_response_type' | 'invalid_scope',
    description: string,
  ): AuthorizeOutcome => ({ kind: 'redirect-error', redirectUri, error: code, description, state });
  if (repeated.length > 0) {
    return error('invalid_request', `${repeated.join(', ')} must be given once`);
  }
  const responseType = value('response_type');
  if (responseType === undefined) return error('invalid_request', 'response_type is missing');
  if (responseType !== 'code') {
    return error('unsupported_response_type', 'only response_type=code is supported');
  }
  // A public client without PKCE would let anyone who sees the redirect redeem the code.
  const codeChallenge = value('code_challenge');
  if (codeChallenge === undefined) {
    return error('invalid_request', 'code_challenge is required (PKCE)');
  }
  if (value('code_challenge_method') !== 'S256') {
    return error('invalid_request', 'code_challenge_method must be S256');
  }
  if (!CODE_CHALLENGE_PATTERN.test(codeChallenge)) {
    return error('invalid_request', 'code_challenge must be 43 to 128 base64url characters');
  }

  const known = [OPENID_SCOPE, ...policy.resourceScopes];
  const requested = (value('scope') ?? '').split(' ').filter((scope) => scope !== '');
  const unknown = requested.filter((scope) => !known.includes(scope));
  if (unknown.length > 0) {
    return error('invalid_scope', `unknown scope ${unknown.join(' ')}`);
  }
  // No scope asked for: everything the client may have, as Cognito grants then.
  const scope = requested.length === 0 ? known : known.filter((name) => requested.includes(name));

  const received: Partial<Record<AuthorizeParameter, string>> = {};
  for (const name of AUTHORIZE_PARAMETERS) {
    const given = value(name);
    if (given !== undefined) received[name] = given;
  }
  return {
    kind: 'valid',
    request: {
      clientId,
      redirectUri,
      scope,
      state,
      codeChallenge,
      nonce: value('nonce'),
      parameters: received,
    },
  };
}
