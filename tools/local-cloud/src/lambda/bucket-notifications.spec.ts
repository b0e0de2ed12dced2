import type { FunctionName } from '@tap/contracts';
import type { ObjectCreatedNotice } from '../emulators/s3-object-writes';
import {
  BucketNotifications,
  eventObjectKey,
  subscriptionMatches,
  type S3Event,
} from './bucket-notifications';
import type { InvokeOutcome } from './execution-environment';

const notice = (key: string, kind: ObjectCreatedNotice['kind'] = 'Put'): ObjectCreatedNotice => ({
  kind,
  bucket: 'tap-files-dev-000000000000-us-west-2',
  key,
  size: 5,
  eTag: '5d41402abc4b2a76b9719d911017c592',
  sourceIp: '127.0.0.1',
  time: new Date('2026-01-02T03:04:05.678Z'),
});

const FAILED: InvokeOutcome = {
  status: 'error',
  error: { errorType: 'Error', errorMessage: 'boom' },
};

/** A fake invoker recording each call and answering with `outcomes` in turn (then ok). */
function recordingInvoker(outcomes: InvokeOutcome[] = []) {
  const calls: { name: FunctionName; event: S3Event; at: number }[] = [];
  const invoke = async (name: FunctionName, event: unknown): Promise<InvokeOutcome> => {
    calls.push({ name, event: event as S3Event, at: performance.now() });
    return outcomes.shift() ?? { status: 'ok', payload: null };
  };
  return { calls, invoke };
}

const files = {
  name: 'files' as const,
  physicalName: 'tap-file-events-function-dev',
  subscription: { events: ['s3:ObjectCreated:*'], prefix: 'tenants/' },
};

describe('eventObjectKey', () => {
  it('URL-encodes a key as S3 events carry it: spaces as +, slashes kept', () => {
    expect(eventObjectKey('tenants/t 1/items/a+b/café (1).txt')).toBe(
      'tenants/t+1/items/a%2Bb/caf%C3%A9+%281%29.txt',
    );
    const key = 'tenants/x/ü & y=z*.bin';
    expect(decodeURIComponent(eventObjectKey(key).replace(/\+/g, ' '))).toBe(key);
  });
});

describe('subscriptionMatches', () => {
  it('matches the events a wildcard or an exact name covers, under the prefix only', () => {
    const { subscription } = files;
    expect(subscriptionMatches(subscription, 'ObjectCreated:Put', 'tenants/a')).toBe(true);
    expect(subscriptionMatches(subscription, 'ObjectCreated:Copy', 'tenants/a')).toBe(true);
    expect(subscriptionMatches(subscription, 'ObjectCreated:Put', 'other/tenants/a')).toBe(false);
    expect(subscriptionMatches(subscription, 'ObjectRemoved:Delete', 'tenants/a')).toBe(false);
    const exact = { events: ['s3:ObjectCreated:Put'], prefix: '' };
    expect(subscriptionMatches(exact, 'ObjectCreated:Put', 'a')).toBe(true);
    expect(subscriptionMatches(exact, 'ObjectCreated:Copy', 'a')).toBe(false);
  });
});

describe('BucketNotifications', () => {
  it("invokes the subscribed function with an S3 event shaped as AWS's", async () => {
    const { calls, invoke } = recordingInvoker();
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
    });

    notifications.notify(notice('tenants/t/items/i/my file.txt'));
    await notifications.idle();

    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe('files');
    expect(calls[0]?.event).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-west-2',
          eventTime: '2026-01-02T03:04:05.678Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: expect.stringMatching(/^AWS:[A-Z0-9]+$/) },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: {
            'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/),
            'x-amz-id-2': expect.any(String),
          },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: expect.any(String),
            bucket: {
              name: 'tap-files-dev-000000000000-us-west-2',
              ownerIdentity: { principalId: expect.any(String) },
              arn: 'arn:aws:s3:::tap-files-dev-000000000000-us-west-2',
            },
            object: {
              key: 'tenants/t/items/i/my+file.txt',
              size: 5,
              eTag: '5d41402abc4b2a76b9719d911017c592',
              sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
            },
          },
        },
      ],
    });
  });

  it('does not invoke anything for a key outside the prefix', async () => {
    const { calls, invoke } = recordingInvoker();
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
    });

    notifications.notify(notice('received/x.json'));
    await notifications.idle();

    expect(calls).toHaveLength(0);
  });

  it('gives each event a greater sequencer than the one before', async () => {
    const { calls, invoke } = recordingInvoker();
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
    });

    notifications.notify(notice('tenants/a'));
    notifications.notify(notice('tenants/a', 'Copy'));
    await notifications.idle();

    const [first, second] = calls.map((call) => call.event.Records[0].s3.object.sequencer);
    expect(second && first && second > first).toBe(true);
    expect(calls[1]?.event.Records[0].eventName).toBe('ObjectCreated:Copy');
  });

  it('does not make the write wait: the function runs after the notice returns', () => {
    const { calls, invoke } = recordingInvoker();
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
    });

    notifications.notify(notice('tenants/a'));

    expect(calls).toHaveLength(0);
    return notifications.idle();
  });

  it('retries a failed delivery twice, after the delays, then drops it with a log line', async () => {
    const { calls, invoke } = recordingInvoker([
      FAILED,
      { status: 'timeout', timeoutMs: 30 },
      FAILED,
    ]);
    const lines: string[] = [];
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
      retryDelaysMs: [40, 80],
      log: (line) => lines.push(line),
    });

    notifications.notify(notice('tenants/t/items/i/f'));
    await notifications.idle();

    expect(calls).toHaveLength(3);
    const [first, second, third] = calls.map((call) => call.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(35);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(75);
    // Every attempt carries the same event.
    expect(new Set(calls.map((call) => JSON.stringify(call.event))).size).toBe(1);
    expect(lines).toEqual([
      expect.stringContaining('retry 1 in 40 ms'),
      expect.stringContaining('timed out after 30 ms'),
      expect.stringMatching(
        /files: dropped ObjectCreated:Put of s3:\/\/.+\/tenants\/t\/items\/i\/f after 3 attempts \(Error: boom\)/,
      ),
    ]);
  });

  it('stops retrying once a retry succeeds', async () => {
    const { calls, invoke } = recordingInvoker([FAILED]);
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
      retryDelaysMs: [10, 10],
    });

    notifications.notify(notice('tenants/a'));
    await notifications.idle();

    expect(calls).toHaveLength(2);
  });

  it('drops pending retries when stopped, and delivers nothing afterwards', async () => {
    const { calls, invoke } = recordingInvoker([FAILED, FAILED, FAILED]);
    const notifications = new BucketNotifications({
      subscribers: [files],
      invoke,
      region: 'us-west-2',
      retryDelaysMs: [60_000, 60_000],
    });
    notifications.notify(notice('tenants/a'));
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const started = performance.now();
    await notifications.stop();
    notifications.notify(notice('tenants/b'));
    await notifications.idle();

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(1);
  });
});
