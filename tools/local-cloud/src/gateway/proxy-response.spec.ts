import { MalformedLambdaResponseError, toGatewayResponse } from './proxy-response';

describe('toGatewayResponse', () => {
  it('sends a structured response with its status, headers, cookies and body', () => {
    const response = toGatewayResponse({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: '/api/items/1', 'x-count': 3 },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '{"id":"1"}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual([
      ['content-type', 'application/json'],
      ['location', '/api/items/1'],
      ['x-count', '3'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2'],
    ]);
    expect(response.body.toString('utf8')).toBe('{"id":"1"}');
  });

  it('base64-decodes the body when isBase64Encoded is true', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = toGatewayResponse({
      statusCode: 200,
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.body).toEqual(bytes);
  });

  it('answers 200 with the JSON of any value that is not a structured response', () => {
    for (const value of [{ hello: 'world' }, ['a', 1], 'text', 42, null]) {
      const response = toGatewayResponse(value);
      expect(response.statusCode).toBe(200);
      expect(response.headers).toEqual([['content-type', 'application/json']]);
      expect(JSON.parse(response.body.toString('utf8'))).toEqual(value);
    }
  });

  it('sends an empty body when a structured response has none', () => {
    expect(toGatewayResponse({ statusCode: 204 }).body.length).toBe(0);
  });

  it('drops CORS and framing headers, which the gateway sets itself', () => {
    const response = toGatewayResponse({
      statusCode: 200,
      headers: {
        'Access-Control-Allow-Origin': 'https://elsewhere.example',
        'content-length': '999',
        'transfer-encoding': 'chunked',
        etag: '"1"',
      },
    });
    expect(response.headers).toEqual([['etag', '"1"']]);
  });

  it.each([
    [{ statusCode: '200' }],
    [{ statusCode: 99 }],
    [{ statusCode: 200.5 }],
    [{ statusCode: 200, body: { not: 'a string' } }],
    [{ statusCode: 200, cookies: 'a=1' }],
    [{ statusCode: 200, headers: ['x'] }],
  ])('rejects the malformed response %j', (payload) => {
    expect(() => toGatewayResponse(payload)).toThrow(MalformedLambdaResponseError);
  });
});
