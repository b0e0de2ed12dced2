/**
 * Revocation, expiry and rotation of machine keys, measured: a key is polled every 250 ms
 * from the moment it is revoked (expires, is rotated out) until well past the bound the
 * API promises (`REVOCATION_BOUND_SECONDS`), next to keys that must keep working all along:
 * another key of the same tenant and a key of another tenant.
 */
import {
  API_KEY_HEADER,
  MACHINE_KEY_CACHE_SECONDS,
  REVOCATION_BOUND_SECONDS,
  SCOPES,
} from '@tap/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { openKeyTable, type TestKeyTable } from './support/key-table';
import { RawHttp } from './support/raw-http';
import { freshTenant, startTarget, type Target } from './support/target';

const POLL_INTERVAL_MS = 250;
const BOUND_MS = REVOCATION_BOUND_SECONDS * 1000;
/** Polling goes on this long past the bound, so that "refused after the bound" is observed. */
const PAST_BOUND_MS = 1000;
const TEST_TIMEOUT_MS = 30_000 + BOUND_MS;

/** One round of requests, one per key, sent together. */
interface Sample {
  /** Epoch ms when the round was sent, and when its last answer arrived. */
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: Readonly<Record<string, number>>;
}

describe('machine key revocation, expiry and rotation', () => {
  let target: Target;
  let http: RawHttp;
  let keys: TestKeyTable;
  const tenant = freshTenant('rev');
  const otherTenant = freshTenant('rev-other');
  /** Keys that must answer 200 on every poll of every test. */
  const bystanders: Record<string, string> = {};
  /** What was measured, for the run's log. */
  const measured: string[] = [];

  beforeAll(async () => {
    target = await startTarget();
    http = new RawHttp(target.baseUrl);
    keys = openKeyTable(target);
    const [sibling, stranger] = await Promise.all([
      target.machineKey({ tenant }),
      target.machineKey({ tenant: otherTenant }),
    ]);
    bystanders['same tenant'] = sibling.key;
    bystanders['other tenant'] = stranger.key;
  });

  afterAll(async () => {
    if (measured.length > 0) console.info(`revocation measured:\n${measured.join('\n')}`);
    http?.close();
    await keys?.close();
    await target?.stop();
  });

  const statusWith = async (key: string): Promise<number> =>
    (
      await http.send({
        method: 'GET',
        path: '/api/items?limit=1',
        headers: { [API_KEY_HEADER]: key },
      })
    ).status;

  /** Polls every key every {@link POLL_INTERVAL_MS} until `until` (epoch ms). */
  const poll = async (
    watched: Readonly<Record<string, string>>,
    until: number,
  ): Promise<Sample[]> => {
    const all = { ...watched, ...bystanders };
    const samples: Sample[] = [];
    while (Date.now() < until) {
      const sentAt = Date.now();
      const statuses = await Promise.all(
        Object.entries(all).map(async ([label, key]) => [label, await statusWith(key)] as const),
      );
      samples.push({ sentAt, answeredAt: Date.now(), status: Object.fromEntries(statuses) });
      await sleep(Math.max(0, sentAt + POLL_INTERVAL_MS - Date.now()));
    }
    return samples;
  };

  /** Every bystander answered 200 on every poll. */
  const expectBystandersServed = (samples: readonly Sample[]): void => {
    for (const label of Object.keys(bystanders)) {
      expect(samples.map((sample) => sample.status[label])).toEqual(samples.map(() => 200));
    }
  };

  /**
   * How the `label` key went from served to refused after `since` (epoch ms): the first 401
   * (when it was answered) and the last 200 (when it was sent), in ms after `since`.
   */
  const cutOver = (samples: readonly Sample[], label: string, since: number) => {
    const statuses = samples.map((sample) => sample.status[label]);
    expect(statuses.every((status) => status === 200 || status === 401)).toBe(true);
    const firstRefused = samples.find((sample) => sample.status[label] === 401);
    const lastServed = samples.filter((sample) => sample.status[label] === 200).at(-1);
    expect(firstRefused).toBeDefined();
    // Polling went on past the bound, so a key still served then would have been seen.
    expect(samples.at(-1)!.sentAt - since).toBeGreaterThan(BOUND_MS);
    return {
      firstRefusedMs: firstRefused!.answeredAt - since,
      lastServedMs: lastServed === undefined ? undefined : lastServed.sentAt - since,
    };
  };

  const seconds = (ms: number | undefined): string =>
    ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`;

  it(
    `refuses a revoked key within ${REVOCATION_BOUND_SECONDS} s while the tenant's other key and another tenant's keep working`,
    async () => {
      const revoked = await target.machineKey({ tenant });
      // The key works, and its record is in the authorizer's cache as an active one.
      expect(await statusWith(revoked.key)).toBe(200);
      expect(await statusWith(revoked.key)).toBe(200);

      await target.revokeKey(revoked.keyId);
      const revokedAt = Date.now();
      const samples = await poll({ revoked: revoked.key }, revokedAt + BOUND_MS + PAST_BOUND_MS);

      const { firstRefusedMs, lastServedMs } = cutOver(samples, 'revoked', revokedAt);
      measured.push(
        `revoked key: first 401 after ${seconds(firstRefusedMs)}, last 200 at ${seconds(lastServedMs)} (bound ${REVOCATION_BOUND_SECONDS} s, cache ${MACHINE_KEY_CACHE_SECONDS} s)`,
      );
      expect(firstRefusedMs).toBeLessThanOrEqual(BOUND_MS);
      expect(lastServedMs ?? 0).toBeLessThanOrEqual(BOUND_MS);
      // Once refused, never served again.
      const refusedFrom = samples.findIndex((sample) => sample.status['revoked'] === 401);
      expect(samples.slice(refusedFrom).map((sample) => sample.status['revoked'])).toEqual(
        samples.slice(refusedFrom).map(() => 401),
      );
      expectBystandersServed(samples);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `refuses an expired key within ${REVOCATION_BOUND_SECONDS} s of its expiry, and serves it until then`,
    async () => {
      const expiresAt = new Date(Date.now() + 2000);
      const { key } = await keys.create({
        tenant,
        scopes: SCOPES,
        client: 'expiring-client',
        expiresAt,
      });
      const expiry = expiresAt.getTime();
      const samples = await poll({ expiring: key }, expiry + BOUND_MS + PAST_BOUND_MS);

      // Answered before the expiry: the key was still valid when it was checked.
      const before = samples.filter((sample) => sample.answeredAt < expiry);
      expect(before.length).toBeGreaterThanOrEqual(3);
      expect(before.map((sample) => sample.status['expiring'])).toEqual(before.map(() => 200));
      const { firstRefusedMs, lastServedMs } = cutOver(samples, 'expiring', expiry);
      measured.push(
        `expired key: first 401 ${seconds(firstRefusedMs)} after its expiry, last 200 at ${seconds(lastServedMs)}`,
      );
      expect(firstRefusedMs).toBeLessThanOrEqual(BOUND_MS);
      expect(lastServedMs ?? 0).toBeLessThanOrEqual(BOUND_MS);
      expectBystandersServed(samples);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rotates a key: both work during the overlap, the old one stops after it, the new one keeps working',
    async () => {
      const old = await keys.create({ tenant, scopes: SCOPES, client: 'rotating-client' });
      const created = await http.send({
        method: 'POST',
        path: '/api/items',
        headers: { [API_KEY_HEADER]: old.key, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'made before the rotation' }),
      });
      expect(created.status).toBe(201);
      const itemId = (created.json as { id: string }).id;

      const rotatedAt = new Date();
      const { successor, predecessor } = await keys.rotate(old.record.keyId, 2, rotatedAt);
      const overlapEnd = rotatedAt.getTime() + 2000;
      expect(predecessor).toMatchObject({
        status: 'active',
        expiresAt: new Date(overlapEnd).toISOString(),
        replacedBy: successor.record.keyId,
      });
      expect(successor.record).toMatchObject({
        tenant,
        client: 'rotating-client',
        scopes: old.record.scopes,
        status: 'active',
      });
      expect(successor.key).not.toBe(old.key);

      const samples = await poll(
        { old: old.key, new: successor.key },
        overlapEnd + BOUND_MS + PAST_BOUND_MS,
      );

      const during = samples.filter((sample) => sample.answeredAt < overlapEnd);
      expect(during.length).toBeGreaterThanOrEqual(3);
      expect(during.map((sample) => sample.status['old'])).toEqual(during.map(() => 200));
      expect(samples.map((sample) => sample.status['new'])).toEqual(samples.map(() => 200));
      const { firstRefusedMs, lastServedMs } = cutOver(samples, 'old', overlapEnd);
      measured.push(
        `rotated-out key: first 401 ${seconds(firstRefusedMs)} after the overlap ended, last 200 at ${seconds(lastServedMs)}`,
      );
      expect(firstRefusedMs).toBeGreaterThanOrEqual(0);
      expect(firstRefusedMs).toBeLessThanOrEqual(BOUND_MS);
      expect(lastServedMs ?? 0).toBeLessThanOrEqual(BOUND_MS);
      expectBystandersServed(samples);

      // The successor is the same client of the same tenant: it sees what the old key made.
      const read = await http.send({
        method: 'GET',
        path: `/api/items/${itemId}`,
        headers: { [API_KEY_HEADER]: successor.key },
      });
      expect(read.status).toBe(200);
    },
    TEST_TIMEOUT_MS,
  );
});
