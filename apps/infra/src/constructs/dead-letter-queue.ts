import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** Physical queue name. */
  readonly queueName: string;
  /** Customer-managed key encrypting the messages (they hold object keys and tenants). */
  readonly encryptionKey: IKey;
}

/** How long a failed event waits in the queue: SQS's longest retention, for an operator. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Where Lambda puts an asynchronous event a function failed on after its retries (the
 * function's `DeadLetterConfig`), with the error as message attributes: nothing is lost
 * silently, and an operator can replay an event by invoking the function with it.
 * Encrypted with the environment's key, TLS only, kept 14 days.
 */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  public readonly queue: Queue;

  public constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // SQS caches the data key this long, so sending calls KMS once per period.
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      // Failed events are transient (14 days at most): the queue goes with any stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    Validations.of(this.queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of a function: nothing consumes it ' +
        'automatically, so no receive can fail and there is nothing to redrive further.',
    });
  }
}
