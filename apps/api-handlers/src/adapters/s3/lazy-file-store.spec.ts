import type { FileStore } from '../../core/file-store';
import { createLazyFileStore } from './lazy-file-store';

const KEY = 'tenants/t1/items/i1/f1/a.txt';

/** A store whose every method answers something recognisable. */
const fakeStore = (): FileStore => ({
  presignUpload: async () => ({ url: 'put', headers: {}, expiresAt: 'then' }),
  presignDownload: async () => ({ url: 'get', expiresAt: 'then' }),
  headObject: async () => ({ size: 3, contentType: 'text/plain' }),
  deleteObjects: async () => undefined,
  deletePrefix: async () => 2,
});

it('loads nothing until a method is called', () => {
  const load = jest.fn(async () => fakeStore());

  createLazyFileStore(load);

  expect(load).not.toHaveBeenCalled();
});

it('loads once, also for concurrent first calls, and delegates every method', async () => {
  const load = jest.fn(async () => fakeStore());
  const files = createLazyFileStore(load);
  const now = new Date();

  const answers = await Promise.all([
    files.presignUpload(
      { key: KEY, fileName: 'a.txt', contentType: 'text/plain', contentLength: 3 },
      now,
    ),
    files.presignDownload({ key: KEY, fileName: 'a.txt', contentType: 'text/plain' }, now),
    files.headObject(KEY),
    files.deleteObjects([KEY]),
    files.deletePrefix('tenants/t1/items/i1/'),
  ]);
  await files.headObject(KEY);

  expect(answers).toEqual([
    { url: 'put', headers: {}, expiresAt: 'then' },
    { url: 'get', expiresAt: 'then' },
    { size: 3, contentType: 'text/plain' },
    undefined,
    2,
  ]);
  expect(load).toHaveBeenCalledTimes(1);
});

it('does not remember a failed load: the next call tries again', async () => {
  const load = jest
    .fn<Promise<FileStore>, []>()
    .mockRejectedValueOnce(new Error('chunk missing'))
    .mockResolvedValue(fakeStore());
  const files = createLazyFileStore(load);

  await expect(files.headObject(KEY)).rejects.toThrow('chunk missing');
  await expect(files.headObject(KEY)).resolves.toEqual({ size: 3, contentType: 'text/plain' });
  expect(load).toHaveBeenCalledTimes(2);
});
