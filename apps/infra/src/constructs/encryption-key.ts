import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { alarmSourceConditions } from './alarm-source';

/**
 * Every KMS action that applies to a key, granted to the account root to delegate the key to
 * IAM. This is what the usual `kms:*` statement means, spelled out: the template holds no
 * wildcard action, and an action KMS adds later is not delegated until it is listed here.
 */
export const KEY_POLICY_ACCOUNT_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DeleteImportedKeyMaterial',
  'kms:DeriveSharedSecret',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:GetParametersForImport',
  'kms:GetPublicKey',
  'kms:ImportKeyMaterial',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:ReplicateKey',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:Sign',
  'kms:SynchronizeMultiRegionKey',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
  'kms:Verify',
  'kms:VerifyMac',
];

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
  /**
   * Name pattern (`*` allowed) of the CloudWatch alarms that may publish to the alarm
   * topic encrypted with the key.
   */
  readonly alarmNamePattern: string;
  /** `RETAIN` for protected environments, `DESTROY` (7-day deletion window) otherwise. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed KMS key of an environment: it encrypts the tables, the bucket, the
 * secret, the log groups and the alarm topic. Rotated yearly. Each environment owns its
 * own key; a disposable one schedules it for deletion with the stack.
 *
 * Besides the statement delegating the key to IAM (the account root, every key action listed), only two
 * service principals may use it, each narrowed by a condition: CloudWatch Logs for TAP's
 * log groups, and CloudWatch (alarms) to publish to the encrypted alarm topic.
 */
export class EncryptionKey extends Construct {
  /** The key. */
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      alias: props.aliasName,
      description: `Encrypts the data, files, secrets, logs and alarms of ${stack.stackName}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: props.removalPolicy,
      // Given a policy, the CDK adds no `kms:*` statement of its own; this one delegates
      // the key to IAM (the account's identity policies decide) with the actions listed.
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'DelegateKeyToAccountIam',
            principals: [new AccountRootPrincipal()],
            actions: [...KEY_POLICY_ACCOUNT_ACTIONS],
            // In a key policy `*` is the key itself.
            resources: ['*'],
          }),
        ],
      }),
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
        // In a key policy `*` is the key itself.
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
      }),
    );

    // A CloudWatch alarm publishes to an encrypted SNS topic with the alarm service's own
    // identity, so the service needs the data key; the source conditions keep it to this
    // account's TAP alarms of this environment (confused-deputy protection).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTapAlarmTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: alarmSourceConditions(stack, props.alarmNamePattern),
      }),
    );
  }
}
