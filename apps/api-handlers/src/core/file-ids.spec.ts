import { newFileId } from './file-ids';

describe('newFileId', () => {
  it('is a version 7 UUID', () => {
    expect(newFileId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sorts by time, to the millisecond', () => {
    const ids = [0, 1, 2, 1_000, 86_400_000].map((offset) =>
      newFileId(new Date(Date.UTC(2026, 0, 1) + offset)),
    );

    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.slice(0, 13)).toBe(
      `${Date.UTC(2026, 0, 1).toString(16).padStart(12, '0').slice(0, 8)}-${Date.UTC(2026, 0, 1).toString(16).padStart(12, '0').slice(8)}`,
    );
  });
});
