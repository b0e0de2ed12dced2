/**
 * Type tests, compiled by `tap-client:typecheck` and never run: each `@ts-expect-error`
 * fails the typecheck when the line it marks starts compiling, so the client's types
 * cannot quietly widen (a wrong path, body or option accepted, `data` or `error` typed
 * loosely). The assignments check the types that must hold.
 */
import type { FileSummary, GatewayError, Item, ItemPage, Problem } from '@tap/contracts';
import { TapApiError, type createTapClient, type TapClient, type unwrap } from './index';

declare const tap: TapClient;
declare const strict: TapClient<true>;
const id = '6f1c8a52-2f0e-4c55-9a55-1a2b3c4d5e6f';

/** Compiles only when `A` and `B` are the same type. */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(check: Equal<A, B>): Equal<A, B> => check;
/** Compiles only when `value` is exactly of type `Expected`. */
const exactly =
  <Expected>() =>
  <Actual>(value: Actual, ...check: Equal<Actual, Expected> extends true ? [] : [never]) => {
    void check;
    return value;
  };
/** Uses a value, so that an expression can carry a `@ts-expect-error`. */
const consume = (value: unknown): void => void value;

export async function paths(): Promise<void> {
  // @ts-expect-error: not a path of the contract
  await tap.GET('/api/item');
  // @ts-expect-error: no PUT on items
  await tap.PUT('/api/items/{id}', { params: { path: { id } } });
  // @ts-expect-error: the path parameter is required
  await tap.GET('/api/items/{id}');
  // @ts-expect-error: a query parameter of the wrong type
  await tap.GET('/api/items', { params: { query: { limit: 'ten' } } });
}

export async function bodies(): Promise<void> {
  // @ts-expect-error: the body is required
  await tap.POST('/api/items', {});
  // @ts-expect-error: `name` must be a string
  await tap.POST('/api/items', { body: { name: 1 } });
  // (An extra field is not caught: openapi-fetch infers the body, so no excess property
  // check applies. The API answers it 400.)
  await tap.PATCH('/api/items/{id}', { params: { path: { id } }, body: { description: null } });
}

export async function data(): Promise<void> {
  const read = await tap.GET('/api/items/{id}', { params: { path: { id } } });
  exactly<Item | undefined>()(read.data);
  exactly<Problem | GatewayError | undefined>()(read.error);
  exactly<string | undefined>()(read.etag);
  exactly<string | undefined>()(read.requestId);
  if (read.data) exactly<Item>()(read.data);
  const list = await tap.GET('/api/items');
  exactly<ItemPage | undefined>()(list.data);
  // @ts-expect-error: an item has no `title`
  consume(read.data?.title);
}

export async function throwing(): Promise<void> {
  const read = await strict.GET('/api/items/{id}', { params: { path: { id } } });
  exactly<Item>()(read.data);
  // @ts-expect-error: a throwing call has no `error`
  consume(read.error.status);
  const perCall = await tap.GET('/api/items/{id}', {
    params: { path: { id } },
    throwOnError: true,
  });
  exactly<Item>()(perCall.data);
  const optedOut = await strict.GET('/api/items/{id}', {
    params: { path: { id } },
    throwOnError: false,
  });
  exactly<Item | undefined>()(optedOut.data);
  same<Awaited<ReturnType<typeof unwrap<typeof read>>>, Item>(true);
  same<
    typeof createTapClient extends (o: { baseUrl: string; throwOnError: true }) => TapClient<true>
      ? true
      : false,
    true
  >(true);
}

export async function options(): Promise<void> {
  // @ts-expect-error: timeoutMs is a number (or false)
  await tap.GET('/health', { timeoutMs: '5s' });
  // @ts-expect-error: retry takes attempts, not a count
  await tap.GET('/health', { retry: { count: 2 } });
  await tap.POST('/api/items', { body: { name: 'n' }, idempotencyKey: 'k', retry: false });
}

export async function pagination(): Promise<void> {
  for await (const item of tap.paginate('/api/items', { params: { query: { limit: 5 } } })) {
    exactly<Item>()(item);
  }
  for await (const file of tap.paginate('/api/items/{id}/files', { params: { path: { id } } })) {
    exactly<FileSummary>()(file);
  }
  // @ts-expect-error: the files list needs its item id
  tap.paginate('/api/items/{id}/files');
  // @ts-expect-error: a single item is not a list
  tap.paginate('/api/items/{id}', { params: { path: { id } } });
}

export function errors(error: unknown): void {
  if (error instanceof TapApiError) {
    exactly<number>()(error.status);
    exactly<string | undefined>()(error.requestId);
    // @ts-expect-error: `type` is a problem type, not any string
    const type: 'not-a-type' = error.type;
    void type;
  }
}
