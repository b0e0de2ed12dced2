import { routeTable, type Route } from '@tap/contracts';
import { RouteMatcher } from './route-matcher';

const route = (method: Route['method'], path: string): Route => ({
  operationId: `${method} ${path}`,
  method,
  path,
  routeKey: `${method} ${path}`,
  handler: 'api',
  requiresAuthorization: false,
  scopes: [],
  idempotent: false,
});

describe('RouteMatcher', () => {
  const matcher = new RouteMatcher(routeTable);

  it('matches every route of the contract by its own template, parameters filled in', () => {
    for (const contractRoute of routeTable) {
      const concrete = contractRoute.path.replace(
        /\{([^}]+)\}/g,
        (_, name: string) => `sample-${name}`,
      );
      const match = matcher.match(contractRoute.method, concrete);
      expect(match?.route.routeKey).toBe(contractRoute.routeKey);
      const expected = Object.fromEntries(
        [...contractRoute.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [
          name,
          `sample-${name}`,
        ]),
      );
      expect(match?.pathParameters).toEqual(expected);
    }
  });

  it('routes GET /health to the health function without the API key', () => {
    const match = matcher.match('GET', '/health');
    expect(match?.route).toMatchObject({
      handler: 'health',
      requiresAuthorization: false,
      scopes: [],
    });
  });

  it('routes item operations to the api function behind the authorizer, with their scopes', () => {
    const match = matcher.match('DELETE', '/api/items/abc/files/def');
    expect(match?.route).toMatchObject({
      path: '/api/items/{id}/files/{fileId}',
      handler: 'api',
      requiresAuthorization: true,
      scopes: ['items:write'],
    });
    expect(match?.pathParameters).toEqual({ id: 'abc', fileId: 'def' });
  });

  it('percent-decodes path parameters but keeps malformed escapes as sent', () => {
    expect(matcher.match('GET', '/api/items/caf%C3%A9%20au%2Flait')?.pathParameters).toEqual({
      id: 'café au/lait',
    });
    expect(matcher.match('GET', '/api/items/100%')?.pathParameters).toEqual({ id: '100%' });
  });

  it('does not match a known path with another method, or unknown paths', () => {
    expect(matcher.match('PUT', '/health')).toBeUndefined();
    expect(matcher.match('GET', '/healthz')).toBeUndefined();
    expect(matcher.match('GET', '/api/items/abc/extra/segments/here')).toBeUndefined();
    expect(matcher.match('GET', 'health')).toBeUndefined();
  });

  it('does not let an empty segment fill a path parameter', () => {
    expect(matcher.match('GET', '/api/items//files')).toBeUndefined();
    expect(matcher.match('GET', '/health/')).toBeUndefined();
  });

  it('compares methods case-insensitively', () => {
    expect(matcher.match('get', '/health')?.route.routeKey).toBe('GET /health');
  });

  it('prefers the route with more literal segments, whatever the table order', () => {
    const specific = new RouteMatcher([route('GET', '/things/{id}'), route('GET', '/things/new')]);
    expect(specific.match('GET', '/things/new')?.route.path).toBe('/things/new');
    expect(specific.match('GET', '/things/42')?.route.path).toBe('/things/{id}');
  });

  it('lets a greedy {name+} parameter take the rest of the path', () => {
    const greedy = new RouteMatcher([route('GET', '/static/{proxy+}')]);
    expect(greedy.match('GET', '/static/a/b%20c')?.pathParameters).toEqual({ proxy: 'a/b c' });
    expect(greedy.match('GET', '/static/')).toBeUndefined();
  });
});
