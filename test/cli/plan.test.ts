import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { planConnection } from '../../src/cli/plan.js';
import { RateLimitedError } from '../../src/errors.js';
import { catalogOf, seedKoob } from '../helpers/catalog.js';
import { requests, sim, simUrls, suiteClient, testConfig } from '../helpers/harness.js';
import { failure, inject } from '../helpers/knobs.js';

/** `bridge plan` beside a running sync: KOOB answers 429 for a while (the quota is the sync's). */
describe('bridge plan waits out a busy platform like the workers', () => {
  let temporal: Awaited<ReturnType<typeof suiteClient>>;
  const config = () => testConfig({ pageSize: 10 });
  let slept: number[] = [];
  const sleep = async (ms: number) => { slept.push(ms); };

  beforeAll(async () => { temporal = await suiteClient(); });
  afterAll(async () => { await temporal.close(); });
  beforeEach(async () => {
    slept = [];
    await sim('koob', 'reset', {});
    await seedKoob(catalogOf(3));
  });
  afterEach(async () => { await sim('koob', 'reset', {}); });

  it('honours Retry-After on 429s and then plans every product', async () => {
    await inject(simUrls().koob, { kind: 'status', status: 429, headers: { 'retry-after': '3' }, method: 'GET', count: 2 });
    const c = config();
    const plan = await planConnection(c, c.connections[0]!.name, temporal.client, { sleep });
    expect(slept).toEqual([3000, 3000]);
    expect((await requests('koob')).filter((r) => r.status === 429)).toHaveLength(2);
    expect(plan.failures).toEqual([]);
    expect(new Set(plan.writes.map((w) => w.sourceProductId))).toEqual(new Set(['5000', '5001', '5002']));
  });

  it('gives up with a clear rate-limit error once the total wait would pass its budget', async () => {
    await inject(simUrls().koob, { kind: 'status', status: 429, headers: { 'retry-after': '2' }, method: 'GET', count: 50 });
    const c = config();
    const err = await failure(planConnection(c, c.connections[0]!.name, temporal.client, { sleep, rateLimitBudgetMs: 5000 }));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(slept).toEqual([2000, 2000]);
    expect(err.message).toMatch(/^koob GET \S+ → 429\b.*: still rate limited after waiting 4 s in all .*try again when it is done$/);
  });

  it('retries a transient failure a few times with backoff', async () => {
    // got retries a 5xx once by itself: three 500s reach the plan as one TransientError, then a retry succeeds.
    await inject(simUrls().koob, { kind: 'status', status: 500, method: 'GET', count: 3 });
    const c = config();
    const plan = await planConnection(c, c.connections[0]!.name, temporal.client, { sleep });
    expect(slept).toEqual([1000]);
    expect(plan.writes.length).toBeGreaterThan(0);
  });
});
