/**
 * The files function: S3 tells it of every object created under the files prefix, and it
 * checks each against its grant. An object nobody granted (no record: the file or the
 * item was deleted, the grant was never made) or of an item being deleted is deleted; one
 * whose size or type is not the granted one is deleted with its record, releasing its share
 * of the item's caps; the rest are confirmed.
 *
 * Every step is safe to repeat. S3 invokes the function asynchronously and Lambda retries a
 * failed invocation twice, so a transient failure is thrown (after every record of the
 * event had its turn) and the whole event comes again.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import {
  wrapInvocation,
  type FunctionLogger,
  type InvocationMetrics,
  type LambdaHandler,
  type MetricSample,
  type Tracing,
} from '@tap/lambda-runtime';
import type { FileRecordStore } from '../../core/file-record-store';
import type { FileStore } from '../../core/file-store';
import { parseObjectKey } from '../../core/object-keys';

/** The Lambda handler of the files function. */
export type FileEventsHandler = LambdaHandler<S3Event, void>;

/** Dependencies of {@link createFileEventsHandler}. */
export interface FileEventsDependencies {
  readonly records: Pick<FileRecordStore, 'get' | 'itemState' | 'confirm' | 'remove'>;
  readonly files: Pick<FileStore, 'headObject' | 'deleteObjects'>;
  readonly logger: FunctionLogger;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** Defaults to the system clock. */
  readonly now?: () => Date;
}

/** What became of one object. */
export type UploadOutcome =
  /** Matched its grant: the record is confirmed. */
  | 'confirmed'
  /** Confirmed before (a redelivered event), or gone again before it was looked at. */
  | 'unchanged'
  /** Not the granted size or type: the object and its record are deleted. */
  | 'rejected'
  /** No record, or its item is being deleted: the object is deleted. */
  | 'orphaned';

/** Metric names the files function publishes per event (namespace `TAP`, dimension `service`). */
export const FILE_EVENT_METRICS = {
  confirmed: 'UploadsConfirmed',
  rejected: 'UploadsRejected',
  orphaned: 'OrphanedObjectsDeleted',
  failed: 'UploadChecksFailed',
} as const;

/** Object keys in S3 event notifications are URL-encoded, spaces as `+`. */
export const decodeEventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/** Creates the files function's handler. */
export function createFileEventsHandler(deps: FileEventsDependencies): FileEventsHandler {
  const { records, files, logger, metrics, tracing } = deps;
  const now = deps.now ?? (() => new Date());

  const check = async (key: string): Promise<UploadOutcome> => {
    const orphan = async (): Promise<UploadOutcome> => {
      await files.deleteObjects([key]);
      return 'orphaned';
    };
    const parsed = parseObjectKey(key);
    if (!parsed) return orphan();
    const { tenant, itemId, fileId } = parsed;
    const record = await records.get(tenant, itemId, fileId);
    // No grant, a grant whose file was deleted, or another name under a granted id.
    if (!record || record.objectKey !== key) return orphan();
    // The item's DELETE removes its records; it is not the files function's to confirm them.
    if ((await records.itemState(tenant, itemId)) !== 'active') return orphan();
    if (record.status === 'confirmed') return 'unchanged';
    const object = await files.headObject(key);
    // Deleted since (the file or its item): nothing left to check.
    if (!object) return 'unchanged';
    if (object.size !== record.size || object.contentType !== record.contentType) {
      logger.warn('an upload does not match its grant; deleting it', {
        key,
        granted: { size: record.size, contentType: record.contentType },
        uploaded: object,
      });
      // The record first: should deleting the object fail, the redelivered event finds no
      // record and deletes it then.
      await records.remove(tenant, itemId, fileId);
      await files.deleteObjects([key]);
      return 'rejected';
    }
    const confirmed = await records.confirm(tenant, itemId, fileId, now().toISOString());
    // The file was deleted while we looked: its object goes too.
    if (confirmed === 'missing') return orphan();
    return confirmed === 'confirmed' ? 'confirmed' : 'unchanged';
  };

  const keyOf = (record: S3EventRecord): string | undefined => {
    try {
      return decodeEventKey(record.s3.object.key);
    } catch {
      return undefined;
    }
  };

  return wrapInvocation({ logger, metrics, tracing }, async (event) => {
    const counts = { confirmed: 0, rejected: 0, orphaned: 0, failed: 0 };
    for (const record of event.Records ?? []) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = keyOf(record);
      if (key === undefined) {
        logger.error('an object-created event holds an undecodable key', {
          key: record.s3.object.key,
        });
        continue;
      }
      try {
        const outcome = await check(key);
        if (outcome !== 'unchanged') counts[outcome] += 1;
        logger.debug('upload checked', { key, outcome });
      } catch (error) {
        // The other records still get their turn; the event is redelivered for this one.
        counts.failed += 1;
        logger.error('could not check an upload', { key, error });
      }
    }
    metrics.publish(
      {},
      Object.entries(counts).map(([name, value]): MetricSample => ({
        name: FILE_EVENT_METRICS[name as keyof typeof counts],
        unit: 'Count',
        value,
      })),
    );
    if (counts.failed > 0) {
      throw new Error(`${counts.failed} upload(s) could not be checked; the event is retried`);
    }
  });
}
