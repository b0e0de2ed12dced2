import type { BucketEventSubscription, FunctionName } from '@tap/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { ObjectCreatedNotice } from '../emulators/s3-object-writes';
import type { InvokeOutcome } from './execution-environment';

/**
 * Lambda's retry policy for asynchronous invocations, locally shortened: two retries after
 * a failed attempt (AWS waits about a minute, then two; here 200 and 400 ms), then the event
 * is dropped.
 */
export const ASYNC_RETRY_DELAYS_MS: readonly number[] = [200, 400];

/** A function and the bucket events it is invoked for. */
export interface BucketSubscriber {
  readonly name: FunctionName;
  /** Its physical name, which names the notification's configuration. */
  readonly physicalName: string;
  readonly subscription: BucketEventSubscription;
}

/** One record of an S3 event notification, as Lambda receives it. */
export interface S3EventRecord {
  readonly eventVersion: string;
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: {
    readonly 'x-amz-request-id': string;
    readonly 'x-amz-id-2': string;
  };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      readonly key: string;
      readonly size: number;
      readonly eTag: string;
      readonly sequencer: string;
    };
  };
}

/** An S3 event notification: always one record per event. */
export interface S3Event {
  readonly Records: readonly [S3EventRecord];
}

/** Options of {@link BucketNotifications}. */
export interface BucketNotificationsOptions {
  readonly subscribers: readonly BucketSubscriber[];
  /** Invokes a function; an `error` or `timeout` outcome is a failed attempt. */
  readonly invoke: (name: FunctionName, event: unknown) => Promise<InvokeOutcome>;
  readonly region: string;
  /** Delays before each retry; default {@link ASYNC_RETRY_DELAYS_MS}. */
  readonly retryDelaysMs?: readonly number[];
  /** Retries and dropped events; undefined keeps it silent. */
  readonly log?: (line: string) => void;
}

/**
 * An object key as S3 writes it into an event: URL-encoded as an HTML form encodes it
 * (space as `+`), slashes kept. A function decodes it with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function eventObjectKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Whether a subscription covers an event: `s3:ObjectCreated:*` covers every
 * `ObjectCreated:` event, `s3:ObjectCreated:Put` only that one; the key must start with
 * the prefix.
 */
export function subscriptionMatches(
  subscription: BucketEventSubscription,
  eventName: string,
  key: string,
): boolean {
  if (!key.startsWith(subscription.prefix)) return false;
  return subscription.events.some((pattern) => {
    const name = pattern.replace(/^s3:/, '');
    return name.endsWith(':*') ? eventName.startsWith(name.slice(0, -1)) : eventName === name;
  });
}

const upperHex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

/** Owner and requester ids: stable for the local account, shaped as S3's. */
const LOCAL_PRINCIPAL = 'A1LOCALCLOUDOWNER';

/**
 * Delivers the bucket's `ObjectCreated` events to the functions subscribed to them, as S3
 * and Lambda do: asynchronously (the write's answer never waits), each function on its own,
 * with Lambda's retries ({@link ASYNC_RETRY_DELAYS_MS}), and dropped, with a log line,
 * after the last failed retry.
 */
export class BucketNotifications {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly retryDelaysMs: readonly number[];
  private lastSequencer = 0n;
  private stopped = false;

  constructor(private readonly options: BucketNotificationsOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? ASYNC_RETRY_DELAYS_MS;
  }

  /** Sends the event of a stored object to every subscribed function, in the background. */
  notify(notice: ObjectCreatedNotice): void {
    if (this.stopped) return;
    const eventName = `ObjectCreated:${notice.kind}`;
    const sequencer = this.nextSequencer(notice.time);
    for (const subscriber of this.options.subscribers) {
      if (!subscriptionMatches(subscriber.subscription, eventName, notice.key)) continue;
      const event = this.eventOf(notice, eventName, sequencer, subscriber);
      this.track(this.deliver(subscriber.name, event));
    }
  }

  /** Resolves once no event is being delivered or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Delivers nothing more: pending retries are dropped; resolves once attempts underway end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const sleeper of this.sleeping) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    await this.idle();
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(name: FunctionName, event: S3Event): Promise<void> {
    const { key } = event.Records[0].s3.object;
    const target = `s3://${event.Records[0].s3.bucket.name}/${key}`;
    // After the current turn: the write is answered before the function runs.
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 0; !this.stopped; attempt += 1) {
      const outcome = await this.options.invoke(name, event);
      if (outcome.status === 'ok') return;
      const reason =
        outcome.status === 'timeout'
          ? `timed out after ${outcome.timeoutMs} ms`
          : `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined || this.stopped) {
        this.options.log?.(
          `[local-cloud] ${name}: dropped ${event.Records[0].eventName} of ${target} after ${attempt + 1} attempts (${reason})`,
        );
        return;
      }
      this.options.log?.(
        `[local-cloud] ${name}: ${event.Records[0].eventName} of ${target} failed (${reason}); retry ${attempt + 1} in ${delay} ms`,
      );
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        wake: () => {
          this.sleeping.delete(sleeper);
          resolve();
        },
        timer: setTimeout(() => sleeper.wake(), ms),
      };
      this.sleeping.add(sleeper);
    });
  }

  /**
   * S3's sequencer: hexadecimal, growing with each event (here across keys too), so a
   * function can order the events of one key.
   */
  private nextSequencer(time: Date): string {
    const candidate = BigInt(time.getTime()) << 16n;
    this.lastSequencer = candidate > this.lastSequencer ? candidate : this.lastSequencer + 1n;
    return this.lastSequencer.toString(16).toUpperCase().padStart(18, '0');
  }

  private eventOf(
    notice: ObjectCreatedNotice,
    eventName: string,
    sequencer: string,
    subscriber: BucketSubscriber,
  ): S3Event {
    const requestId = upperHex(8);
    return {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: this.options.region,
          eventTime: notice.time.toISOString(),
          eventName,
          userIdentity: { principalId: `AWS:${LOCAL_PRINCIPAL}` },
          requestParameters: { sourceIPAddress: notice.sourceIp },
          responseElements: {
            'x-amz-request-id': requestId,
            'x-amz-id-2': createHash('sha256').update(requestId).digest('base64'),
          },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: `${subscriber.physicalName}-${subscriber.subscription.events.join(',')}`,
            bucket: {
              name: notice.bucket,
              ownerIdentity: { principalId: LOCAL_PRINCIPAL },
              arn: `arn:aws:s3:::${notice.bucket}`,
            },
            object: {
              key: eventObjectKey(notice.key),
              size: notice.size,
              eTag: notice.eTag,
              sequencer,
            },
          },
        },
      ],
    };
  }
}
