import { retryAfterMs, toTapApiError, TapConflictError, TapValidationError } from './errors';

const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs(answer(503, { 'retry-after': '7' }), now)).toBe(7_000);
  });

  it('reads an HTTP date as the time until it, and a past date as now', () => {
    const at = (date: string) => retryAfterMs(answer(503, { 'retry-after': date }), now);
    expect(at('Thu, 01 Jan 2026 00:00:30 GMT')).toBe(30_000);
    expect(at('Wed, 31 Dec 2025 23:00:00 GMT')).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(retryAfterMs(answer(503), now)).toBeUndefined();
    expect(retryAfterMs(answer(503, { 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(answer(503, { 'retry-after': '-1' }), now)).toBeUndefined();
  });
});

describe('toTapApiError', () => {
  it('picks the subclass by status', () => {
    expect(toTapApiError(answer(422), undefined)).toBeInstanceOf(TapValidationError);
    expect(toTapApiError(answer(412), undefined)).toBeInstanceOf(TapConflictError);
    expect(toTapApiError(answer(413), undefined).constructor.name).toBe('TapApiError');
  });

  it('titles an answer without a body by its status', () => {
    expect(toTapApiError(answer(502), '')).toMatchObject({
      type: 'about:blank',
      title: 'HTTP 502',
      retryable: true,
    });
  });
});
