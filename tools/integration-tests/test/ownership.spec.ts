/**
 * Ownership: two fresh tenants, each with a machine key and (where the issuer mints them) a
 * user in its `tenant:<id>` group. Every object route, called by tenant B on tenant A's item
 * and file, must answer exactly as for an id that does not exist, and change nothing; every
 * list shows its caller's tenant only, on every page; a user and a machine key of one
 * tenant share its data, and a user in no tenant group has a tenant of their own.
 */
import { ProblemTypes } from '@tap/contracts';
import { uploadFile, type Item } from '@tap/client';
import { randomUUID } from 'node:crypto';
import { clientWith, credentialHeaders, type Credential } from './support/credentials';
import { contractViolations } from './support/contract';
import { RawHttp, type RawResponse } from './support/raw-http';
import { freshTenant, itWithUserTokens, startTarget, type Target } from './support/target';

/** `it`, or `itWithUserTokens` for a caller that is a user. */
type Declare = (name: string, test: jest.ProvidesCallback, timeoutMs?: number) => void;

type CallerName = 'keyA' | 'userA' | 'keyB' | 'userB';

interface CallerSpec {
  readonly name: CallerName;
  readonly label: string;
  readonly declare: Declare;
}

const CALLERS: Readonly<Record<CallerName, CallerSpec>> = {
  keyA: { name: 'keyA', label: "tenant A's machine key", declare: it },
  userA: { name: 'userA', label: "tenant A's user", declare: itWithUserTokens },
  keyB: { name: 'keyB', label: "tenant B's machine key", declare: it },
  userB: { name: 'userB', label: "tenant B's user", declare: itWithUserTokens },
};

/** One route that names an item (and maybe a file), and how a missing one is answered. */
interface ObjectRoute {
  readonly operationId: string;
  readonly label: string;
  readonly method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  readonly path: (itemId: string, fileId: string) => string;
  readonly body?: unknown;
  readonly notFound: string;
}

const OBJECT_ROUTES: readonly ObjectRoute[] = [
  {
    operationId: 'getItem',
    label: 'GET the item',
    method: 'GET',
    path: (itemId) => `/api/items/${itemId}`,
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'updateItem',
    label: 'PATCH the item',
    method: 'PATCH',
    path: (itemId) => `/api/items/${itemId}`,
    body: { name: 'hijacked', attributes: { owner: 'tenant b' } },
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'deleteItem',
    label: 'DELETE the item',
    method: 'DELETE',
    path: (itemId) => `/api/items/${itemId}`,
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'listItemFiles',
    label: "GET the item's files",
    method: 'GET',
    path: (itemId) => `/api/items/${itemId}/files`,
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'createFileUpload',
    label: 'POST a file upload to the item',
    method: 'POST',
    path: (itemId) => `/api/items/${itemId}/files`,
    body: { fileName: 'planted.txt', contentType: 'text/plain', contentLength: 7 },
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'getFileDownload',
    label: "GET the file's download",
    method: 'GET',
    path: (itemId, fileId) => `/api/items/${itemId}/files/${fileId}`,
    notFound: ProblemTypes.itemNotFound,
  },
  {
    operationId: 'deleteFile',
    label: 'DELETE the file',
    method: 'DELETE',
    path: (itemId, fileId) => `/api/items/${itemId}/files/${fileId}`,
    notFound: ProblemTypes.itemNotFound,
  },
];

/** The members two problems of one kind share (`requestId` and `detail` may differ). */
const problemShape = (json: unknown) => {
  const { type, title, status } = json as Record<string, unknown>;
  return { type, title, status };
};

describe('ownership across tenants', () => {
  let target: Target;
  let http: RawHttp;
  const tenantA = freshTenant('own-a');
  const tenantB = freshTenant('own-b');
  const credentials: Partial<Record<CallerName, Credential>> = {};
  /** A user of no tenant group, when the issuer mints tokens. */
  let loner: Credential | undefined;
  /** Every item of each tenant, by id. */
  const itemsOf: Record<'A' | 'B', Set<string>> = { A: new Set(), B: new Set() };
  let itemA: Item;
  let fileA: string;
  const fileBytes = new TextEncoder().encode("tenant A's private bytes");

  const credential = (name: CallerName): Credential => {
    const found = credentials[name];
    if (!found) throw new Error(`no credential for ${name}`);
    return found;
  };

  const createItemAs = async (name: CallerName, itemName: string): Promise<Item> => {
    const { data, response } = await clientWith(target.baseUrl, credential(name)).POST(
      '/api/items',
      { body: { name: itemName } },
    );
    expect(response.status).toBe(201);
    itemsOf[name.endsWith('A') ? 'A' : 'B'].add(data!.id);
    return data!;
  };

  const send = (
    route: ObjectRoute,
    who: Credential,
    itemId: string,
    fileId: string,
  ): Promise<RawResponse> =>
    http.send({
      method: route.method,
      path: route.path(itemId, fileId),
      headers: {
        ...credentialHeaders(who),
        ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
    });

  /** Every id a caller lists, following the cursor one item at a time. */
  const listAll = async (who: Credential): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const query = `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await http.send({
        method: 'GET',
        path: `/api/items?${query}`,
        headers: credentialHeaders(who),
      });
      expect(response.status).toBe(200);
      const body = response.json as { items: Item[]; nextCursor?: string };
      expect(body.items.length).toBeLessThanOrEqual(1);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('more than 100 pages');
  };

  /** Tenant A's item reads back unchanged, and its file downloads with the same bytes. */
  const expectTenantAIntact = async (): Promise<void> => {
    const client = clientWith(target.baseUrl, credential('keyA'));
    const { data, response } = await client.GET('/api/items/{id}', {
      params: { path: { id: itemA.id } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(itemA);
    expect(response.headers.get('etag')).toBe(`"${itemA.version}"`);
    const listed = await client.GET('/api/items/{id}/files', {
      params: { path: { id: itemA.id } },
    });
    expect(listed.data!.files.map((file) => file.fileId)).toEqual([fileA]);
    const grant = await client.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: itemA.id, fileId: fileA } },
    });
    expect(grant.response.status).toBe(200);
    const download = await fetch(grant.data!.downloadUrl);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(fileBytes);
  };

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl);
    const [keyA, keyB] = await Promise.all([
      target.machineKey({ tenant: tenantA }),
      target.machineKey({ tenant: tenantB }),
    ]);
    credentials.keyA = { kind: 'machine', key: keyA.key };
    credentials.keyB = { kind: 'machine', key: keyB.key };
    if (target.userToken) {
      const suffix = randomUUID().slice(0, 8);
      const [userA, userB, lonely] = await Promise.all([
        target.userToken({ user: `alice-${suffix}`, tenant: tenantA }),
        target.userToken({ user: `bob-${suffix}`, tenant: tenantB }),
        target.userToken({ user: `loner-${suffix}` }),
      ]);
      credentials.userA = { kind: 'user', token: userA };
      credentials.userB = { kind: 'user', token: userB };
      loner = { kind: 'user', token: lonely };
    }

    itemA = await createItemAs('keyA', "tenant A's item");
    ({ fileId: fileA } = await uploadFile(clientWith(target.baseUrl, credential('keyA')), {
      itemId: itemA.id,
      fileName: 'private.txt',
      contentType: 'text/plain',
      body: fileBytes,
    }));
    await createItemAs('keyA', "tenant A's second item");
    await createItemAs('keyB', "tenant B's item");
    await createItemAs('keyB', "tenant B's second item");
    if (target.userToken) {
      await createItemAs('userA', "tenant A's item made by its user");
      await createItemAs('userB', "tenant B's item made by its user");
    }
  });

  afterAll(async () => {
    http?.close();
    await target?.stop();
  });

  describe("tenant B's callers on tenant A's item and file", () => {
    for (const caller of [CALLERS.keyB, CALLERS.userB]) {
      for (const route of OBJECT_ROUTES) {
        caller.declare(
          `${caller.label}: ${route.label} answers 404 exactly as for a missing id, and changes nothing`,
          async () => {
            const who = credential(caller.name);
            const foreign = await send(route, who, itemA.id, fileA);
            const missing = await send(route, who, randomUUID(), randomUUID());

            expect(foreign.status).toBe(404);
            expect(
              contractViolations(
                route.operationId,
                foreign.status,
                foreign.contentType,
                foreign.json,
              ),
            ).toEqual([]);
            expect(foreign.json).toMatchObject({ type: route.notFound, status: 404 });
            // Indistinguishable from an id that does not exist: same status, same members,
            // same type and title.
            expect(missing.status).toBe(404);
            expect(foreign.contentType).toBe(missing.contentType);
            expect(Object.keys(foreign.json as object).sort()).toEqual(
              Object.keys(missing.json as object).sort(),
            );
            expect(problemShape(foreign.json)).toEqual(problemShape(missing.json));
            expect(foreign.text).not.toContain(itemA.name);
            expect(foreign.text).not.toContain('X-Amz-Signature');

            await expectTenantAIntact();
          },
        );
      }
    }

    // Declared after the attempts, so it runs after all of them.
    it("leaves tenant A's item and file as they were after every attempt", async () => {
      await expectTenantAIntact();
      const listed = await listAll(credential('keyA'));
      expect(new Set(listed)).toEqual(itemsOf.A);
    });
  });

  describe('lists', () => {
    for (const caller of Object.values(CALLERS)) {
      caller.declare(
        `${caller.label} lists its tenant's items only, each once, across every page`,
        async () => {
          const ids = await listAll(credential(caller.name));
          const own = caller.name.endsWith('A') ? itemsOf.A : itemsOf.B;
          const other = caller.name.endsWith('A') ? itemsOf.B : itemsOf.A;
          expect(ids.length).toBeGreaterThan(1);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(ids)).toEqual(own);
          for (const id of other) expect(ids).not.toContain(id);
        },
      );
    }

    for (const caller of [CALLERS.keyB, CALLERS.userB]) {
      caller.declare(
        `${caller.label} is refused tenant A's cursor with 400 invalid-cursor`,
        async () => {
          const first = await http.send({
            method: 'GET',
            path: '/api/items?limit=1',
            headers: credentialHeaders(credential('keyA')),
          });
          const cursor = (first.json as { nextCursor?: string }).nextCursor;
          expect(cursor).toBeDefined();
          const path = `/api/items?limit=1&cursor=${encodeURIComponent(cursor!)}`;
          // The control: the cursor is good for the tenant it was issued to.
          const own = await http.send({
            method: 'GET',
            path,
            headers: credentialHeaders(credential('keyA')),
          });
          expect(own.status).toBe(200);
          const refused = await http.send({
            method: 'GET',
            path,
            headers: credentialHeaders(credential(caller.name)),
          });
          expect(refused.status).toBe(400);
          expect(refused.json).toMatchObject({ type: ProblemTypes.invalidCursor });
          expect(refused.text).not.toMatch(/"items"/);
        },
      );
    }
  });

  describe('one tenant, two kinds of caller', () => {
    itWithUserTokens("tenant A's user and machine key see the same data", async () => {
      const byKey = clientWith(target.baseUrl, credential('keyA'));
      const byUser = clientWith(target.baseUrl, credential('userA'));
      expect(new Set(await listAll(credential('userA')))).toEqual(
        new Set(await listAll(credential('keyA'))),
      );
      for (const id of itemsOf.A) {
        const [asKey, asUser] = await Promise.all([
          byKey.GET('/api/items/{id}', { params: { path: { id } } }),
          byUser.GET('/api/items/{id}', { params: { path: { id } } }),
        ]);
        expect(asKey.response.status).toBe(200);
        expect(asUser.response.status).toBe(200);
        expect(asUser.data).toEqual(asKey.data);
      }
      // The user reaches the file the machine key uploaded.
      const grant = await byUser.GET('/api/items/{id}/files/{fileId}', {
        params: { path: { id: itemA.id, fileId: fileA } },
      });
      expect(grant.response.status).toBe(200);
      const download = await fetch(grant.data!.downloadUrl);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(fileBytes);
    });

    itWithUserTokens(
      "a user in no tenant group gets a tenant of their own and sees neither A's nor B's items",
      async () => {
        const who = loner!;
        expect(await listAll(who)).toEqual([]);
        const client = clientWith(target.baseUrl, who);
        for (const id of [...itemsOf.A, ...itemsOf.B]) {
          const { response } = await client.GET('/api/items/{id}', { params: { path: { id } } });
          expect(response.status).toBe(404);
        }
        const { data, response } = await client.POST('/api/items', {
          body: { name: 'a personal item' },
        });
        expect(response.status).toBe(201);
        expect(await listAll(who)).toEqual([data!.id]);
        // Nor is the personal item anyone else's.
        for (const name of ['keyA', 'userA', 'keyB', 'userB'] as const) {
          expect(await listAll(credential(name))).not.toContain(data!.id);
        }
      },
    );
  });
});
