import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmSourceConditions } from './alarm-source';

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Physical topic name. */
  readonly topicName: string;
  /** Customer-managed key encrypting the notifications. */
  readonly encryptionKey: IKey;
  /** Name pattern (`*` allowed) of the CloudWatch alarms that may publish. */
  readonly alarmNamePattern: string;
  /** Addresses subscribed by email (each confirms its subscription once). */
  readonly emails: readonly string[];
}

/**
 * The topic every TAP alarm notifies: encrypted with the customer-managed key (whose policy
 * lets CloudWatch use it for this), TLS-only, publishable by this environment's alarms.
 */
export class AlarmTopic extends Construct {
  /** The topic. */
  public readonly topic: Topic;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `TAP alarms (${props.topicName})`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so CloudWatch is allowed explicitly,
    // for this account's alarms of this environment only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowTapAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: alarmSourceConditions(stack, props.alarmNamePattern),
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    if (props.emails.length > 0) {
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Email subscriptions have nothing to replay from a dead-letter queue: an alarm ' +
          'notification that cannot be delivered is still visible as the alarm state.',
      });
    }
  }
}
