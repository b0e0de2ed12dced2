/**
 * Building API Gateway (payload v2) results. Every answer carries `x-request-id` and a
 * content type, and is never cached (some carry presigned URLs).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Problem } from '@tap/contracts';
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

/** A problem as a gateway result. */
export function problemResult(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: baseHeaders(problem.requestId, PROBLEM_TYPE),
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
