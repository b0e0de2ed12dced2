/**
 * Rotation of the API key secret, as a Secrets Manager rotation function.
 *
 * Secrets Manager runs a rotation by invoking the function four times with the same
 * `ClientRequestToken` (the id of the new version), one `Step` at a time, and retries a
 * step that fails. Before the first step it attaches AWSPENDING to that version id. The
 * steps, after AWS's rotation template:
 *
 * - `createSecret`: unless the AWSPENDING version already holds a value, generate a new
 *   key and put it as that version (`PutSecretValue`, stage AWSPENDING, the token).
 * - `setSecret`: a database password would be set in the database here; the API key lives
 *   only in this secret (the authorizer reads it), so there is nothing to update.
 * - `testSecret`: read the AWSPENDING version back and check the key is well-formed.
 * - `finishSecret`: move AWSCURRENT to the new version. Secrets Manager then labels the
 *   former current version AWSPREVIOUS, which the authorizer still accepts: clients have
 *   until the next rotation to switch.
 *
 * Every step is safe to repeat: a retry finds the work done and does nothing. No key is
 * ever logged.
 */
import { randomInt } from 'node:crypto';
import type {
  DescribeSecretCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ApiKeySecretValue } from '@tap/contracts';
import { wrapInvocation, type InvocationMetrics, type Tracing } from '@tap/lambda-runtime';
import { AWSCURRENT, isSecretVersionMissing } from '../../core/secret-reader';

/** The label of the version being rotated in. */
export const AWSPENDING = 'AWSPENDING';

/** The four steps, in the order Secrets Manager runs them. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** One step of a rotation. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The event Secrets Manager invokes a rotation function with. */
export interface RotationEvent {
  readonly Step: RotationStep;
  /** The secret's ARN (or name). */
  readonly SecretId: string;
  /** The id of the version being rotated in. */
  readonly ClientRequestToken: string;
  /** Present for rotations across accounts; not used here. */
  readonly RotationToken?: string;
}

/** The rotation Lambda handler. */
export type RotationHandler = (event: RotationEvent, context?: Context) => Promise<void>;

/** Length of a generated API key. */
export const API_KEY_LENGTH = 40;

/** What a key generated here looks like (letters and digits: safe in a header and a shell). */
export const API_KEY_PATTERN = /^[A-Za-z0-9]{40}$/;

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new API key: {@link API_KEY_LENGTH} characters drawn uniformly with node:crypto. */
export function generateApiKey(): string {
  let key = '';
  for (let index = 0; index < API_KEY_LENGTH; index += 1) {
    key += ALPHANUMERICS.charAt(randomInt(ALPHANUMERICS.length));
  }
  return key;
}

/** Metric names the rotation function publishes (namespace `TAP`, dimension `service`). */
export const ROTATION_METRICS = {
  /** Per step, with a `step` dimension. */
  step: 'RotationStep',
  stepFailed: 'RotationStepFailed',
  stepLatency: 'RotationStepLatency',
  /** AWSCURRENT moved to a new key (once per rotation, not on retries). */
  keyRotated: 'ApiKeyRotated',
} as const;

/**
 * The secret or the event is not fit for rotation (rotation disabled, a token that is not
 * a pending version, a malformed event). Secrets Manager reports the rotation as failed.
 */
export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/** Dependencies of {@link createKeyRotation}. */
export interface KeyRotationDependencies {
  readonly client: Pick<SecretsManagerClient, 'send'>;
  readonly logger: Pick<Logger, 'info' | 'error' | 'appendKeys' | 'resetKeys' | 'addContext'>;
  readonly metrics: InvocationMetrics;
  readonly tracing: Tracing;
  /** Defaults to {@link generateApiKey}. */
  readonly generateKey?: () => string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the event before anything else; names what is wrong without echoing values. */
function readEvent(event: unknown): RotationEvent {
  if (!isRecord(event)) throw new RotationError('The rotation event is not an object');
  const { Step, SecretId, ClientRequestToken } = event;
  if (typeof Step !== 'string' || !(ROTATION_STEPS as readonly string[]).includes(Step)) {
    throw new RotationError(`Invalid rotation step; expected one of ${ROTATION_STEPS.join(', ')}`);
  }
  for (const [name, value] of [
    ['SecretId', SecretId],
    ['ClientRequestToken', ClientRequestToken],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new RotationError(`The rotation event has no ${name}`);
    }
  }
  return event as unknown as RotationEvent;
}

/** Reads `apiKey` from a secret string; `undefined` when it has none. */
function parseApiKey(secretString: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(secretString ?? '');
    const apiKey = isRecord(parsed)
      ? parsed['apiKey' satisfies keyof ApiKeySecretValue]
      : undefined;
    return typeof apiKey === 'string' ? apiKey : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the rotation handler. */
export function createKeyRotation(deps: KeyRotationDependencies): RotationHandler {
  const { client, logger } = deps;
  const generateKey = deps.generateKey ?? generateApiKey;

  /**
   * The checks of AWS's rotation template: rotation is enabled, the token is a version of
   * the secret, staged AWSPENDING. `done` when the token is already AWSCURRENT: the
   * rotation finished, and a repeated step has nothing left to do.
   */
  const checkStaging = async (
    event: RotationEvent,
  ): Promise<{ done: boolean; metadata: DescribeSecretCommandOutput }> => {
    const metadata = await client.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
    if (metadata.RotationEnabled !== true) {
      throw new RotationError(`Secret ${event.SecretId} is not enabled for rotation`);
    }
    const stages = metadata.VersionIdsToStages?.[event.ClientRequestToken];
    if (!stages) {
      throw new RotationError(
        `Version ${event.ClientRequestToken} of secret ${event.SecretId} has no stage for rotation`,
      );
    }
    if (stages.includes(AWSCURRENT)) return { done: true, metadata };
    if (!stages.includes(AWSPENDING)) {
      throw new RotationError(
        `Version ${event.ClientRequestToken} of secret ${event.SecretId} is not staged AWSPENDING`,
      );
    }
    return { done: false, metadata };
  };

  /**
   * The pending version's value: `undefined` while it has none (Secrets Manager answers
   * `ResourceNotFoundException`), else its `apiKey` (`undefined` when it holds none).
   */
  const readPending = async (
    event: RotationEvent,
  ): Promise<{ readonly apiKey: string | undefined } | undefined> => {
    try {
      const pending = await client.send(
        new GetSecretValueCommand({
          SecretId: event.SecretId,
          VersionId: event.ClientRequestToken,
          VersionStage: AWSPENDING,
        }),
      );
      return { apiKey: parseApiKey(pending.SecretString) };
    } catch (error) {
      if (isSecretVersionMissing(error)) return undefined;
      throw error;
    }
  };

  const createSecret = async (event: RotationEvent): Promise<void> => {
    // The current version must exist; its other fields (if any) carry over.
    const current = await client.send(
      new GetSecretValueCommand({ SecretId: event.SecretId, VersionStage: AWSCURRENT }),
    );
    if ((await readPending(event)) !== undefined) {
      logger.info('createSecret: the pending version already has a value');
      return;
    }
    let others: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(current.SecretString ?? '');
      if (isRecord(parsed)) others = parsed;
    } catch {
      // A current value that is not JSON is replaced by a well-formed one.
    }
    const value: ApiKeySecretValue = { apiKey: generateKey() };
    try {
      await client.send(
        new PutSecretValueCommand({
          SecretId: event.SecretId,
          ClientRequestToken: event.ClientRequestToken,
          SecretString: JSON.stringify({ ...others, ...value }),
          VersionStages: [AWSPENDING],
        }),
      );
    } catch (error) {
      // A concurrent retry of this step put its own key under the token first: keep it.
      if ((error as { name?: unknown }).name === 'ResourceExistsException') {
        if ((await readPending(event)) !== undefined) {
          logger.info('createSecret: a concurrent attempt created the pending version');
          return;
        }
      }
      throw error;
    }
    logger.info('createSecret: put a new key as the pending version');
  };

  const testSecret = async (event: RotationEvent): Promise<void> => {
    const pending = await readPending(event);
    if (pending === undefined) {
      throw new RotationError(`The pending version ${event.ClientRequestToken} has no value`);
    }
    if (pending.apiKey === undefined || !API_KEY_PATTERN.test(pending.apiKey)) {
      throw new RotationError(
        `The pending version ${event.ClientRequestToken} does not hold a well-formed apiKey`,
      );
    }
    logger.info('testSecret: the pending key is well-formed');
  };

  /** Moves AWSCURRENT from the current version to the pending one, then drops AWSPENDING. */
  const finishSecret = async (
    event: RotationEvent,
    metadata: DescribeSecretCommandOutput,
  ): Promise<void> => {
    const currentVersion = Object.entries(metadata.VersionIdsToStages ?? {}).find(([, stages]) =>
      stages.includes(AWSCURRENT),
    )?.[0];
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: event.SecretId,
        VersionStage: AWSCURRENT,
        MoveToVersionId: event.ClientRequestToken,
        ...(currentVersion === undefined ? {} : { RemoveFromVersionId: currentVersion }),
      }),
    );
    await removePending(event);
    logger.info('finishSecret: the new key is current; the former one is now AWSPREVIOUS', {
      previousVersion: currentVersion,
    });
  };

  /** AWSPENDING has served its purpose once the version is current; a retry may find it gone. */
  const removePending = async (event: RotationEvent): Promise<void> => {
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: event.SecretId,
        VersionStage: AWSPENDING,
        RemoveFromVersionId: event.ClientRequestToken,
      }),
    );
  };

  /** Runs one step; resolves `true` when it moved AWSCURRENT (a rotation completed). */
  const runStep = async (event: RotationEvent): Promise<boolean> => {
    const { done, metadata } = await checkStaging(event);
    if (done) {
      logger.info(`${event.Step}: the version is already AWSCURRENT; nothing to do`);
      const stages = metadata.VersionIdsToStages?.[event.ClientRequestToken] ?? [];
      // A finishSecret retried between its two label updates completes the second.
      if (event.Step === 'finishSecret' && stages.includes(AWSPENDING)) await removePending(event);
      return false;
    }
    switch (event.Step) {
      case 'createSecret':
        await createSecret(event);
        return false;
      case 'setSecret':
        logger.info('setSecret: nothing to update; the key lives only in this secret');
        return false;
      case 'testSecret':
        await testSecret(event);
        return false;
      case 'finishSecret':
        await finishSecret(event, metadata);
        return true;
    }
  };

  // The keys name the step, known once the event is read; the wrapper clears them.
  return wrapInvocation(
    { logger, metrics: deps.metrics, tracing: deps.tracing },
    async (rawEvent: unknown, trace) => {
      const started = Date.now();
      let step = 'invalid';
      let failed = true;
      let rotated = false;
      try {
        const event = readEvent(rawEvent);
        step = event.Step;
        trace.annotate('step', step);
        logger.appendKeys({
          step,
          secretId: event.SecretId,
          clientRequestToken: event.ClientRequestToken,
        });
        rotated = await runStep(event);
        failed = false;
      } catch (error) {
        // Secrets Manager retries the step; the error names the problem, never a key.
        logger.error(`${step}: the rotation step failed`, { error });
        throw error;
      } finally {
        deps.metrics.publish({ step }, [
          { name: ROTATION_METRICS.step, unit: 'Count', value: 1 },
          { name: ROTATION_METRICS.stepFailed, unit: 'Count', value: failed ? 1 : 0 },
          { name: ROTATION_METRICS.stepLatency, unit: 'Milliseconds', value: Date.now() - started },
        ]);
        if (rotated) {
          deps.metrics.publish({}, [
            { name: ROTATION_METRICS.keyRotated, unit: 'Count', value: 1 },
          ]);
        }
      }
    },
  );
}
