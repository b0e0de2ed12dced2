import {
  fromAuthorizerContext,
  isAssignableTenant,
  missingScopes,
  personalTenant,
  toAuthorizerContext,
  tokenScopes,
  userTenant,
  type Principal,
} from './principal';

const SUB = '8f14e45f-ceea-4e7a-9b6f-3c1d2a4b5c6d';

describe("a user's tenant", () => {
  it('is their one tenant group', () => {
    expect(userTenant(SUB, ['tenant:acme', 'admins'])).toBe('acme');
    expect(userTenant(SUB, ['tenant:acme', 'tenant:acme'])).toBe('acme');
  });

  it('is their own, user-<sub>, without a tenant group', () => {
    expect(userTenant(SUB, undefined)).toBe(`user-${SUB}`);
    expect(userTenant(SUB, ['admins'])).toBe(personalTenant(SUB));
  });

  it.each([
    ['two tenant groups', ['tenant:acme', 'tenant:globex']],
    ['a malformed tenant group', ['tenant:Acme Corp']],
    ["a group naming someone's personal tenant", [`tenant:user-${SUB}`]],
    ['groups that are not a list of names', 'tenant:acme'],
    ['a list holding a non-string', ['tenant:acme', 42]],
  ])('is refused for %s', (_, groups) => {
    expect(userTenant(SUB, groups)).toBeUndefined();
  });

  it('keeps personal tenants out of what groups and keys may name', () => {
    expect(isAssignableTenant('acme')).toBe(true);
    expect(isAssignableTenant(`user-${SUB}`)).toBe(false);
    expect(isAssignableTenant('Acme')).toBe(false);
  });
});

describe('scopes', () => {
  it("reads only the resource server's scopes the contract declares from a token", () => {
    expect(tokenScopes('openid tap/items:write other/items:read tap/admin tap/items:read')).toEqual(
      ['items:read', 'items:write'],
    );
    expect(tokenScopes(undefined)).toEqual([]);
    expect(tokenScopes('items:read')).toEqual([]);
  });

  it('names the scopes a principal lacks for a route', () => {
    expect(missingScopes({ scopes: ['items:read'] }, ['items:write'])).toEqual(['items:write']);
    expect(missingScopes({ scopes: ['items:read', 'items:write'] }, ['items:write'])).toEqual([]);
  });
});

describe('the authorizer context', () => {
  const principal: Principal = {
    kind: 'user',
    tenant: 'acme',
    subject: SUB,
    scopes: ['items:read'],
  };

  it('round-trips a principal', () => {
    expect(fromAuthorizerContext(toAuthorizerContext(principal))).toEqual(principal);
  });

  it.each([
    ['nothing', undefined],
    ['an unknown kind', { ...toAuthorizerContext(principal), kind: 'admin' }],
    ['a malformed tenant', { ...toAuthorizerContext(principal), tenant: '../x' }],
    ['an empty subject', { ...toAuthorizerContext(principal), subject: '' }],
    ['an unknown scope', { ...toAuthorizerContext(principal), scopes: 'items:read admin' }],
  ])('reads no principal from %s', (_, context) => {
    expect(fromAuthorizerContext(context)).toBeUndefined();
  });
});
