/** An HTTP response the gateway sends: header pairs allow repeated `set-cookie`. */
export interface GatewayHttpResponse {
  readonly statusCode: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** Headers the gateway owns: framing is recomputed, CORS comes from the API's configuration. */
const DROPPED_HEADER =
  /^(content-length|transfer-encoding|connection|keep-alive|access-control-.*)$/i;

/** Thrown when a function answers something an HTTP API cannot turn into a response. */
export class MalformedLambdaResponseError extends Error {
  constructor(reason: string) {
    super(`Malformed Lambda proxy response: ${reason}`);
    this.name = 'MalformedLambdaResponseError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns a function's result into the HTTP response, as HTTP APIs interpret payload format
 * 2.0: an object with `statusCode` is a response (headers, cookies, body, base64-decoded
 * when `isBase64Encoded`); any other value is sent as JSON with status 200.
 *
 * @throws MalformedLambdaResponseError for a response the gateway answers 500 to.
 */
export function toGatewayResponse(payload: unknown): GatewayHttpResponse {
  if (!isRecord(payload) || !('statusCode' in payload)) {
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(payload ?? null), 'utf8'),
    };
  }
  const { statusCode, body, isBase64Encoded } = payload;
  const headers = payload['headers'] ?? {};
  const cookies = payload['cookies'] ?? [];
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedLambdaResponseError(`statusCode ${JSON.stringify(statusCode)}`);
  }
  if (!isRecord(headers)) throw new MalformedLambdaResponseError('headers is not an object');
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) {
    throw new MalformedLambdaResponseError('cookies is not a list of strings');
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedLambdaResponseError('body is not a string');
  }
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (DROPPED_HEADER.test(name) || value === undefined || value === null) continue;
    pairs.push([name.toLowerCase(), String(value)]);
  }
  for (const cookie of cookies as string[]) pairs.push(['set-cookie', cookie]);
  return {
    statusCode,
    headers: pairs,
    body: Buffer.from(body ?? '', isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}
