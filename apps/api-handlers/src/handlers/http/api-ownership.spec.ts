/**
 * Tenancy and scopes through the whole API on the emulators: another tenant's items and
 * files are, to a caller, ones that do not exist; a caller's scopes bound what it may do;
 * a request without a principal reaches nothing.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type {
  FileDownload,
  FileList,
  FileUpload,
  Item,
  ItemPage,
  Principal,
  Problem,
} from '@tap/contracts';
import {
  DATA_TABLE_SCHEMA,
  DEFAULT_FILE_QUOTAS,
  ProblemTypes,
  routeTable,
  SCOPES,
} from '@tap/contracts';
import { NO_TRACING } from '@tap/lambda-runtime';
import { dynamoDbClientFor } from '@tap/test-support';
import { createDocumentClient } from '../../adapters/aws/dynamodb-client';
import { createDynamoDbItemStore } from '../../adapters/dynamodb/dynamodb-item-store';
import { createS3FileStore } from '../../adapters/s3/s3-file-store';
import { createDynamoDbFileRecordStore } from '../../adapters/dynamodb/dynamodb-file-record-store';
import { createApiHandler } from './api-handler';
import type { ApiHandler } from './route-dispatcher';
import type { ApiHarness } from '../../../test/support/api-harness';
import { CURSOR_SECRET_ID, objectKeyOf, startApiHarness } from '../../../test/support/api-harness';
import type { TestRequest, TestResponse } from '../../../test/support/api-events';
import {
  apiEvent,
  OTHER_TENANT_PRINCIPAL,
  readResult,
  TEST_PRINCIPAL,
} from '../../../test/support/api-events';
import { recordingMetrics } from '../../../test/support/recording-metrics';

/** acme's machine client (the harness's default caller) and one of acme's users. */
const ACME_MACHINE = TEST_PRINCIPAL;
const ACME_USER: Principal = {
  kind: 'user',
  tenant: 'acme',
  subject: '5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  scopes: SCOPES,
};
/** globex's user (the harness's other tenant) and one of globex's machine clients. */
const GLOBEX_USER = OTHER_TENANT_PRINCIPAL;
const GLOBEX_MACHINE: Principal = {
  kind: 'machine',
  tenant: 'globex',
  subject: 'globex-sync',
  scopes: SCOPES,
};

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_FILE_ID = '00000000-0000-4000-8000-00000000f11e';
const FILE_BYTES = Buffer.from('acme quarterly numbers\n', 'utf8');

let api: ApiHarness;
/** Reads the data table directly, to see what the API wrote and under which tenant. */
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startApiHarness();
  table = DynamoDBDocumentClient.from(dynamoDbClientFor(api.emulators.dynamoDbEndpoint));
});

afterAll(async () => {
  table.destroy();
  await api.stop();
});

/** Calls as `principal`. */
const as = <Body = Item & Problem>(
  principal: Principal | null,
  routeKey: string,
  request: Omit<TestRequest, 'principal'> = {},
): Promise<TestResponse<Body>> => api.call<Body>(routeKey, { ...request, principal });

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

async function createItem(principal: Principal, name: string): Promise<Item> {
  const response = await as<Item>(principal, 'POST /api/items', { json: { name } });
  expect(response.status).toBe(201);
  return response.body;
}

/** Uploads a file to `itemId` through its presigned URL, as a client would. */
async function uploadFile(principal: Principal, itemId: string): Promise<FileUpload> {
  const response = await as<FileUpload>(principal, 'POST /api/items/{id}/files', {
    path: { id: itemId },
    json: { fileName: 'numbers.txt', contentType: 'text/plain', contentLength: FILE_BYTES.length },
  });
  expect(response.status).toBe(201);
  const put = await fetch(response.body.uploadUrl, {
    method: response.body.method,
    headers: response.body.headers,
    body: FILE_BYTES,
  });
  expect(put.status).toBe(200);
  await api.deliverUploads(objectKeyOf(response.body, api.emulators.bucketName));
  return response.body;
}

/** Every item of the caller's tenant, paging with `limit` through every page. */
async function listAll(principal: Principal, limit: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const response = await as<ItemPage & Problem>(principal, 'GET /api/items', {
      query: { limit: String(limit), ...(cursor === undefined ? {} : { cursor }) },
    });
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (cursor === undefined) return items;
  }
  throw new Error('the listing never ended');
}

const keysUnder = async (prefix: string): Promise<string[]> => {
  const output = await api.s3.send(
    new ListObjectsV2Command({ Bucket: api.emulators.bucketName, Prefix: prefix }),
  );
  return (output.Contents ?? []).map((object) => object.Key ?? '').sort();
};

/** The stored record of `tenant`'s item `id`, straight from the table. */
const storedRecord = async (
  tenant: string,
  id: string,
): Promise<Record<string, unknown> | undefined> =>
  (
    await table.send(
      new GetCommand({
        TableName: api.emulators.tableName,
        Key: {
          [DATA_TABLE_SCHEMA.partitionKey.name]: tenant,
          [DATA_TABLE_SCHEMA.sortKey.name]: id,
        },
        ConsistentRead: true,
      }),
    )
  ).Item;

/** A problem answer without what differs per request. */
function problemShape(response: TestResponse<unknown>): Record<string, unknown> {
  const { requestId, ...rest } = response.body as Problem;
  expect(requestId).toEqual(expect.any(String));
  return {
    status: response.status,
    contentType: response.headers['content-type'],
    body: rest,
  };
}

describe.each([
  ['a user', GLOBEX_USER],
  ['a machine client', GLOBEX_MACHINE],
])("another tenant's %s", (_, intruder) => {
  let item: Item;
  let file: FileUpload;
  let filesBefore: FileList;
  let keysBefore: string[];

  beforeAll(async () => {
    item = await createItem(ACME_MACHINE, `Owned by acme, probed by ${intruder.kind}`);
    file = await uploadFile(ACME_USER, item.id);
    filesBefore = (
      await as<FileList>(ACME_USER, 'GET /api/items/{id}/files', { path: { id: item.id } })
    ).body;
    keysBefore = await keysUnder(`tenants/acme/items/${item.id}/`);
    expect(filesBefore.files).toHaveLength(1);
    expect(keysBefore).toHaveLength(1);
  });

  /** The intruder's answers to the same request for acme's item and for an id that exists nowhere. */
  async function probe(
    routeKey: string,
    request: Omit<TestRequest, 'principal' | 'path'>,
  ): Promise<{ readonly owned: TestResponse; readonly missing: TestResponse }> {
    const owned = await as<Record<string, unknown>>(intruder, routeKey, {
      ...request,
      path: { id: item.id },
    });
    const missing = await as<Record<string, unknown>>(intruder, routeKey, {
      ...request,
      path: { id: UNKNOWN_ID },
    });
    return { owned, missing };
  }

  it.each<[string, string, Omit<TestRequest, 'principal' | 'path'>]>([
    ['GET', 'GET /api/items/{id}', {}],
    ['PATCH', 'PATCH /api/items/{id}', { json: { name: 'Taken over' }, headers: MERGE_PATCH }],
    [
      'PATCH with If-Match',
      'PATCH /api/items/{id}',
      { json: { name: 'Taken over' }, headers: { ...MERGE_PATCH, 'if-match': '"1"' } },
    ],
    ['DELETE', 'DELETE /api/items/{id}', {}],
    ['DELETE with If-Match', 'DELETE /api/items/{id}', { headers: { 'if-match': '"1"' } }],
    ['the file list', 'GET /api/items/{id}/files', {}],
    [
      'a presigned upload',
      'POST /api/items/{id}/files',
      { json: { fileName: 'planted.txt', contentType: 'text/plain', contentLength: 4 } },
    ],
  ])(
    "gets 404 item-not-found for %s of acme's item, as for a missing id",
    async (_, routeKey, request) => {
      const { owned, missing } = await probe(routeKey, request);

      expect(owned.status).toBe(404);
      expect(owned.body['type']).toBe(ProblemTypes.itemNotFound);
      expect(problemShape(owned)).toEqual(problemShape(missing));
    },
  );

  it.each([
    ['a download', 'GET /api/items/{id}/files/{fileId}'],
    ['a file delete', 'DELETE /api/items/{id}/files/{fileId}'],
  ])("gets 404 item-not-found for %s of acme's file, as for a missing one", async (_, routeKey) => {
    const owned = await as<Record<string, unknown>>(intruder, routeKey, {
      path: { id: item.id, fileId: file.fileId },
    });
    const missing = await as<Record<string, unknown>>(intruder, routeKey, {
      path: { id: item.id, fileId: UNKNOWN_FILE_ID },
    });

    // The item is looked up first, in the caller's tenant: acme's is not there.
    expect(owned.status).toBe(404);
    expect(owned.body['type']).toBe(ProblemTypes.itemNotFound);
    expect(problemShape(owned)).toEqual(problemShape(missing));
    expect(JSON.stringify(owned.body)).not.toContain('X-Amz');
  });

  it('leaves the item and its file exactly as they were', async () => {
    const after = await as<Item>(ACME_MACHINE, 'GET /api/items/{id}', { path: { id: item.id } });
    const files = await as<FileList>(ACME_MACHINE, 'GET /api/items/{id}/files', {
      path: { id: item.id },
    });
    const download = await as<FileDownload>(ACME_MACHINE, 'GET /api/items/{id}/files/{fileId}', {
      path: { id: item.id, fileId: file.fileId },
    });

    expect(after.status).toBe(200);
    expect(after.body).toEqual(item);
    expect(files.body).toEqual(filesBefore);
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual(keysBefore);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await (await fetch(download.body.downloadUrl)).arrayBuffer());
    expect(bytes.equals(FILE_BYTES)).toBe(true);
    // Nothing was written under the intruder's tenant for that id: no item, no object.
    expect(await storedRecord(intruder.tenant, item.id)).toBeUndefined();
    expect(await keysUnder(`tenants/${intruder.tenant}/items/${item.id}/`)).toEqual([]);
  });
});

describe('listing', () => {
  let acmeIds: string[];
  let globexIds: string[];

  beforeAll(async () => {
    acmeIds = [];
    globexIds = [];
    for (let index = 0; index < 4; index += 1) {
      acmeIds.push((await createItem(index % 2 ? ACME_USER : ACME_MACHINE, `acme ${index}`)).id);
    }
    for (let index = 0; index < 3; index += 1) {
      globexIds.push(
        (await createItem(index % 2 ? GLOBEX_MACHINE : GLOBEX_USER, `globex ${index}`)).id,
      );
    }
  });

  it("never shows a tenant another tenant's items, on any page", async () => {
    const globexListing = (await listAll(GLOBEX_MACHINE, 1)).map((item) => item.id);
    const acmeListing = (await listAll(ACME_USER, 1)).map((item) => item.id);

    expect(globexListing).toEqual(expect.arrayContaining(globexIds));
    expect(acmeListing).toEqual(expect.arrayContaining(acmeIds));
    expect(globexListing.filter((id) => acmeListing.includes(id))).toEqual([]);
    // Every page was its own item: paging neither repeats nor skips.
    expect(new Set(globexListing).size).toBe(globexListing.length);
    // Both kinds of principal of a tenant see the same listing.
    expect((await listAll(GLOBEX_USER, 50)).map((item) => item.id)).toEqual(globexListing);
  });

  it("refuses acme's cursor from globex with 400 invalid-cursor", async () => {
    const first = await as<ItemPage>(ACME_MACHINE, 'GET /api/items', { query: { limit: '1' } });
    const cursor = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const stolen = await as<Problem>(GLOBEX_USER, 'GET /api/items', {
      query: { limit: '1', cursor: cursor! },
    });
    const stolenByMachine = await as<Problem>(GLOBEX_MACHINE, 'GET /api/items', {
      query: { cursor: cursor! },
    });
    // The cursor is the tenant's, not the principal's: acme's user may continue it.
    const continued = await as<ItemPage>(ACME_USER, 'GET /api/items', {
      query: { limit: '1', cursor: cursor! },
    });

    for (const response of [stolen, stolenByMachine]) {
      expect(response.status).toBe(400);
      expect(response.body.type).toBe(ProblemTypes.invalidCursor);
    }
    expect(continued.status).toBe(200);
    expect(continued.body.items).toHaveLength(1);
    expect(continued.body.items[0]!.id).not.toBe(first.body.items[0]!.id);
  });
});

describe('item ids across tenants', () => {
  it('a PATCH by globex never creates an item, under either tenant', async () => {
    const item = await createItem(ACME_MACHINE, 'Never upserted');

    const patches = [{ name: 'Upserted' }, { tags: ['globex'], attributes: { owner: 'globex' } }];
    for (const id of [item.id, UNKNOWN_ID]) {
      for (const json of patches) {
        const patched = await as(GLOBEX_USER, 'PATCH /api/items/{id}', {
          path: { id },
          json,
          headers: MERGE_PATCH,
        });
        expect(patched.status).toBe(404);
      }
      expect(await storedRecord('globex', id)).toBeUndefined();
      expect((await as(GLOBEX_USER, 'GET /api/items/{id}', { path: { id } })).status).toBe(404);
    }
    expect(await storedRecord('acme', UNKNOWN_ID)).toBeUndefined();
    expect((await as(ACME_MACHINE, 'GET /api/items/{id}', { path: { id: item.id } })).body).toEqual(
      item,
    );
  });

  it("keeps two tenants' items with the same id apart, files included", async () => {
    const item = await createItem(ACME_MACHINE, "acme's");
    const acmeFile = await uploadFile(ACME_MACHINE, item.id);
    // Ids are random UUIDs, so this never happens through the API: plant globex's twin.
    const twin: Item = { ...item, name: "globex's", version: 3 };
    await table.send(
      new PutCommand({
        TableName: api.emulators.tableName,
        Item: { ...twin, [DATA_TABLE_SCHEMA.partitionKey.name]: 'globex' },
      }),
    );
    const globexFile = await uploadFile(GLOBEX_MACHINE, item.id);

    const acmeView = await as(ACME_USER, 'GET /api/items/{id}', { path: { id: item.id } });
    const globexView = await as(GLOBEX_USER, 'GET /api/items/{id}', { path: { id: item.id } });
    expect(acmeView.body).toEqual(item);
    expect(globexView.body).toEqual(twin);
    const acmeFiles = await as<FileList>(ACME_USER, 'GET /api/items/{id}/files', {
      path: { id: item.id },
    });
    expect(acmeFiles.body.files.map((listed) => listed.fileId)).toEqual([acmeFile.fileId]);

    // globex changes and then deletes its twin; acme's item and file are untouched.
    const patched = await as(GLOBEX_MACHINE, 'PATCH /api/items/{id}', {
      path: { id: item.id },
      json: { name: 'globex renamed' },
      headers: { ...MERGE_PATCH, 'if-match': '"3"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.version).toBe(4);
    const deleted = await as(GLOBEX_MACHINE, 'DELETE /api/items/{id}', { path: { id: item.id } });
    expect(deleted.status).toBe(204);

    expect((await as(ACME_USER, 'GET /api/items/{id}', { path: { id: item.id } })).body).toEqual(
      item,
    );
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toEqual([
      expect.stringContaining(acmeFile.fileId),
    ]);
    expect(await keysUnder(`tenants/globex/items/${item.id}/`)).toEqual([]);
    expect(globexFile.fileId).not.toBe(acmeFile.fileId);
    expect(await storedRecord('globex', item.id)).toBeUndefined();
  });
});

// --- scopes, and requests without a principal -----------------------------------------

/** Every store and secret call a handler made, by port and method. */
let calls: string[];
let counted: ApiHandler;
let countedClient: DynamoDBDocumentClient;

/** Wraps a port so every call of its methods is recorded. */
function recording<Port extends object>(name: string, port: Port): Port {
  return Object.fromEntries(
    Object.entries(port).map(([method, member]) => [
      method,
      typeof member === 'function'
        ? (...args: unknown[]) => {
            calls.push(`${name}.${method}`);
            return (member as (...a: unknown[]) => unknown).apply(port, args);
          }
        : member,
    ]),
  ) as Port;
}

beforeAll(() => {
  calls = [];
  countedClient = createDocumentClient();
  // The harness's API on the same tables and bucket, with every port call recorded.
  counted = createApiHandler({
    items: recording(
      'items',
      createDynamoDbItemStore({ client: countedClient, tableName: api.emulators.tableName }),
    ),
    records: recording(
      'records',
      createDynamoDbFileRecordStore({
        client: countedClient,
        tableName: api.emulators.tableName,
        fileTableName: api.fileTableName,
      }),
    ),
    fileQuotas: DEFAULT_FILE_QUOTAS,
    files: recording(
      'files',
      createS3FileStore({ client: api.s3, bucketName: api.emulators.bucketName }),
    ),
    secrets: recording('secrets', api.secrets),
    cursorKeySecretId: CURSOR_SECRET_ID,
    maxUploadBytes: 1024,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: recordingMetrics(),
    tracing: NO_TRACING,
  });
});

afterAll(() => {
  countedClient.destroy();
});

const callCounted = async <Body = Item & Problem>(
  routeKey: string,
  request: TestRequest,
): Promise<TestResponse<Body>> => readResult<Body>(await counted(apiEvent(routeKey, request)));

const READ_ONLY: Principal = {
  ...ACME_MACHINE,
  subject: 'read-only-client',
  scopes: ['items:read'],
};
const WRITE_ONLY: Principal = { ...ACME_USER, scopes: ['items:write'] };
const NO_SCOPES: Principal = { ...ACME_USER, scopes: [] };

describe('scopes', () => {
  let item: Item;
  let file: FileUpload;

  beforeAll(async () => {
    item = await createItem(ACME_MACHINE, 'Guarded by scopes');
    file = await uploadFile(ACME_MACHINE, item.id);
  });

  beforeEach(() => {
    calls.length = 0;
  });

  const writes = (): [string, string, Omit<TestRequest, 'principal'>][] => [
    ['create', 'POST /api/items', { json: { name: 'Not allowed' } }],
    [
      'update',
      'PATCH /api/items/{id}',
      { path: { id: item.id }, json: { name: 'Not allowed' }, headers: MERGE_PATCH },
    ],
    ['delete', 'DELETE /api/items/{id}', { path: { id: item.id } }],
    [
      'presign an upload',
      'POST /api/items/{id}/files',
      {
        path: { id: item.id },
        json: { fileName: 'x.txt', contentType: 'text/plain', contentLength: 1 },
      },
    ],
    [
      'delete a file',
      'DELETE /api/items/{id}/files/{fileId}',
      { path: { id: item.id, fileId: file.fileId } },
    ],
  ];

  const reads = (): [string, string, Omit<TestRequest, 'principal'>][] => [
    ['list', 'GET /api/items', {}],
    ['get', 'GET /api/items/{id}', { path: { id: item.id } }],
    ['list files', 'GET /api/items/{id}/files', { path: { id: item.id } }],
    [
      'download',
      'GET /api/items/{id}/files/{fileId}',
      { path: { id: item.id, fileId: file.fileId } },
    ],
  ];

  it('answers items:read alone with 403 insufficient-scope on every write, and changes nothing', async () => {
    const countBefore = (await listAll(ACME_MACHINE, 100)).length;

    for (const [, routeKey, request] of writes()) {
      const response = await callCounted<Problem>(routeKey, { ...request, principal: READ_ONLY });
      expect({ routeKey, status: response.status, type: response.body.type }).toEqual({
        routeKey,
        status: 403,
        type: ProblemTypes.insufficientScope,
      });
      expect(response.body.detail).toContain('items:write');
    }

    // Refused before anything was read or written.
    expect(calls).toEqual([]);
    expect((await as(ACME_MACHINE, 'GET /api/items/{id}', { path: { id: item.id } })).body).toEqual(
      item,
    );
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(1);
    expect((await listAll(ACME_MACHINE, 100)).length).toBe(countBefore);
  });

  it('answers 403 before looking at the request: not 400 for a bad body, not 404 for a missing id', async () => {
    const invalid = await callCounted<Problem>('PATCH /api/items/{id}', {
      path: { id: item.id },
      json: { name: 42, unknown: true },
      headers: MERGE_PATCH,
      principal: READ_ONLY,
    });
    const missing = await callCounted<Problem>('DELETE /api/items/{id}', {
      path: { id: UNKNOWN_ID },
      principal: READ_ONLY,
    });
    const notJson = await callCounted<Problem>('POST /api/items', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      principal: READ_ONLY,
    });

    for (const response of [invalid, missing, notJson]) {
      expect(response.status).toBe(403);
      expect(response.body.type).toBe(ProblemTypes.insufficientScope);
    }
    expect(calls).toEqual([]);
  });

  it('answers items:read with 200 on every read', async () => {
    for (const [, routeKey, request] of reads()) {
      const response = await callCounted(routeKey, { ...request, principal: READ_ONLY });
      expect({ routeKey, status: response.status }).toEqual({ routeKey, status: 200 });
    }
    expect(calls).toContain('items.get');
  });

  it('answers no scopes with 403 on reads too, and items:write alone with 403 on reads', async () => {
    for (const principal of [NO_SCOPES, WRITE_ONLY]) {
      for (const [, routeKey, request] of reads()) {
        const response = await callCounted<Problem>(routeKey, { ...request, principal });
        expect({ routeKey, status: response.status, type: response.body.type }).toEqual({
          routeKey,
          status: 403,
          type: ProblemTypes.insufficientScope,
        });
        expect(response.body.detail).toContain('items:read');
      }
    }
    for (const [, routeKey, request] of writes()) {
      const response = await callCounted<Problem>(routeKey, { ...request, principal: NO_SCOPES });
      expect({ routeKey, status: response.status }).toEqual({ routeKey, status: 403 });
    }
    expect(calls).toEqual([]);
    // The item is still there, with its file.
    expect((await as(ACME_USER, 'GET /api/items/{id}', { path: { id: item.id } })).body).toEqual(
      item,
    );
    expect(await keysUnder(`tenants/acme/items/${item.id}/`)).toHaveLength(1);
  });
});

describe('a request without a principal', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  const apiRoutes = routeTable.filter((route) => route.handler === 'api');

  it('answers 500 internal-error on every API route and reads nothing', async () => {
    const item = await createItem(ACME_MACHINE, 'Unreachable without a principal');
    expect(apiRoutes.length).toBeGreaterThanOrEqual(9);

    for (const route of apiRoutes) {
      const response = await callCounted<Problem>(route.routeKey, {
        path: { id: item.id, fileId: UNKNOWN_FILE_ID },
        json: { name: 'x' },
        principal: null,
      });
      expect({ route: route.routeKey, status: response.status, type: response.body.type }).toEqual({
        route: route.routeKey,
        status: 500,
        type: ProblemTypes.internalError,
      });
      // Nothing about the cause reaches the caller.
      expect(JSON.stringify(response.body)).not.toMatch(/principal|authorizer/i);
    }

    expect(calls).toEqual([]);
    expect((await as(ACME_MACHINE, 'GET /api/items/{id}', { path: { id: item.id } })).body).toEqual(
      item,
    );
  });

  it('treats a malformed authorizer context as no principal', async () => {
    const malformed: Principal[] = [
      { ...ACME_MACHINE, tenant: 'Acme Corp' },
      { ...ACME_MACHINE, subject: '' },
      { ...ACME_MACHINE, kind: 'robot' as Principal['kind'] },
      { ...ACME_MACHINE, scopes: ['items:read', 'items:admin' as Principal['scopes'][number]] },
    ];

    for (const principal of malformed) {
      const response = await callCounted<Problem>('GET /api/items', { principal });
      expect(response.status).toBe(500);
      expect(response.body.type).toBe(ProblemTypes.internalError);
    }
    expect(calls).toEqual([]);
  });
});
