import { randomUUID } from 'node:crypto';
import {
  Agent,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

// dynalite 4 knows no transactions. This module answers `TransactWriteItems` and
// `TransactGetItems` in front of it by translating each action into dynalite's own
// single-item calls, sent back to the same server over the loopback: dynalite keeps parsing
// keys and expressions and evaluating conditions, so the transactional path cannot drift
// from the plain one. What real DynamoDB does that this does not:
//
// - Isolation is per emulator, not per item: one transaction runs at a time, but plain
//   writes by other clients may interleave with it and, while a failing transaction rolls
//   back, plain readers may briefly see its writes.
// - `ClientRequestToken` is ignored: a repeated request runs again instead of being
//   answered from the 10-minute idempotency window.
// - `ReturnConsumedCapacity` and `ReturnItemCollectionMetrics` are ignored; the answer is
//   `{}` as with the defaults.

const TARGET_PREFIX = 'DynamoDB_20120810.';
const TRANSACT_WRITE_ITEMS = `${TARGET_PREFIX}TransactWriteItems`;
const TRANSACT_GET_ITEMS = `${TARGET_PREFIX}TransactGetItems`;

/** DynamoDB's limit on the actions of one transaction. */
const MAX_ACTIONS = 100;

const ERROR_TYPES = {
  validation: 'com.amazon.coral.validate#ValidationException',
  serialization: 'com.amazon.coral.service#SerializationException',
  missingToken: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  internal: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  conditionalCheckFailed: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
  transactionCanceled: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
} as const;

/**
 * dynalite's messages for errors that depend on the stored item rather than on the request.
 * Real DynamoDB reports those as a `ValidationError` cancellation reason; every other
 * validation error rejects the whole request before anything runs.
 */
const ITEM_DEPENDENT_ERRORS = [
  'An operand in the update expression has an incorrect data type',
  'Item size to update has exceeded the maximum allowed size',
  'The provided expression refers to an attribute that does not exist in the item',
];

/** An attribute value or an item, in the JSON wire format (`{ S: 'x' }`, ...). */
type AttributeValue = Readonly<Record<string, unknown>>;
type Item = Readonly<Record<string, AttributeValue>>;
type Json = Readonly<Record<string, unknown>>;

/** One write action of `TransactWriteItems`, as the request names it. */
type ActionKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const ACTION_KINDS: readonly ActionKind[] = ['Put', 'Update', 'Delete', 'ConditionCheck'];

interface WriteAction {
  readonly kind: ActionKind;
  readonly spec: Json;
  readonly tableName: string;
  /** The key attributes, taken from `Item` for a Put; undefined when incomplete. */
  readonly key: Item | undefined;
  /** The table's key attribute names, partition key first. */
  readonly schema: readonly string[];
}

interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Item;
}

/** An answer other than 200: relayed to the client as it is. */
class DynamoDbError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body['message'] ?? body['Message'] ?? body['__type']));
  }

  get type(): string {
    return String(this.body['__type'] ?? '');
  }
}

const validationError = (message: string): DynamoDbError =>
  new DynamoDbError(400, { __type: ERROR_TYPES.validation, message });

/** Talks to dynalite itself, signed as the transaction's caller was. */
type Call = (operation: string, input: Json) => Promise<Json>;

/**
 * Makes a dynalite server answer `TransactWriteItems` and `TransactGetItems`: requests for
 * those are taken before dynalite sees them, everything else reaches dynalite unchanged.
 *
 * A write transaction validates like DynamoDB (1 to 100 actions, each exactly one of Put,
 * Update, Delete and ConditionCheck, no two on one item), then runs its actions in order
 * as conditional single-item calls, each after reading the item's old image. Every action
 * runs even after one has failed, so the cancellation reasons name every failing condition
 * as DynamoDB's do (each condition meets its item as it was before the transaction, since
 * no other action touches that item); then the writes already made are undone by putting
 * the old images back (or deleting what did not exist) and the client gets a
 * `TransactionCanceledException` with one reason per action. Transactions of one server,
 * reads included, run one at a time, so a `TransactGetItems` never sees half of one.
 *
 * Call once per server, before it listens.
 */
export function addTransactions(server: Server): void {
  const dynalite = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  // Keep-alive: a transaction makes several calls back in a row. Stopping the emulator
  // closes the server's ends of these connections, which frees the agent's too.
  const agent = new Agent({ keepAlive: true });
  let queue: Promise<unknown> = Promise.resolve();
  const serialise = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation);
    queue = next.catch(() => undefined);
    return next;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const transaction =
      req.method === 'POST' && (target === TRANSACT_WRITE_ITEMS || target === TRANSACT_GET_ITEMS);
    if (!transaction) {
      for (const listener of dynalite) listener.call(server, req, res);
      return;
    }
    const call = loopbackCall(req, agent);
    void readBody(req)
      .then((body) => {
        const input = parseInput(body);
        requireAuthentication(req);
        return serialise(() =>
          target === TRANSACT_WRITE_ITEMS
            ? transactWriteItems(input, call)
            : transactGetItems(input, call),
        );
      })
      .then(
        (output) => send(req, res, 200, output),
        (error: unknown) => {
          if (error instanceof DynamoDbError) send(req, res, error.status, error.body);
          else send(req, res, 500, { __type: ERROR_TYPES.internal, message: String(error) });
        },
      );
  });
}

async function transactWriteItems(input: Json, call: Call): Promise<Json> {
  const actions = transactItems(input).map(writeAction);
  const schemas = await keySchemas(
    actions.map((action) => action.tableName),
    call,
  );
  const withKeys = actions.map((action): WriteAction => {
    const schema = schemas.get(action.tableName) ?? [];
    const source = action.kind === 'Put' ? record(action.spec['Item']) : record(action.spec['Key']);
    const complete = schema.every((name) => source[name] !== undefined);
    const key = complete
      ? Object.fromEntries(schema.map((name) => [name, source[name] as AttributeValue]))
      : undefined;
    return { ...action, key, schema };
  });
  rejectRepeatedItems(
    withKeys.map((action) => [action.tableName, action.schema, action.key ?? {}] as const),
  );

  const applied: { readonly action: WriteAction; readonly oldImage: Item | undefined }[] = [];
  const reasons: CancellationReason[] = [];
  try {
    for (const action of withKeys) {
      const oldImage = action.key ? await getItem(call, action.tableName, action.key) : undefined;
      try {
        await runAction(call, action, oldImage);
        if (action.kind !== 'ConditionCheck') applied.push({ action, oldImage });
        reasons.push({ Code: 'None' });
      } catch (error) {
        reasons.push(cancellationReason(error, action, oldImage));
      }
    }
  } catch (error) {
    await rollBack(call, applied);
    throw error;
  }
  if (reasons.every((reason) => reason.Code === 'None')) return {};
  await rollBack(call, applied);
  const codes = reasons.map((reason) => reason.Code).join(', ');
  throw new DynamoDbError(400, {
    __type: ERROR_TYPES.transactionCanceled,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    CancellationReasons: reasons,
  });
}

async function transactGetItems(input: Json, call: Call): Promise<Json> {
  const gets = transactItems(input).map((entry, index) => {
    const get = entry['Get'];
    if (typeof get !== 'object' || get === null || Object.keys(entry).length !== 1) {
      throw validationError(
        `1 validation error detected: Value null at 'transactItems.${index + 1}.member.get' failed to satisfy constraint: Member must not be null`,
      );
    }
    return get as Json;
  });
  const schemas = await keySchemas(
    gets.map((get) => String(get['TableName'])),
    call,
  );
  rejectRepeatedItems(
    gets.map((get) => {
      const tableName = String(get['TableName']);
      return [tableName, schemas.get(tableName) ?? [], record(get['Key'])] as const;
    }),
  );
  const responses: Json[] = [];
  for (const get of gets) {
    const { Item } = await call('GetItem', {
      ...pick(get, ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames']),
      ConsistentRead: true,
    });
    responses.push(Item === undefined ? {} : { Item });
  }
  return { Responses: responses };
}

/** `TransactItems`, checked for DynamoDB's length limits. */
function transactItems(input: Json): Json[] {
  const items = input['TransactItems'];
  if (!Array.isArray(items)) {
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (items.length < 1 || items.length > MAX_ACTIONS) {
    const bound =
      items.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ACTIONS}`;
    throw validationError(
      `1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  return items.map(record);
}

function writeAction(entry: Json, index: number): Omit<WriteAction, 'key' | 'schema'> {
  const kinds = ACTION_KINDS.filter((kind) => entry[kind] !== undefined && entry[kind] !== null);
  const [kind] = kinds;
  if (kind === undefined || kinds.length !== 1) {
    throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const spec = record(entry[kind]);
  if (kind === 'ConditionCheck' && typeof spec['ConditionExpression'] !== 'string') {
    throw validationError(
      `1 validation error detected: Value null at 'transactItems.${index + 1}.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null`,
    );
  }
  return { kind, spec, tableName: String(spec['TableName']) };
}

/** The key attribute names of each table, by DescribeTable (which fails for a missing one). */
async function keySchemas(
  tableNames: readonly string[],
  call: Call,
): Promise<Map<string, readonly string[]>> {
  const schemas = new Map<string, readonly string[]>();
  for (const tableName of new Set(tableNames)) {
    const { Table } = await call('DescribeTable', { TableName: tableName });
    const keySchema = record(Table)['KeySchema'];
    const names = (Array.isArray(keySchema) ? keySchema : []).map((element) =>
      String(record(element)['AttributeName']),
    );
    schemas.set(tableName, names);
  }
  return schemas;
}

function rejectRepeatedItems(
  targets: readonly (readonly [string, readonly string[], Readonly<Record<string, unknown>>])[],
): void {
  const seen = new Set<string>();
  for (const [tableName, schema, key] of targets) {
    // Only the key attributes, in the schema's order: `{ S }` values serialise one way.
    const identity = JSON.stringify([tableName, ...schema.map((name) => key[name] ?? null)]);
    if (seen.has(identity)) {
      throw validationError('Transaction request cannot include multiple operations on one item');
    }
    seen.add(identity);
  }
}

async function getItem(call: Call, tableName: string, key: Item): Promise<Item | undefined> {
  const { Item } = await call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
  return Item === undefined ? undefined : (Item as Item);
}

const CONDITION_FIELDS = [
  'ConditionExpression',
  'ExpressionAttributeNames',
  'ExpressionAttributeValues',
] as const;

/** Runs one action as dynalite's conditional single-item call; throws what dynalite answers. */
async function runAction(
  call: Call,
  action: WriteAction,
  oldImage: Item | undefined,
): Promise<void> {
  const { kind, spec, schema } = action;
  switch (kind) {
    case 'Put':
      await call('PutItem', pick(spec, ['TableName', 'Item', ...CONDITION_FIELDS]));
      return;
    case 'Update':
      await call(
        'UpdateItem',
        pick(spec, ['TableName', 'Key', 'UpdateExpression', ...CONDITION_FIELDS]),
      );
      return;
    case 'Delete':
      await call('DeleteItem', pick(spec, ['TableName', 'Key', ...CONDITION_FIELDS]));
      return;
    case 'ConditionCheck': {
      const check = conditionCheckCall(spec, oldImage, schema);
      await call(check.operation, check.input);
      return;
    }
  }
}

/**
 * DynamoDB has no read-only conditional call, so a ConditionCheck is a conditional write
 * chosen to leave the item as it is whichever way the condition goes:
 *
 * - an item that exists gets an UpdateItem that REMOVEs an attribute no item carries, so
 *   its content stays the same (an UpdateItem must update something; a Put would rewrite
 *   the item from our copy, racing plain writers);
 * - an item that does not exist gets a DeleteItem, which deletes nothing (an UpdateItem
 *   would create a key-only item).
 *
 * Each also requires the item to still exist, or still not exist, as it did when its old
 * image was read, so a plain write in between cannot make the check create or delete an
 * item; it fails the check instead.
 */
function conditionCheckCall(
  spec: Json,
  oldImage: Item | undefined,
  schema: readonly string[],
): { readonly operation: string; readonly input: Json } {
  const names = record(spec['ExpressionAttributeNames']) as Readonly<Record<string, string>>;
  const free = (base: string): string => {
    let placeholder = base;
    for (let suffix = 0; placeholder in names; suffix += 1) placeholder = `${base}${suffix}`;
    return placeholder;
  };
  const keyName = free('#tapTransactionKey');
  const partitionKey = schema[0] ?? '';
  const presence = oldImage ? 'attribute_exists' : 'attribute_not_exists';
  const input = {
    ...pick(spec, ['TableName', 'Key', 'ExpressionAttributeValues']),
    ConditionExpression: `${presence}(${keyName}) AND (${String(spec['ConditionExpression'])})`,
  };
  if (!oldImage) {
    return {
      operation: 'DeleteItem',
      input: { ...input, ExpressionAttributeNames: { ...names, [keyName]: partitionKey } },
    };
  }
  const unusedName = free('#tapTransactionUnused');
  return {
    operation: 'UpdateItem',
    input: {
      ...input,
      UpdateExpression: `REMOVE ${unusedName}`,
      ExpressionAttributeNames: {
        ...names,
        [keyName]: partitionKey,
        [unusedName]: 'tap:transaction-condition-check:unused',
      },
    },
  };
}

function cancellationReason(
  error: unknown,
  action: WriteAction,
  oldImage: Item | undefined,
): CancellationReason {
  if (!(error instanceof DynamoDbError)) throw error;
  if (error.type === ERROR_TYPES.conditionalCheckFailed) {
    const allOld = action.spec['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD';
    return {
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed',
      ...(allOld && oldImage ? { Item: oldImage } : {}),
    };
  }
  if (error.type === ERROR_TYPES.validation && ITEM_DEPENDENT_ERRORS.includes(error.message)) {
    return { Code: 'ValidationError', Message: error.message };
  }
  throw error;
}

/** Undoes the writes made, last first: the old image back, or the item gone again. */
async function rollBack(
  call: Call,
  applied: readonly { readonly action: WriteAction; readonly oldImage: Item | undefined }[],
): Promise<void> {
  for (const { action, oldImage } of [...applied].reverse()) {
    if (oldImage) await call('PutItem', { TableName: action.tableName, Item: oldImage });
    else if (action.key) await call('DeleteItem', { TableName: action.tableName, Key: action.key });
  }
}

/**
 * Sends an operation to dynalite behind the same listener the transaction came in on, with
 * the caller's authentication headers (dynalite checks their presence, not signatures).
 */
function loopbackCall(req: IncomingMessage, agent: Agent): Call {
  const forwarded = pick(req.headers, [
    'authorization',
    'x-amz-date',
    'x-amz-security-token',
  ]) as IncomingHttpHeaders;
  const host = req.socket.localAddress ?? '127.0.0.1';
  const port = req.socket.localPort;
  return (operation, input) => {
    const payload = JSON.stringify(input);
    return new Promise<Json>((resolve, reject) => {
      const inner = request(
        {
          agent,
          host,
          port,
          method: 'POST',
          path: '/',
          headers: {
            ...forwarded,
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(payload),
            'x-amz-target': `${TARGET_PREFIX}${operation}`,
          },
        },
        (response) => {
          readBody(response).then((text) => {
            const parsed = record(text ? JSON.parse(text) : {});
            if (response.statusCode === 200) resolve(parsed);
            else reject(new DynamoDbError(response.statusCode ?? 500, parsed));
          }, reject);
        },
      );
      inner.on('error', reject);
      inner.end(payload);
    });
  };
}

function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
  });
}

function parseInput(body: string): Json {
  try {
    const input: unknown = JSON.parse(body);
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input as Json;
  } catch {
    // Answered below, as dynalite answers a body it cannot parse.
  }
  throw new DynamoDbError(400, { __type: ERROR_TYPES.serialization });
}

/** dynalite's own first check, which the loopback calls would otherwise make too late. */
function requireAuthentication(req: IncomingMessage): void {
  const query = new URL(req.url ?? '/', 'http://emulator').searchParams;
  if (req.headers.authorization?.trim().startsWith('AWS4-') || query.has('X-Amz-Algorithm')) {
    return;
  }
  throw new DynamoDbError(400, {
    __type: ERROR_TYPES.missingToken,
    message: 'Request is missing Authentication Token',
  });
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  res.statusCode = status;
  res.setHeader(
    'Content-Type',
    contentType === 'application/x-amz-json-1.0' ? contentType : 'application/json',
  );
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('x-amzn-RequestId', randomUUID());
  res.end(text);
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function pick<T extends object>(source: T, keys: readonly string[]): Json {
  const entries = Object.entries(source).filter(
    ([name, value]) => keys.includes(name) && value !== undefined,
  );
  return Object.fromEntries(entries);
}
