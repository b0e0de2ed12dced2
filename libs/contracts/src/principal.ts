/**
 * Who is calling: the principal the authorizer establishes and hands to the API in the
 * authorizer context. The API reads identity only from there, never from a client header.
 * This module is the one statement of that hand-off, for the authorizer, the API and the
 * local cloud's gateway alike.
 */
import { RESOURCE_SERVER, SCOPES, type Scope } from './route-table';

/** A user (an access token from the user pool) or a machine client (an API key of its own). */
export type PrincipalKind = 'user' | 'machine';

/** An authenticated caller. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Whose data the caller sees and changes: every item and file belongs to one tenant. */
  readonly tenant: string;
  /** The user's `sub`, or the machine client's name. */
  readonly subject: string;
  /** What the caller may do; the API checks each route's scopes against them. */
  readonly scopes: readonly Scope[];
}

/**
 * A tenant id: lower-case letters, digits and hyphens, starting with a letter or digit, at
 * most 63 characters, so it is safe in table keys, S3 keys and log fields as it is.
 */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Prefix of the user pool group that places a user in a tenant (`tenant:acme`). */
export const TENANT_GROUP_PREFIX = 'tenant:';

/** Prefix of a user's own tenant, used when they belong to no tenant group. */
export const PERSONAL_TENANT_PREFIX = 'user-';

/** The tenant of a user in no tenant group: their own, from their `sub`. */
export const personalTenant = (sub: string): string =>
  `${PERSONAL_TENANT_PREFIX}${sub.toLowerCase()}`;

/**
 * Whether a tenant id may be given to a group or a machine key: any well-formed one but the
 * personal tenants (`user-…`), which only a user's own `sub` names, so that no group and no
 * key can reach into someone's personal data.
 */
export const isAssignableTenant = (tenant: string): boolean =>
  TENANT_PATTERN.test(tenant) && !tenant.startsWith(PERSONAL_TENANT_PREFIX);

/**
 * A user's tenant from their groups: the one `tenant:<id>` group, else their own.
 * `undefined` when the groups name more than one tenant, a malformed one or a personal one,
 * or are not a list of names: such a user is refused rather than placed in either.
 */
export function userTenant(sub: string, groups: unknown): string | undefined {
  if (
    groups !== undefined &&
    !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
  ) {
    return undefined;
  }
  const tenants = [
    ...new Set(
      ((groups as readonly string[] | undefined) ?? [])
        .filter((group) => group.startsWith(TENANT_GROUP_PREFIX))
        .map((group) => group.slice(TENANT_GROUP_PREFIX.length)),
    ),
  ];
  if (tenants.length === 0) {
    const own = personalTenant(sub);
    return TENANT_PATTERN.test(own) ? own : undefined;
  }
  const [tenant] = tenants;
  if (tenants.length > 1 || tenant === undefined || !isAssignableTenant(tenant)) return undefined;
  return tenant;
}

/**
 * The contract's scopes in a token's `scope` claim, which carries them as
 * `<resource server>/<scope>` (Cognito's form); other entries (`openid`, `email`, another
 * resource server's) grant nothing here.
 */
export function tokenScopes(scopeClaim: unknown, resourceServer = RESOURCE_SERVER): Scope[] {
  if (typeof scopeClaim !== 'string') return [];
  const prefix = `${resourceServer}/`;
  const granted = new Set(
    scopeClaim
      .split(' ')
      .filter((entry) => entry.startsWith(prefix))
      .map((entry) => entry.slice(prefix.length)),
  );
  return SCOPES.filter((scope) => granted.has(scope));
}

/** The scopes as a user pool token carries them: `tap/items:read tap/items:write`. */
export const scopeClaim = (scopes: readonly Scope[], resourceServer = RESOURCE_SERVER): string =>
  scopes.map((scope) => `${resourceServer}/${scope}`).join(' ');

/**
 * The authorizer context as HTTP API passes it on (`requestContext.authorizer.lambda`):
 * flat string values, the scopes space-separated.
 */
export interface AuthorizerContext {
  readonly kind: string;
  readonly tenant: string;
  readonly subject: string;
  readonly scopes: string;
}

/** The authorizer context of a principal. */
export const toAuthorizerContext = (principal: Principal): AuthorizerContext => ({
  kind: principal.kind,
  tenant: principal.tenant,
  subject: principal.subject,
  scopes: principal.scopes.join(' '),
});

/**
 * Reads the principal back from an authorizer context; `undefined` when it is absent or
 * malformed (a route deployed without the authorizer), which the API refuses.
 */
export function fromAuthorizerContext(context: unknown): Principal | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const { kind, tenant, subject, scopes } = context as Partial<Record<string, unknown>>;
  if (kind !== 'user' && kind !== 'machine') return undefined;
  if (typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)) return undefined;
  if (typeof subject !== 'string' || subject.length === 0) return undefined;
  if (typeof scopes !== 'string') return undefined;
  const listed = scopes.split(' ').filter((scope) => scope.length > 0);
  const known = SCOPES.filter((scope) => listed.includes(scope));
  if (known.length !== listed.length) return undefined;
  return { kind, tenant, subject, scopes: known };
}

/** The required scopes a principal lacks (empty when it may call the route). */
export const missingScopes = (
  principal: Pick<Principal, 'scopes'>,
  required: readonly Scope[],
): Scope[] => required.filter((scope) => !principal.scopes.includes(scope));
