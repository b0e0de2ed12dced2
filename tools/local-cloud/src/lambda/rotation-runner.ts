import type { FunctionName } from '@tap/contracts';
import { SecretsManagerError, type RotationRunner } from '../emulators/secret-store';
import type { InvokeOutcome } from './execution-environment';

/** The steps of a rotation, in the order Secrets Manager invokes them. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** A rotation step failed (or timed out); the rotation stopped there. */
export class RotationFailedError extends SecretsManagerError {
  constructor(
    readonly step: (typeof ROTATION_STEPS)[number],
    readonly reason: string,
  ) {
    // A 400, not a 500: an SDK calling RotateSecret must not retry (and rotate again).
    super('InvalidRequestException', `The rotation function failed at ${step}: ${reason}`);
  }
}

/** Options of {@link lambdaRotationRunner}. */
export interface LambdaRotationRunnerOptions {
  /** The local functions by ARN: a secret's `RotationLambdaARN` must name one of them. */
  readonly functionsByArn: ReadonlyMap<string, FunctionName>;
  readonly invoke: (name: FunctionName, event: unknown) => Promise<InvokeOutcome>;
}

function failure(outcome: InvokeOutcome): string | undefined {
  switch (outcome.status) {
    case 'ok':
      return undefined;
    case 'timeout':
      return `timed out after ${outcome.timeoutMs} ms`;
    case 'error':
      return `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
  }
}

/**
 * Runs rotations as Secrets Manager does: the secret's rotation function is invoked once
 * per step with `{ Step, SecretId: <secret ARN>, ClientRequestToken: <token> }`. Unlike
 * Secrets Manager it does not retry a failed step: it stops and says which step failed.
 */
export function lambdaRotationRunner(options: LambdaRotationRunnerOptions): RotationRunner {
  return async ({ secretArn, lambdaArn }, token) => {
    const name = options.functionsByArn.get(lambdaArn);
    if (name === undefined) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        `The rotation function ${lambdaArn} does not exist in the local cloud.`,
      );
    }
    for (const step of ROTATION_STEPS) {
      const outcome = await options.invoke(name, {
        Step: step,
        SecretId: secretArn,
        ClientRequestToken: token,
      });
      const reason = failure(outcome);
      if (reason !== undefined) throw new RotationFailedError(step, reason);
    }
  };
}
