/**
 * A caller's credential, whichever kind it is: a machine key (sent in the API key header)
 * or a user's access token (sent as a bearer token), as raw headers or as a typed client.
 */
import { API_KEY_HEADER } from '@tap/contracts';
import { createTapClient, type TapClient } from '@tap/client';

/** What a caller presents. */
export type Credential =
  | { readonly kind: 'machine'; readonly key: string }
  | { readonly kind: 'user'; readonly token: string };

/** The headers that carry a credential. */
export const credentialHeaders = (credential: Credential): Record<string, string> =>
  credential.kind === 'machine'
    ? { [API_KEY_HEADER]: credential.key }
    : { authorization: `Bearer ${credential.token}` };

/** A typed client presenting a credential. */
export const clientWith = (baseUrl: string, credential: Credential): TapClient =>
  credential.kind === 'machine'
    ? createTapClient({ baseUrl, apiKey: credential.key })
    : createTapClient({ baseUrl, accessToken: () => credential.token });
