/**
 * The event fields the GetItem floors read: the item id, and the tenant the authorizer
 * named. A module of its own, importing nothing, so the floor without an SDK client loads
 * no SDK module through it.
 */
export interface GetItemEvent {
  readonly pathParameters?: { readonly id?: string };
  readonly requestContext?: {
    readonly authorizer?: { readonly lambda?: { readonly tenant?: string } };
  };
}

/** The tenant of the request, as the authorizer context carries it. */
export const tenantOf = (event: GetItemEvent): string =>
  event.requestContext?.authorizer?.lambda?.tenant ?? '';
