/**
 * The API-key authorizer: an HTTP API Lambda authorizer (payload 2.0, simple responses).
 *
 * A matching `x-api-key` is authorized. A missing or wrong key throws `Unauthorized`,
 * which API Gateway answers as the same 401 in both cases. If the expected key cannot be
 * read, the authorizer fails closed with a different error, which the gateway answers as
 * a 500: an outage of Secrets Manager never opens the API.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ApiKeySecretValue } from '@tap/contracts';
import { API_KEY_HEADER } from '@tap/contracts';
import type { JsonSecretReader } from '../secrets';
import { readSecretField } from '../secrets';

/** The message API Gateway turns into its 401 answer; any other error becomes a 500. */
export const UNAUTHORIZED_MESSAGE = 'Unauthorized';

/** Field of the secret's JSON holding the key, checked against the deployment contract. */
const API_KEY_FIELD = 'apiKey' satisfies keyof ApiKeySecretValue;

/** The authorizer's answer when the key matches; it passes no context to the route. */
export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<Record<string, never>>;

/** The authorizer Lambda handler. */
export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<AuthorizerResult>;

/** Dependencies of {@link createAuthorizer}. */
export interface AuthorizerDependencies {
  /** Reads the API key secret; it should cache, as it is called on every invocation. */
  readonly secrets: JsonSecretReader;
  readonly apiKeySecretId: string;
  readonly logger: Pick<Logger, 'error'>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares two keys in constant time. Hashing first gives both sides the same length, so
 * neither the comparison's duration nor an early length check reveals the key's length.
 */
export function keysMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Finds a header regardless of the case the client sent it in. */
function headerValue(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** Creates the authorizer handler. */
export function createAuthorizer(deps: AuthorizerDependencies): AuthorizerHandler {
  return async (event) => {
    let expected: string;
    try {
      expected = await readSecretField(deps.secrets, deps.apiKeySecretId, API_KEY_FIELD);
    } catch (error) {
      // Never log the secret's value; the error holds only the reason it could not be read.
      deps.logger.error('cannot read the API key secret; denying', { error });
      throw new Error('Authorizer unavailable');
    }
    const presented = headerValue(event.headers, API_KEY_HEADER);
    if (presented === undefined || !keysMatch(presented, expected)) {
      throw new Error(UNAUTHORIZED_MESSAGE);
    }
    return { isAuthorized: true, context: {} };
  };
}
