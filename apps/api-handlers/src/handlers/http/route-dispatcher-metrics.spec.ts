/**
 * Per-route metrics of the API, through the real wiring on the emulators: every request
 * publishes one batch with its `route` (the operationId) and whether it failed.
 */
import { lambdaContext } from '@tap/test-support';
import type { ApiHarness } from '../../../test/support/api-harness';
import { startApiHarness } from '../../../test/support/api-harness';
import { apiEvent } from '../../../test/support/api-events';
import { UNMATCHED_ROUTE } from './route-dispatcher';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});

afterAll(async () => {
  await api.stop();
});

beforeEach(() => {
  api.metrics.batches.length = 0;
});

describe('request metrics', () => {
  it('counts a served request under its operationId, with its latency', async () => {
    await api.call('POST /api/items', { json: { name: 'Counted' } });

    expect(api.metrics.flattened()).toEqual([
      {
        route: 'createItem',
        RequestCount: 1,
        ErrorCount: 0,
        ClientErrorCount: 0,
        Latency: expect.any(Number),
      },
    ]);
    expect(api.metrics.batches[0]?.samples.find((s) => s.name === 'Latency')?.unit).toBe(
      'Milliseconds',
    );
  });

  it('counts 4xx answers as client errors, not errors', async () => {
    await api.call('GET /api/items/{id}', {
      path: { id: '00000000-0000-4000-8000-000000000000' },
    });
    await api.call('POST /api/items', { json: { nope: true } });

    expect(api.metrics.flattened()).toEqual([
      expect.objectContaining({ route: 'getItem', ErrorCount: 0, ClientErrorCount: 1 }),
      expect.objectContaining({ route: 'createItem', ErrorCount: 0, ClientErrorCount: 1 }),
    ]);
  });

  it('files a route key the function does not serve under one fixed route value', async () => {
    await api.call('GET /api/unknown/{thing}', { path: { thing: 'a' } });

    expect(api.metrics.flattened()).toEqual([
      expect.objectContaining({ route: UNMATCHED_ROUTE, ClientErrorCount: 1 }),
    ]);
  });

  it('reports a cold start with the function name from the Lambda context', async () => {
    const context = lambdaContext({ functionName: 'tap-api-function-test' });

    await api.handler(apiEvent('GET /api/items'), context);

    expect(api.metrics.coldStarts.at(-1)).toBe('tap-api-function-test');
  });
});
