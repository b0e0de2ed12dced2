/**
 * The API wired exactly as the composition root wires it (same client factories, same
 * adapters), on emulators started for the test, with a counting fake for the one
 * dependency that has no emulator here: the cursor signing key secret.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@tap/contracts';
import { startEmulators, useEmulatorEnvironment, type Emulators } from '@tap/test-support';
import { createApiHandler } from '../../src/handlers/http/api-handler';
import { createDocumentClient } from '../../src/adapters/aws/dynamodb-client';
import { createS3Client } from '../../src/adapters/aws/s3-client';
import { createS3FileStore } from '../../src/adapters/s3/s3-file-store';
import type { ApiHandler } from '../../src/handlers/http/route-dispatcher';
import { createDynamoDbItemStore } from '../../src/adapters/dynamodb/dynamodb-item-store';
import { NO_TRACING } from '@tap/lambda-runtime';
import type { TestRequest, TestResponse } from './api-events';
import { apiEvent, readResult } from './api-events';
import type { FakeSecretReader } from './fake-secrets';
import { fakeSecretReader } from './fake-secrets';
import type { RecordingMetrics } from './recording-metrics';
import { recordingMetrics } from './recording-metrics';

/** Secret id the harness configures for the cursor key. */
export const CURSOR_SECRET_ID = 'tap-test-cursor-key';

/** A running API on emulators. */
export interface ApiHarness {
  readonly handler: ApiHandler;
  readonly secrets: FakeSecretReader;
  /** Every metrics batch the handler published. */
  readonly metrics: RecordingMetrics;
  readonly s3: S3Client;
  readonly emulators: Emulators;
  /** Sends one request through the handler. */
  call<Body = Record<string, unknown>>(
    routeKey: string,
    request?: TestRequest,
  ): Promise<TestResponse<Body>>;
  stop(): Promise<void>;
}

/** Options of {@link startApiHarness}. */
export interface ApiHarnessOptions {
  readonly maxUploadBytes?: number;
}

/** Starts emulators and builds the API on them. */
export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const emulators = await startEmulators();
  useEmulatorEnvironment(emulators);
  const documentClient = createDocumentClient();
  const s3 = createS3Client({ forcePathStyle: true });
  const secrets = fakeSecretReader({
    [CURSOR_SECRET_ID]: { signingKey: 'test-signing-key-0123456789abcdef' },
  });
  const metrics = recordingMetrics();
  const handler = createApiHandler({
    items: createDynamoDbItemStore({ client: documentClient, tableName: emulators.tableName }),
    files: createS3FileStore({ client: s3, bucketName: emulators.bucketName }),
    secrets,
    cursorKeySecretId: CURSOR_SECRET_ID,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    tracing: NO_TRACING,
  });
  return {
    handler,
    secrets,
    metrics,
    s3,
    emulators,
    async call<Body = Record<string, unknown>>(routeKey: string, request?: TestRequest) {
      return readResult<Body>(await handler(apiEvent(routeKey, request)));
    },
    async stop() {
      documentClient.destroy();
      s3.destroy();
      await emulators.stop();
    },
  };
}
