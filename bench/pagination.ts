/**
 * (e) List pagination: with 10,000 items in the table, the latency of a page deep in the
 * table (page 50 at limit 100, reached by following cursors) against page 1. A cursor
 * resumes the scan where the previous page stopped, so a deep page should cost no more
 * than the first.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { API_KEY_HEADER } from '@tap/contracts';
import { dynamoDbClientFor } from '@tap/test-support';
import { randomUUID } from 'node:crypto';
import type { Fixture } from './fixture';
import { ms, seconds, type BenchmarkReport } from './report';
import { interleave, median, ratio, timeMs } from './stats';

const ITEMS = 10_000;
const PAGE_SIZE = 100;
const DEEP_PAGE = 50;
/** BatchWriteItem's limit. */
const BATCH = 25;
/** Batches in flight at once while seeding. */
const SEED_CONCURRENCY = 4;
/** Retries of a batch's unprocessed items before giving up. */
const MAX_BATCH_ATTEMPTS = 5;

/** Writes `count` items shaped as the API stores them straight into the emulator's table. */
async function seed(fixture: Fixture, count: number): Promise<void> {
  const client = DynamoDBDocumentClient.from(
    dynamoDbClientFor(fixture.cloud.services.dynamodb.endpoint),
  );
  const now = new Date().toISOString();
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < count; start += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, count - start) }, (_, index) => ({
        // The fixture's tenant: the one its key lists.
        tenant: fixture.tenant,
        id: randomUUID(),
        name: `seeded item ${start + index}`,
        tags: ['bench', 'seeded'],
        attributes: { position: String(start + index) },
        version: 1,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  const writeBatch = async (items: Record<string, unknown>[]): Promise<void> => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      if (attempt > MAX_BATCH_ATTEMPTS)
        throw new Error('seeding: items still unprocessed after retries');
      const output = await client.send(
        new BatchWriteCommand({ RequestItems: { [fixture.cloud.names.table]: requests } }),
      );
      requests = (output.UnprocessedItems?.[fixture.cloud.names.table] ?? []) as typeof requests;
    }
  };
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next < batches.length) {
          const batch = batches[next] as Record<string, unknown>[];
          next += 1;
          await writeBatch(batch);
        }
      }),
    );
  } finally {
    client.destroy();
  }
}

interface Page {
  readonly items: unknown[];
  readonly nextCursor?: string;
}

async function getPage(fixture: Fixture, cursor?: string): Promise<Page> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
  const response = await fetch(`${fixture.baseUrl}/api/items?${query}`, {
    headers: { [API_KEY_HEADER]: fixture.apiKey },
    signal: AbortSignal.timeout(15_000),
  });
  const page = (await response.json()) as Page;
  if (response.status !== 200 || page.items.length !== PAGE_SIZE) {
    throw new Error(`GET /api/items answered ${response.status} with ${page.items?.length} items`);
  }
  return page;
}

export async function benchPagination(
  fixture: Fixture,
  requests: number,
): Promise<BenchmarkReport> {
  const seedStarted = performance.now();
  await seed(fixture, ITEMS);
  const seedMs = performance.now() - seedStarted;

  // The cursor of page DEEP_PAGE: follow nextCursor from page 1, as a client would.
  const walkStarted = performance.now();
  let cursor: string | undefined;
  for (let page = 1; page < DEEP_PAGE; page += 1) {
    cursor = (await getPage(fixture, cursor)).nextCursor;
    if (!cursor) throw new Error(`the list ended at page ${page}`);
  }
  const walkMs = performance.now() - walkStarted;
  const deepCursor = cursor;

  const samples = await interleave(
    {
      deep: () => timeMs(() => getPage(fixture, deepCursor)),
      first: () => timeMs(() => getPage(fixture)),
    },
    requests,
    2,
  );
  return {
    id: 'pagination',
    title: 'e. List pagination',
    method:
      `${ITEMS.toLocaleString('en')} items written with BatchWriteItem straight to the DynamoDB ` +
      `emulator (${seconds(seedMs)}), then \`GET /api/items?limit=${PAGE_SIZE}\` through the local ` +
      `HTTP API: page ${DEEP_PAGE} reached by following \`nextCursor\` (${DEEP_PAGE - 1} pages in ` +
      `${seconds(walkMs)}), then page ${DEEP_PAGE} and page 1 fetched alternately, ${requests} times ` +
      'each after 2 warm-up rounds.',
    rows: [
      {
        figure: `page ${DEEP_PAGE} vs page 1 (limit ${PAGE_SIZE}): median`,
        value: ms(median(samples.deep)),
        baseline: ms(median(samples.first)),
        ratio: ratio(median(samples.deep), median(samples.first)),
        maxRatio: 1.2,
      },
    ],
  };
}
