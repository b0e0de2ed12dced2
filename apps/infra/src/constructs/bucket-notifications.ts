import { Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketEventSubscription } from '@tap/contracts';

/** One function the bucket invokes, and for which events. */
export interface BucketNotificationTarget {
  readonly function: IFunction;
  readonly subscription: BucketEventSubscription;
}

/** Props of {@link BucketNotifications}. */
export interface BucketNotificationsProps {
  /** The bucket whose events invoke the functions. */
  readonly bucket: Bucket;
  /**
   * The bucket's ARN built from its name (`arn:<partition>:s3:::<name>`), not a reference
   * to the bucket: the bucket depends on the invoke permissions, so they cannot depend on
   * it.
   */
  readonly bucketArn: string;
  readonly targets: readonly BucketNotificationTarget[];
}

/**
 * The bucket's event notifications to Lambda, as CloudFormation's own
 * `NotificationConfiguration` of the bucket, with a permission for S3 to invoke each
 * function from this bucket of this account only.
 *
 * Not the CDK's `addEventNotification`: it writes the configuration through a custom
 * resource whose function holds `s3:PutBucketNotification` on `*` and a managed policy.
 * CloudFormation applies this configuration itself, once the permissions exist (S3 checks
 * them when the configuration is written), so the bucket depends on them; hence nothing the
 * functions hold may refer to the bucket (their roles and variables name it instead).
 */
export class BucketNotifications extends Construct {
  /** S3's permission to invoke each target, in the order of the targets. */
  public readonly permissions: readonly CfnPermission[];

  public constructor(scope: Construct, id: string, props: BucketNotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cfnBucket = props.bucket.node.defaultChild as CfnBucket;

    this.permissions = props.targets.map(
      (target, index) =>
        new CfnPermission(this, `InvokePermission${index}`, {
          action: 'lambda:InvokeFunction',
          functionName: target.function.functionArn,
          principal: new ServicePrincipal('s3.amazonaws.com').service,
          // Both: the ARN of an S3 bucket carries no account, so a bucket of that name in
          // another account must not be able to invoke the function (confused deputy).
          sourceArn: props.bucketArn,
          sourceAccount: stack.account,
        }),
    );

    cfnBucket.notificationConfiguration = {
      lambdaConfigurations: props.targets.flatMap((target) =>
        target.subscription.events.map((event) => ({
          event,
          function: target.function.functionArn,
          filter: {
            s3Key: { rules: [{ name: 'prefix', value: target.subscription.prefix }] },
          },
        })),
      ),
    };
    for (const permission of this.permissions) cfnBucket.addResourceDependency(permission);
  }
}
