import { Duration, Stack } from 'aws-cdk-lib';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret, RotationSchedule } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of {@link ApiKeyRotation}. */
export interface ApiKeyRotationProps {
  /** The API key secret. */
  readonly secret: ISecret;
  /**
   * The rotation function. Its role must already hold what rotation needs (see
   * `rotationFunctionStatements`) and be immutable: `addRotationSchedule` would otherwise
   * add grants with wildcard actions (`kms:GenerateDataKey*`, `kms:ReEncrypt*`) to it.
   */
  readonly rotationFunction: IFunction;
  /** Days between rotations. */
  readonly rotationDays: number;
}

/** Service principal invoking rotation functions. */
const SECRETS_MANAGER_PRINCIPAL = 'secretsmanager.amazonaws.com';

/**
 * Rotates the API key secret every `rotationDays` through the rotation function, without
 * downtime: the function stages the new key as `AWSPENDING`, then promotes it to
 * `AWSCURRENT` and keeps the previous one as `AWSPREVIOUS`, which the authorizer still
 * accepts, so clients switch keys at their own pace within a rotation period.
 *
 * `addRotationSchedule` also lets Secrets Manager invoke the function and denies the
 * account root `DeleteSecret` on the secret; the invoke permission is narrowed here to
 * this account (confused-deputy protection).
 */
export class ApiKeyRotation extends Construct {
  /** The schedule. */
  public readonly schedule: RotationSchedule;

  public constructor(scope: Construct, id: string, props: ApiKeyRotationProps) {
    super(scope, id);
    this.schedule = props.secret.addRotationSchedule('RotationSchedule', {
      rotationLambda: props.rotationFunction,
      automaticallyAfter: Duration.days(props.rotationDays),
    });

    const invokePermissions = props.rotationFunction.node.children.filter(
      (child): child is CfnPermission =>
        child instanceof CfnPermission && child.principal === SECRETS_MANAGER_PRINCIPAL,
    );
    if (invokePermissions.length !== 1) {
      throw new Error(
        `ApiKeyRotation: expected the one invoke permission addRotationSchedule adds, found ${invokePermissions.length}`,
      );
    }
    for (const permission of invokePermissions) {
      permission.sourceAccount = Stack.of(this).account;
    }
  }
}
