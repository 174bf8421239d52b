import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createXolaSimulator } from '../../../src/connectors/xola/index.js';
import { mapRecord } from '../../../src/connectors/mappers.js';

const KEY = 'xola-cap-key';
const SELLER = 'seller-cap';

/**
 * Issue 10, problem 2: a departure Xola has not sold yet must be capped by its own seats left, not
 * by `group.outingMax` (the experience-wide cap). The mapper gives each departure-date period's
 * departures an event with `max` (S4:L840-845); the simulator caps a departure by its event's `max`
 * and falls back to `outingMax` only where no event exists (S4:L921, S4:L373).
 */
describe('Xola departures are capped by their own seats before their first sale', () => {
  const sim = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
  let url: string;
  const send = async (method: string, path: string, body: unknown) => fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) });
  beforeAll(async () => { url = await sim.listen(); });
  afterAll(async () => { await sim.close(); });

  it('30 concurrent one-seat purchases on a departure with 10 seats left: at most 10 accepted', async () => {
    const sic = JSON.parse(readFileSync('test/fixtures/koob/program-sic.json', 'utf8')) as { periods: Array<Record<string, unknown>> };
    // Two departures: 10 seats left on the 15th, 12 on the 22nd (so outingMax alone would let 12 through).
    sic.periods.push({ ...sic.periods[0], id: 'p-late', startAt: '2025-07-22', endAt: '2025-07-22', allotments: 12 });
    const { requests } = mapRecord('koob', 'xola', sic);
    let experienceId = '';
    for (const r of requests) {
      const path = r.path.replace('{experienceId}', experienceId);
      const body = JSON.parse(JSON.stringify(r.body).replaceAll('{sellerId}', SELLER).replaceAll('{experienceId}', experienceId)) as Record<string, unknown>;
      // The client sends an event's experience as {id} (client.ts createEvent).
      const res = await send(r.method, path, path === '/api/events' ? { ...body, experience: { id: experienceId } } : body);
      expect(res.status).toBeLessThan(300);
      if (!experienceId) experienceId = ((await res.json()) as { id: string }).id;
    }
    expect(requests.filter((r) => r.path === '/api/events').map((r) => r.body.max)).toEqual([10, 12]);
    const buy = () => send('POST', '/api/purchases', { seller: SELLER, customerName: 'A', customerEmail: 'a@example.com', items: [{ product: { id: experienceId }, arrivalDate: '2025-07-15', quantity: 1 }] });
    const answers = await Promise.all(Array.from({ length: 30 }, buy));
    const accepted = answers.filter((a) => a.status === 201).length;
    expect(accepted).toBeLessThanOrEqual(10);
    expect(accepted).toBe(10); // and nothing is undersold
    expect(answers.filter((a) => a.status === 409)).toHaveLength(20);
  });
});
