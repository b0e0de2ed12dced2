import { deriveRouteTable, PUBLIC_ROUTE_KEYS, routeTable, SCOPES } from './route-table';
import { openApiDocument, ProblemTypes } from './index';

describe('route table', () => {
  it('serves GET /health publicly from the health function', () => {
    expect(routeTable).toContainEqual({
      operationId: 'getHealth',
      method: 'GET',
      path: '/health',
      routeKey: 'GET /health',
      handler: 'health',
      requiresAuthorization: false,
      idempotent: false,
      scopes: [],
    });
  });

  it('guards every /api route and serves it from the api function', () => {
    const apiRoutes = routeTable.filter((route) => route.path.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(0);
    for (const route of apiRoutes) {
      expect(route).toMatchObject({ handler: 'api', requiresAuthorization: true });
    }
  });

  it('leaves no operation without a security requirement unless it is on the public list', () => {
    const open = routeTable.filter((route) => !route.requiresAuthorization);
    expect(open.map((route) => route.routeKey)).toEqual([...PUBLIC_ROUTE_KEYS]);
  });

  it('gives every guarded route at least one declared scope, reads needing read and writes write', () => {
    for (const route of routeTable.filter((entry) => entry.requiresAuthorization)) {
      expect(route.scopes.length).toBeGreaterThan(0);
      for (const scope of route.scopes) expect(SCOPES).toContain(scope);
      expect(route.scopes).toEqual(route.method === 'GET' ? ['items:read'] : ['items:write']);
    }
  });

  it('accepts a user token or a machine key on every guarded operation, with the same scopes', () => {
    for (const route of routeTable.filter((entry) => entry.requiresAuthorization)) {
      const [path, method] = [route.path, route.method.toLowerCase()];
      const pathItem = openApiDocument.paths[
        path as keyof typeof openApiDocument.paths
      ] as unknown as Record<string, { security?: Record<string, string[]>[] }>;
      expect(pathItem[method]?.security).toEqual([
        { userToken: [...route.scopes] },
        { apiKey: [...route.scopes] },
      ]);
    }
  });

  it('lists each operation of the document exactly once', () => {
    const ids = routeTable.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const documentIds = Object.values(openApiDocument.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>)
        .map((operation) => operation.operationId)
        .filter((id): id is string => typeof id === 'string'),
    );
    expect([...ids].sort()).toEqual([...documentIds].sort());
  });

  it('falls back to the document-level security requirement', () => {
    const routes = deriveRouteTable({
      security: [{ userToken: ['items:read'] }],
      paths: { '/x': { get: { operationId: 'x', 'x-tap-handler': 'api' } } },
    });
    expect(routes[0]).toMatchObject({ requiresAuthorization: true, scopes: ['items:read'] });
  });

  it('rejects an operation without a known x-tap-handler, naming it', () => {
    expect(() =>
      deriveRouteTable({
        paths: { '/x': { post: { operationId: 'x', 'x-tap-handler': 'nope' } } },
      }),
    ).toThrow('POST /x has x-tap-handler "nope"');
  });

  it('rejects an operation without an operationId', () => {
    expect(() =>
      deriveRouteTable({ paths: { '/x': { get: { 'x-tap-handler': 'api' } } } }),
    ).toThrow('GET /x has no operationId');
  });
});

describe('problem types', () => {
  it('names exactly the problem types the contract declares', () => {
    const declared = openApiDocument.components.schemas.ProblemType.enum;
    expect(Object.values(ProblemTypes).sort()).toEqual([...declared].sort());
  });

  it('has one constant per problem type, and a constant for every one', () => {
    const declared = openApiDocument.components.schemas.ProblemType.enum;
    const values = Object.values(ProblemTypes);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toHaveLength(declared.length);
    for (const type of declared) expect(values).toContain(type);
    for (const value of values) expect(declared).toContain(value);
  });
});

describe('the generated route table', () => {
  it('is the one the document derives, route for route', () => {
    expect(routeTable).toEqual(deriveRouteTable(openApiDocument));
  });
});
