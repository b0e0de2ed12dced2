import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** Alias of the key, `alias/...`. */
  readonly aliasName: string;
  /**
   * Names of the log groups CloudWatch Logs may encrypt with the key. Names rather than
   * log group constructs: the log groups need the key first, so referencing them here
   * would be a dependency cycle.
   */
  readonly logGroupNames: readonly string[];
}

/**
 * The customer-managed KMS key of an environment: it encrypts the table, the bucket, the
 * secrets and the log groups. Rotated yearly; scheduled for deletion with the stack
 * because every environment (developer stacks included) owns its own key.
 */
export class EncryptionKey extends Construct {
  /** The key. */
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      alias: props.aliasName,
      description: `Encrypts the data, files, secrets and logs of ${stack.stackName}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // CloudWatch Logs calls KMS as its regional service principal; the encryption context
    // names the log group, so the service can use the key for these log groups only.
    const logGroupArns = props.logGroupNames.map((name) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsForTapLogGroups',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
      }),
    );
  }
}
