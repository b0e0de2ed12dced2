import { deriveRouteTable, routeTable } from './route-table';
import { openApiDocument, ProblemTypes } from './index';

describe('route table', () => {
  it('serves GET /health publicly from the health function', () => {
    expect(routeTable).toContainEqual({
      operationId: 'getHealth',
      method: 'GET',
      path: '/health',
      routeKey: 'GET /health',
      handler: 'health',
      requiresApiKey: false,
    });
  });

  it('guards every /api route with the API key and serves it from the api function', () => {
    const apiRoutes = routeTable.filter((route) => route.path.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(0);
    for (const route of apiRoutes) {
      expect(route).toMatchObject({ handler: 'api', requiresApiKey: true });
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
      security: [{ apiKey: [] }],
      paths: { '/x': { get: { operationId: 'x', 'x-tap-handler': 'api' } } },
    });
    expect(routes[0]?.requiresApiKey).toBe(true);
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
