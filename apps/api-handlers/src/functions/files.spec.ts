/**
 * The files function's composition root as Lambda loads it: configuration from the
 * environment, SDK clients from the standard endpoint variables.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { FILE_TABLE_SCHEMA } from '@tap/contracts';
import {
  captureEmf,
  ensureTable,
  s3ClientFor,
  startEmulators,
  useEmulatorEnvironment,
  type EmfCapture,
  type Emulators,
} from '@tap/test-support';
import type { FileEventsHandler } from '../handlers/files/file-events-handler';

const loadHandler = async (): Promise<FileEventsHandler> => {
  let handler: FileEventsHandler | undefined;
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import('./files'));
  });
  if (!handler) throw new Error('src/functions/files.ts exported no handler');
  return handler;
};

const CONFIG_VARIABLES = ['TABLE_NAME', 'FILE_TABLE_NAME', 'BUCKET_NAME'];
const FILE_TABLE_NAME = 'tap-file-records-test';

let emf: EmfCapture;

beforeEach(() => {
  for (const name of CONFIG_VARIABLES) delete process.env[name];
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
  emf = captureEmf();
});

afterEach(() => {
  emf.restore();
});

it('fails at cold start with every configuration problem named', async () => {
  await expect(loadHandler()).rejects.toThrow(
    'Invalid configuration of the files function: TABLE_NAME is missing; FILE_TABLE_NAME is missing; BUCKET_NAME is missing',
  );
});

describe('on emulators reached through AWS_ENDPOINT_URL_*', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startEmulators();
    await ensureTable(emulators.dynamoDbEndpoint, FILE_TABLE_NAME, FILE_TABLE_SCHEMA);
  });

  afterAll(async () => {
    await emulators.stop();
  });

  it('deletes an object nobody granted, and publishes what it did', async () => {
    useEmulatorEnvironment(emulators);
    Object.assign(process.env, {
      TABLE_NAME: emulators.tableName,
      FILE_TABLE_NAME,
      BUCKET_NAME: emulators.bucketName,
      S3_FORCE_PATH_STYLE: 'true',
    });
    const key =
      'tenants/acme/items/3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a/a b.txt';
    const s3 = s3ClientFor(emulators.s3Endpoint);
    try {
      await s3.send(new PutObjectCommand({ Bucket: emulators.bucketName, Key: key, Body: 'x' }));
      const handler = await loadHandler();

      await handler({
        Records: [
          {
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: emulators.bucketName }, object: { key: key.replace(/ /g, '+') } },
          },
        ],
      } as unknown as S3Event);

      await expect(
        s3.send(new HeadObjectCommand({ Bucket: emulators.bucketName, Key: key })),
      ).rejects.toMatchObject({ name: 'NotFound' });
      expect(emf.emfLines()).toEqual([
        expect.objectContaining({ service: 'tap-files', OrphanedObjectsDeleted: 1 }),
      ]);
    } finally {
      s3.destroy();
    }
  });
});
