/**
 * The composition root as Lambda loads it: configuration from the environment, SDK
 * clients from the standard endpoint variables, and fail-fast timeouts.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { FileUpload, Item, Problem } from '@tap/contracts';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_TABLE_SCHEMA,
  IDEMPOTENT_REPLAYED_HEADER,
  FILE_TABLE_SCHEMA,
  ProblemTypes,
} from '@tap/contracts';
import {
  captureEmf,
  ensureTable,
  startEmulators,
  useEmulatorEnvironment,
  type EmfCapture,
  type Emulators,
} from '@tap/test-support';
import type { ApiHandler } from '../handlers/http/route-dispatcher';
import { apiEvent, readResult } from '../../test/support/api-events';
import { startFakeSecretsExtension } from '../../test/support/fake-secrets-extension';

const IDEMPOTENCY_TABLE = 'tap-idempotency-root-test';

const loadHandler = async (): Promise<ApiHandler> => {
  let handler: ApiHandler | undefined;
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import('./api'));
  });
  if (!handler) throw new Error('src/functions/api.ts exported no handler');
  return handler;
};

const CONFIG_VARIABLES = [
  'TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'FILE_TABLE_NAME',
  'BUCKET_NAME',
  'CURSOR_KEY_SECRET_ID',
  'MAX_UPLOAD_BYTES',
];

const FILE_TABLE_NAME = 'tap-file-records-test';

/** What the function writes to stdout: its EMF lines (Powertools Metrics). */
let emf: EmfCapture;

beforeEach(() => {
  for (const name of CONFIG_VARIABLES) delete process.env[name];
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
  emf = captureEmf();
});

afterEach(() => {
  emf.restore();
  jest.restoreAllMocks();
});

it('fails at cold start with every configuration problem named', async () => {
  process.env['MAX_UPLOAD_BYTES'] = 'lots';

  await expect(loadHandler()).rejects.toThrow(
    'Invalid configuration of the api function: TABLE_NAME is missing; IDEMPOTENCY_TABLE_NAME is missing; FILE_TABLE_NAME is missing; BUCKET_NAME is missing; CURSOR_KEY_SECRET_ID is missing; MAX_UPLOAD_BYTES must be an integer',
  );
});

describe('on emulators reached through AWS_ENDPOINT_URL_*', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startEmulators();
    await ensureTable(emulators.dynamoDbEndpoint, IDEMPOTENCY_TABLE, IDEMPOTENCY_TABLE_SCHEMA);
    await ensureTable(emulators.dynamoDbEndpoint, FILE_TABLE_NAME, FILE_TABLE_SCHEMA);
  });

  afterAll(async () => {
    await emulators.stop();
  });

  it('creates, reads and presigns with the clients it builds at cold start', async () => {
    useEmulatorEnvironment(emulators);
    Object.assign(process.env, {
      TABLE_NAME: emulators.tableName,
      IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
      FILE_TABLE_NAME,
      BUCKET_NAME: emulators.bucketName,
      CURSOR_KEY_SECRET_ID: 'unused-by-these-routes',
      S3_FORCE_PATH_STYLE: 'true',
    });
    const handler = await loadHandler();

    const created = readResult<Item>(
      await handler(apiEvent('POST /api/items', { json: { name: 'Root' } })),
    );
    const read = readResult<Item>(
      await handler(apiEvent('GET /api/items/{id}', { path: { id: created.body.id } })),
    );
    const upload = readResult<FileUpload>(
      await handler(
        apiEvent('POST /api/items/{id}/files', {
          path: { id: created.body.id },
          json: { fileName: 'a.txt', contentType: 'text/plain', contentLength: 3 },
        }),
      ),
    );

    expect(created.status).toBe(201);
    expect(read.body).toEqual(created.body);
    expect(upload.status).toBe(201);
    expect(
      upload.body.uploadUrl.startsWith(
        `${emulators.s3Endpoint}/${emulators.bucketName}/tenants/acme/items/`,
      ),
    ).toBe(true);
    expect(
      emf.emfLines().map((line) => [line['service'], line['route'], line['RequestCount']]),
    ).toEqual([
      ['tap-api', 'createItem', 1],
      ['tap-api', 'getItem', 1],
      ['tap-api', 'createFileUpload', 1],
    ]);
  });

  it('serves a keyed POST once, on the idempotency table it is configured with', async () => {
    useEmulatorEnvironment(emulators);
    Object.assign(process.env, {
      TABLE_NAME: emulators.tableName,
      IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
      FILE_TABLE_NAME,
      BUCKET_NAME: emulators.bucketName,
      CURSOR_KEY_SECRET_ID: 'unused-by-these-routes',
    });
    const handler = await loadHandler();
    const keyed = () =>
      handler(
        apiEvent('POST /api/items', {
          json: { name: 'Keyed' },
          headers: { [IDEMPOTENCY_KEY_HEADER]: 'root-test-key' },
        }),
      );

    const first = readResult<Item>(await keyed());
    const again = readResult<Item>(await keyed());

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('reads the cursor signing key through the Parameters and Secrets extension, once', async () => {
    const extension = await startFakeSecretsExtension();
    try {
      extension.serve({ value: { signingKey: 'k'.repeat(64) } });
      useEmulatorEnvironment(emulators);
      Object.assign(process.env, {
        TABLE_NAME: emulators.tableName,
        IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
        FILE_TABLE_NAME,
        BUCKET_NAME: emulators.bucketName,
        CURSOR_KEY_SECRET_ID: 'tap-cursor-signing-key-test',
        S3_FORCE_PATH_STYLE: 'true',
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
        AWS_SESSION_TOKEN: extension.sessionToken,
      });
      const handler = await loadHandler();
      for (const name of ['first', 'second']) {
        await handler(apiEvent('POST /api/items', { json: { name } }));
      }

      const page = readResult<{ nextCursor?: string }>(
        await handler(apiEvent('GET /api/items', { query: { limit: '1' } })),
      );
      const next = readResult<{ items: Item[] }>(
        await handler(
          apiEvent('GET /api/items', { query: { limit: '1', cursor: page.body.nextCursor ?? '' } }),
        ),
      );

      expect(page.status).toBe(200);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      expect(next.status).toBe(200);
      expect(extension.reads).toEqual(['tap-cursor-signing-key-test']);
    } finally {
      delete process.env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'];
      delete process.env['AWS_SESSION_TOKEN'];
      await extension.stop();
    }
  });
});

describe('when DynamoDB does not answer', () => {
  let server: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a hung dependency.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers a retryable 503 well within the 30 s function timeout', async () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    Object.assign(process.env, {
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${address.port}`,
      TABLE_NAME: 'hung',
      IDEMPOTENCY_TABLE_NAME: 'hung-idempotency',
      FILE_TABLE_NAME: 'hung-files',
      BUCKET_NAME: 'unused',
      CURSOR_KEY_SECRET_ID: 'unused',
    });
    const handler = await loadHandler();
    const started = Date.now();

    const response = readResult<Problem>(
      await handler(
        apiEvent('GET /api/items/{id}', { path: { id: '3f2b8a9e-4c1d-4e6f-9a7b-1c2d3e4f5a6b' } }),
      ),
    );

    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      type: ProblemTypes.dependencyUnavailable,
      retryable: true,
    });
    // Two attempts of a 3 s request timeout, plus a retry delay.
    expect(elapsed).toBeGreaterThanOrEqual(6000);
    expect(elapsed).toBeLessThan(10_000);
    expect(emf.emfLines()).toEqual([
      expect.objectContaining({ route: 'getItem', ErrorCount: 1, Latency: expect.any(Number) }),
    ]);
  }, 15_000);
});
