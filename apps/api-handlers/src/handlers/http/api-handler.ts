/**
 * Wires the API from its ports. The composition root (src/functions/api.ts) passes the
 * AWS-backed adapters; tests pass the same adapters on emulators, or fakes where no
 * emulator exists (the cursor key secret).
 */
import { randomUUID } from 'node:crypto';
import { routeTable, type FileQuotas } from '@tap/contracts';
import { createCursorCodecSource } from '../../core/cursor';
import { createFileRoutes } from './file-routes';
import type { FileStore } from '../../core/file-store';
import type { FileRecordStore } from '../../core/file-record-store';
import { newFileId } from '../../core/file-ids';
import type { ApiHandler } from './route-dispatcher';
import { createRouteDispatcher } from './route-dispatcher';
import { createContractValidator } from './contract-validator';
import { createItemRoutes } from './item-routes';
import type { IdempotencyGuard } from '../../core/idempotency';
import type { ItemStore } from '../../core/item-store';
import type { FunctionLogger, InvocationMetrics, Tracing } from '@tap/lambda-runtime';
import type { JsonSecretReader } from '../../core/secret-reader';

/** Everything the API needs from outside. */
export interface ApiDependencies {
  readonly items: ItemStore;
  readonly files: FileStore;
  /** The file records and the items' file counters. */
  readonly records: FileRecordStore;
  /** How much an item may hold. */
  readonly fileQuotas: FileQuotas;
  /** Reads the cursor signing key secret (JSON `{"signingKey": "..."}`). */
  readonly secrets: JsonSecretReader;
  readonly cursorKeySecretId: string;
  readonly maxUploadBytes: number;
  readonly logger: FunctionLogger;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** Serves keyed writes (`Idempotency-Key`); without it, keys are ignored. */
  readonly idempotency?: IdempotencyGuard;
  /** Defaults to the system clock. */
  readonly now?: () => Date;
  /** Defaults to random UUIDs. */
  readonly newId?: () => string;
  /** Defaults to time-ordered UUIDs (version 7). */
  readonly newFileId?: (now: Date) => string;
}

/** Builds the API Lambda handler. */
export function createApiHandler(deps: ApiDependencies): ApiHandler {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const cursorCodec = createCursorCodecSource(deps.secrets, deps.cursorKeySecretId);
  return createRouteDispatcher({
    routeTable,
    validator: createContractValidator(),
    logger: deps.logger,
    metrics: deps.metrics,
    tracing: deps.tracing,
    ...(deps.idempotency ? { idempotency: deps.idempotency } : {}),
    routes: {
      ...createItemRoutes({
        items: deps.items,
        records: deps.records,
        files: deps.files,
        cursorCodec,
        now,
        newId,
      }),
      ...createFileRoutes({
        items: deps.items,
        records: deps.records,
        files: deps.files,
        cursorCodec,
        maxUploadBytes: deps.maxUploadBytes,
        quotas: deps.fileQuotas,
        now,
        newFileId: deps.newFileId ?? newFileId,
      }),
    },
  });
}
