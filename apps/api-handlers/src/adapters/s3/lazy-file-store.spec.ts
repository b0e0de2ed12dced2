import type { FileStore, StoredFile } from '../../core/file-store';
import { createLazyFileStore } from './lazy-file-store';

const FILE: StoredFile = {
  fileId: 'f1',
  fileName: 'a.txt',
  size: 3,
  uploadedAt: '2030-01-01T00:00:00.000Z',
  key: 'items/i1/f1/a.txt',
};

/** A store whose every method answers something recognisable. */
const fakeStore = (): FileStore => ({
  presignUpload: async () => ({ url: 'put', headers: {}, expiresAt: 'then' }),
  listFiles: async () => [FILE],
  findFile: async () => FILE,
  presignDownload: async () => ({ url: 'get', expiresAt: 'then' }),
  deleteFile: async () => true,
  deleteAllFiles: async () => 2,
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
      {
        tenant: 't1',
        itemId: 'i1',
        fileId: 'f1',
        fileName: 'a.txt',
        contentType: 'text/plain',
        contentLength: 3,
      },
      now,
    ),
    files.listFiles('t1', 'i1'),
    files.findFile('t1', 'i1', 'f1'),
    files.presignDownload(FILE, now),
    files.deleteFile('t1', 'i1', 'f1'),
    files.deleteAllFiles('t1', 'i1'),
  ]);
  await files.listFiles('t1', 'i1');

  expect(answers).toEqual([
    { url: 'put', headers: {}, expiresAt: 'then' },
    [FILE],
    FILE,
    { url: 'get', expiresAt: 'then' },
    true,
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

  await expect(files.listFiles('t1', 'i1')).rejects.toThrow('chunk missing');
  await expect(files.listFiles('t1', 'i1')).resolves.toEqual([FILE]);
  expect(load).toHaveBeenCalledTimes(2);
});
