/**
 * Building API Gateway (payload v2) results. Every answer carries `x-request-id` and a
 * content type, and is never cached (some carry presigned URLs).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Problem } from '@tap/contracts';
import { IDEMPOTENT_REPLAYED_HEADER } from '@tap/contracts';
import type { StoredResponse } from '../../core/idempotency';
import type { RouteResult } from './operations';

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

const baseHeaders = (requestId: string, contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'x-request-id': requestId,
  'cache-control': 'no-store',
});

/** A route's result as a gateway result. */
export function toGatewayResult(
  result: RouteResult,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.statusCode,
    headers: { ...baseHeaders(requestId, JSON_TYPE), ...result.headers },
    ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
  };
}

/** A route's result as an idempotent request's answer is stored (the body serialised). */
export function storedResponse(result: RouteResult): StoredResponse {
  return {
    statusCode: result.statusCode,
    ...(result.headers ? { headers: { ...result.headers } } : {}),
    ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
  };
}

/**
 * A stored answer as a gateway result, with this request's id; a replay is marked
 * `Idempotent-Replayed: true`.
 */
export function storedResult(
  stored: StoredResponse,
  requestId: string,
  replayed: boolean,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: stored.statusCode,
    headers: {
      ...baseHeaders(requestId, JSON_TYPE),
      ...stored.headers,
      ...(replayed ? { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } : {}),
    },
    ...(stored.body === undefined ? {} : { body: stored.body }),
  };
}

/**
 * A problem as a gateway result.
 *
 * @param headers what the problem calls for beside the standard headers (`retry-after`).
 */
export function problemResult(
  problem: Problem,
  headers?: Readonly<Record<string, string>>,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { ...baseHeaders(problem.requestId, PROBLEM_TYPE), ...headers },
    body: JSON.stringify(problem),
  };
}

/** 200 with a JSON body. */
export const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  statusCode: 200,
  body,
  ...(headers ? { headers } : {}),
});

/** 201 with a JSON body. */
export const created = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  statusCode: 201,
  body,
  ...(headers ? { headers } : {}),
});

/** 204 without a body. */
export const noContent = (): RouteResult => ({ statusCode: 204 });
