import type { AuthorizeRequest } from './authorize-request';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * Headers of every page. The pages run no script; the CSP says so, and framing is
 * refused so no other site can overlay the sign-in form.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.5rem;margin-top:.25rem;font-size:1rem}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}
.note{color:#555}.error{color:#a00;font-weight:600}code{overflow-wrap:anywhere}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** What the sign-in form shows besides the request: a previous attempt's values and error. */
export interface SignInPageState {
  readonly username?: string;
  readonly tenant?: string;
  readonly error?: string;
}

/**
 * The hosted-UI-like sign-in page: a username, an optional tenant, and the authorization
 * request carried along as hidden fields to `POST /oauth2/authorize`.
 */
export function signInPage(request: AuthorizeRequest, state: SignInPageState = {}): string {
  const hidden = Object.entries(request.parameters)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  const scopes = request.scope.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(', ');
  return page(
    'Sign in: TAP local cloud',
    `<h1>Sign in</h1>
<p class="note">This is the local cloud's OpenID Connect issuer. It has no passwords:
enter any username to sign in as that user.</p>
${state.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(state.error)}</p>`}
<form method="post" action="/oauth2/authorize">
${hidden}
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(state.username ?? '')}">
<label for="tenant">Tenant (optional)</label>
<input id="tenant" name="tenant" value="${escapeHtml(state.tenant ?? '')}">
<button type="submit">Sign in</button>
</form>
<p class="note">Signing in returns to <code>${escapeHtml(request.redirectUri)}</code>
with the scopes ${scopes}.</p>`,
  );
}

/** A page refusing an authorization request that cannot be sent back to its client. */
export function errorPage(message: string): string {
  return page(
    'Sign-in refused: TAP local cloud',
    `<h1>Sign-in refused</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="note">The local issuer accepts its own client id and redirect URIs on
localhost, 127.0.0.1 or [::1] only.</p>`,
  );
}
