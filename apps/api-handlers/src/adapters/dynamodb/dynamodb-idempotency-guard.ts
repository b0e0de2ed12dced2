/**
 * {@link IdempotencyGuard} on Powertools Idempotency with a DynamoDB table
 * (`IDEMPOTENCY_TABLE_SCHEMA`: partition key `id`, TTL attribute `expiration`).
 *
 * Powertools does the protocol: one conditional PutItem of an `INPROGRESS` record (it fails
 * while a live record holds the key; an expired one is overwritten), the stored answer of a
 * completed record, the payload check, the deletion of the record when the request fails.
 * What this adds, in {@link TransactionalPersistenceLayer}:
 *
 * - **Completion in the route's own transaction.** Powertools saves the answer with a second
 *   UpdateItem after the function returns. A route that writes with `TransactWriteItems`
 *   takes the completion as one more action of it (`completion.alongside(response)`), so the
 *   item and the answer that reports it commit together, and the keyed request costs one
 *   round trip more than a plain one (the in-progress PutItem), not two. Powertools'
 *   saveSuccess is skipped for it; a route that does not commit alongside falls back to it.
 * - **Never forget a completed answer.** Powertools deletes the record when the function
 *   throws. That delete is conditional here on the record being still in progress: when the
 *   transaction committed but its answer was lost (a timeout), the record is `COMPLETED`
 *   and must survive, or a retry would write the item twice. When another request took the
 *   key over (ours outlived its in-progress expiry), its record is left alone.
 *
 * Record ids are `tap-api#<sha256 of caller, route and key>`; the payload hash is a sha256
 * of the route, the path parameters, the declared headers (`If-Match`) and the body.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  IdempotencyConfig,
  IdempotencyRecordStatus,
  makeIdempotent,
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { IDEMPOTENCY_TABLE_SCHEMA } from '@tap/contracts';
import type { CommitAlongside, TransactionEntry } from '../../core/commit-alongside';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '../../core/errors';
import type {
  GuardedResponse,
  IdempotencyGuard,
  IdempotentRequest,
  StoredResponse,
} from '../../core/idempotency';
import { translateDependencyFailures } from '../aws/dependency-failure';

/** Prefix of every record id: the records of this API, whatever the function's name. */
export const IDEMPOTENCY_KEY_PREFIX = 'tap-api';

const KEY_ATTR = IDEMPOTENCY_TABLE_SCHEMA.partitionKey.name;
const EXPIRY_ATTR = IDEMPOTENCY_TABLE_SCHEMA.timeToLiveAttribute;
const { statusAttr: STATUS_ATTR, dataAttr: DATA_ATTR } = PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;
const { inProgressExpiryAttr: IN_PROGRESS_EXPIRY_ATTR } = PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;
const { validationKeyAttr: VALIDATION_ATTR } = PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;

/** Powertools' type of the data it hashes (JSON). */
type JSONValue = Parameters<DynamoDBPersistenceLayer['saveSuccess']>[0];

/**
 * What Powertools hashes: `id` into the record id (eventKeyJmesPath), `request` into the
 * payload hash (payloadValidationJmesPath).
 */
interface GuardedData {
  readonly id: {
    readonly caller: IdempotentRequest['caller'];
    readonly route: string;
    readonly key: string;
  };
  readonly request: { readonly route: string; readonly payload: unknown };
}

/** One request's progress, looked up by its data object (the same one Powertools passes on). */
interface Attempt {
  readonly serve: GuardServe;
  /** The route's transaction committed the completion: saveSuccess has nothing to do. */
  committed: boolean;
  /** The completion found the record no longer ours: leave it alone. */
  lost: boolean;
  /** `serve` ran (a replay does not). */
  served: boolean;
}

type GuardServe = Parameters<IdempotencyGuard['run']>[1];

/** Options of {@link TransactionalPersistenceLayer}. */
export interface TransactionalPersistenceOptions {
  /** The item store's client: the completion commits in its transactions. */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Powertools' DynamoDB persistence layer, able to hand its completion to a route's
 * transaction instead of writing it itself.
 */
export class TransactionalPersistenceLayer extends DynamoDBPersistenceLayer {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #attempts = new WeakMap<object, Attempt>();
  /** The in-progress records this container put and has not finished, by record id. */
  readonly #inProgress = new Map<string, IdempotencyRecord>();

  constructor(options: TransactionalPersistenceOptions) {
    super({
      tableName: options.tableName,
      // The document client is the plain client with marshalling on its own commands:
      // Powertools' native commands go through it unchanged, on the same connections.
      awsSdkV3Client: options.client as unknown as DynamoDBClient,
      keyAttr: KEY_ATTR,
    });
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /** Starts tracking one request; `data` is what the guard hands Powertools. */
  track(data: GuardedData, serve: GuardServe): Attempt {
    const attempt: Attempt = { serve, committed: false, lost: false, served: false };
    this.#attempts.set(data, attempt);
    return attempt;
  }

  /** The request `data` belongs to. */
  attemptOf(data: unknown): Attempt {
    const attempt = typeof data === 'object' && data !== null && this.#attempts.get(data);
    if (!attempt) throw new Error('An idempotent request was not tracked');
    return attempt;
  }

  /**
   * The completion of `data`'s request as one `TransactWriteItems` action: the record,
   * `COMPLETED` with `response`, on condition that it is still this request's in-progress
   * record (same status, same in-progress expiry, same payload).
   */
  completionEntry(data: GuardedData, response: StoredResponse): TransactionEntry {
    const id = this.getHashedIdempotencyKey(data as unknown as JSONValue);
    const inProgress = this.#inProgress.get(id);
    if (!inProgress) throw new Error('No in-progress record to complete');
    const mine = inProgress.inProgressExpiryTimestamp;
    return {
      Put: {
        TableName: this.#tableName,
        Item: {
          [KEY_ATTR]: id,
          [STATUS_ATTR]: IdempotencyRecordStatus.COMPLETED,
          [EXPIRY_ATTR]: Math.round(Date.now() / 1000 + this.expiresAfterSeconds),
          [DATA_ATTR]: { ...response },
          ...(inProgress.payloadHash === undefined
            ? {}
            : { [VALIDATION_ATTR]: inProgress.payloadHash }),
        },
        ConditionExpression:
          mine === undefined
            ? '#status = :inprogress AND attribute_not_exists(#in_progress_expiry)'
            : '#status = :inprogress AND #in_progress_expiry = :mine',
        ExpressionAttributeNames: {
          '#status': STATUS_ATTR,
          '#in_progress_expiry': IN_PROGRESS_EXPIRY_ATTR,
        },
        ExpressionAttributeValues: {
          ':inprogress': IdempotencyRecordStatus.INPROGRESS,
          ...(mine === undefined ? {} : { ':mine': mine }),
        },
      },
    };
  }

  /** Told by the route's store that the completion committed. */
  committed(data: GuardedData): void {
    this.attemptOf(data).committed = true;
    this.#inProgress.delete(this.getHashedIdempotencyKey(data as unknown as JSONValue));
  }

  /** Told by the route's store that the completion's condition failed. */
  lost(data: GuardedData): void {
    this.attemptOf(data).lost = true;
    this.#inProgress.delete(this.getHashedIdempotencyKey(data as unknown as JSONValue));
  }

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    await super._putRecord(record);
    this.#inProgress.set(record.idempotencyKey, record);
  }

  override async saveSuccess(data: JSONValue, result: JSONValue): Promise<void> {
    const attempt = this.attemptOf(data);
    if (attempt.committed) return;
    this.#inProgress.delete(this.getHashedIdempotencyKey(data));
    await super.saveSuccess(data, result);
  }

  override async deleteRecord(data: JSONValue): Promise<void> {
    this.#inProgress.delete(this.getHashedIdempotencyKey(data));
    if (this.attemptOf(data).lost) return;
    await super.deleteRecord(data);
  }

  /** Deletes the record only while it is in progress: a completed answer is never forgotten. */
  protected override async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: { [KEY_ATTR]: record.idempotencyKey },
          ConditionExpression: '#status = :inprogress',
          ExpressionAttributeNames: { '#status': STATUS_ATTR },
          ExpressionAttributeValues: { ':inprogress': IdempotencyRecordStatus.INPROGRESS },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
        throw error;
      }
    }
  }
}

/** Options of {@link createDynamoDbIdempotencyGuard}. */
export interface DynamoDbIdempotencyGuardOptions {
  /** The item store's client: the completion commits in its transactions. */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a completed answer is kept (`IDEMPOTENCY_EXPIRY_SECONDS`). */
  readonly expiresAfterSeconds: number;
  /**
   * How long an in-progress record blocks its key before another request may take it over:
   * the function's timeout, past which the request that wrote it cannot be running.
   */
  readonly inProgressTimeoutMs: number;
}

/** Powertools' errors, in the domain's terms; anything else passes through. */
function toDomainError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'IdempotencyValidationError') {
    return new IdempotencyKeyReusedError({ cause: error });
  }
  // Inconsistent state: the record expired while it was being read, more often than
  // Powertools retries; the caller repeats the request shortly.
  if (
    error.name === 'IdempotencyAlreadyInProgressError' ||
    error.name === 'IdempotencyInconsistentStateError'
  ) {
    return new IdempotencyKeyInUseError({ cause: error });
  }
  return error;
}

/**
 * The guard on DynamoDB. Transient DynamoDB failures (also those Powertools wraps in
 * `IdempotencyPersistenceLayerError`) reach the core as `DependencyUnavailableError`.
 */
export function createDynamoDbIdempotencyGuard(
  options: DynamoDbIdempotencyGuardOptions,
): IdempotencyGuard {
  const persistence = new TransactionalPersistenceLayer(options);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: options.expiresAfterSeconds,
    hashFunction: 'sha256',
  });
  // Passed where Powertools expects the Lambda context: all it reads is the remaining time,
  // which sets the in-progress record's expiry.
  const timing = { getRemainingTimeInMillis: () => options.inProgressTimeoutMs };

  const guarded = makeIdempotent(
    async (data: GuardedData, _context: typeof timing): Promise<StoredResponse> => {
      const attempt = persistence.attemptOf(data);
      attempt.served = true;
      try {
        return await attempt.serve({
          alongside: (response): CommitAlongside => ({
            entries: [persistence.completionEntry(data, response)],
            committed: () => persistence.committed(data),
          }),
        });
      } catch (error) {
        // The route's transaction found the record no longer ours: told before Powertools
        // deletes the record of the request that holds the key now.
        if (error instanceof IdempotencyKeyInUseError) persistence.lost(data);
        throw error;
      }
    },
    { persistenceStore: persistence, config, keyPrefix: IDEMPOTENCY_KEY_PREFIX },
  );

  return translateDependencyFailures('DynamoDB', {
    async run(request, serve): Promise<GuardedResponse> {
      const data: GuardedData = {
        id: { caller: request.caller, route: request.operationId, key: request.key },
        request: { route: request.operationId, payload: request.payload },
      };
      const attempt = persistence.track(data, serve);
      try {
        const response = await guarded(data, timing);
        return { response, replayed: !attempt.served };
      } catch (error) {
        throw toDomainError(error);
      }
    },
  });
}
