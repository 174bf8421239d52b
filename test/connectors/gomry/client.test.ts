import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GomryClient, collectPages, createGomrySimulator, idempotencyHeader } from '../../../src/connectors/gomry/index.js';
import { AuthError, InvalidRequestError, NotFoundError, RateLimitedError, SchemaDriftError, TransientError } from '../../../src/errors.js';
import { call, experienceBody, recurrenceBody, type Json } from './fixtures.js';

const KEY = 'gomry-client-test-key';
const sim = createGomrySimulator({
  apiKey: KEY, rateLimit: { limit: 100_000, windowMs: 60_000 },
  keyScopes: { 'gomry-read-only': ['experiences:read'] }, otherOrgKey: 'gomry-other-org',
});
let url = '';
let client: GomryClient;
const knobs = (body: unknown) => call(url, 'POST', '/__sim/knobs', { body });
const records = async () => (await call(url, 'GET', '/__sim/records')).body as { experiences: Json[] };

beforeAll(async () => {
  url = await sim.listen();
  client = new GomryClient({ baseUrl: url, apiKey: () => KEY });
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await call(url, 'POST', '/__sim/reset', { body: {} }); });

describe('GomryClient endpoints over HTTP', () => {
  it('creates, reads, updates and lists experiences (currency comes back lower-case)', async () => {
    const created = await client.createExperience(experienceBody());
    expect(created).toMatchObject({ name: 'Sunset Yoga', status: 'active', pricing: { currency: 'eur', amount: 35 } });
    expect((await client.getExperience(created.id)).id).toBe(created.id);
    const updated = await client.updateExperience(created.id, { name: 'Sunset Yoga — Premium', registration_status: 'closed' });
    expect(updated).toMatchObject({ name: 'Sunset Yoga — Premium', registration_status: 'closed', duration_minutes: 60 });
    const page = await client.listExperiences({ page: 1, page_size: 10 });
    expect(page.data.map((e) => e.id)).toEqual([created.id]);
    expect(page.pagination).toEqual({ total: 1, page: 1, page_size: 10, total_pages: 1 });
  });

  it('creates, reads, lists, updates and deletes recurrences', async () => {
    const exp = await client.createExperience(experienceBody());
    const rec = await client.createRecurrence(exp.id, recurrenceBody());
    expect(rec.cadence.days_of_week).toEqual([2, 4]);
    expect((await client.getRecurrence(exp.id, rec.id)).start_date).toBe('2026-03-02');
    expect((await client.listRecurrences(exp.id)).data.map((r) => r.id)).toEqual([rec.id]);
    const patched = await client.updateRecurrence(exp.id, rec.id, { session_templates: [{ start_time_of_day: '09:00', capacity: 5 }] });
    expect(patched.session_templates).toEqual([{ start_time_of_day: '09:00', capacity: 5 }]);
    await client.deleteRecurrence(exp.id, rec.id);
    await expect(client.getRecurrence(exp.id, rec.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('collects every experience across three pages of page_size 3', async () => {
    for (let i = 0; i < 7; i += 1) await client.createExperience(experienceBody({ name: `Experience ${i}` }));
    const all = await client.allExperiences(3);
    expect(all.map((e) => e.name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Experience ${i}`));
    const { body } = await call(url, 'GET', '/__sim/requests');
    const pages = (body.requests as Json[]).filter((r) => r.method === 'GET' && r.path === '/experiences').map((r) => r.query.page);
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('collectPages stops on an empty page even if total_pages says more', async () => {
    const seen: number[] = [];
    const out = await collectPages(async ({ page }) => {
      seen.push(page);
      return { data: page === 1 ? ['a'] : [], pagination: { total: 5, page, page_size: 1, total_pages: 5 } };
    }, 1);
    expect(out).toEqual(['a']);
    expect(seen).toEqual([1, 2]);
  });
});

describe('GomryClient error classification', () => {
  it('401 without or with a wrong key → AuthError, and the key never appears in the message', async () => {
    const raw = await call(url, 'GET', '/experiences');
    expect(raw.status).toBe(401);
    expect(typeof raw.body.error).toBe('string');
    const wrong = new GomryClient({ baseUrl: url, apiKey: () => 'wrong-secret-key' });
    const e = await wrong.listExperiences().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).not.toContain('wrong-secret-key');
  });

  it('403 insufficient_scope when a read-only key writes → AuthError; reading still works', async () => {
    const ro = new GomryClient({ baseUrl: url, apiKey: () => 'gomry-read-only' });
    await expect(ro.listExperiences()).resolves.toMatchObject({ data: [] });
    const e = await ro.createExperience(experienceBody()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).details.status).toBe(403);
    expect((e as Error).message).toContain('insufficient_scope');
  });

  it('another organisation\'s experience answers 404 → NotFoundError', async () => {
    const exp = await client.createExperience(experienceBody());
    const other = new GomryClient({ baseUrl: url, apiKey: () => 'gomry-other-org' });
    await expect(other.getExperience(exp.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.updateExperience(exp.id, { name: 'hijack' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await other.listExperiences()).data).toEqual([]);
  });

  it('400 with details.fieldErrors → InvalidRequestError naming the field', async () => {
    const e = await client.createExperience(experienceBody({ name: '' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(String((e as InvalidRequestError).details.body)).toContain('"fieldErrors":{"name"');
  });

  it('429 after the window is spent → RateLimitedError without a Retry-After hint', async () => {
    const small = createGomrySimulator({ apiKey: KEY, rateLimit: { limit: 2, windowMs: 60_000 } });
    const smallUrl = await small.listen();
    try {
      const c = new GomryClient({ baseUrl: smallUrl, apiKey: () => KEY });
      await c.listExperiences();
      await c.listExperiences();
      const e = await c.listExperiences().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RateLimitedError);
      expect((e as RateLimitedError).retryAfterMs).toBeUndefined();
      const raw = await call(smallUrl, 'GET', '/experiences', { key: KEY });
      expect(raw.status).toBe(429);
      expect(raw.body).toEqual({ error: 'Rate limit exceeded. Try again shortly.' });
      expect(raw.headers.get('retry-after')).toBeNull();
    } finally {
      await small.close();
    }
  });

  it('5xx → TransientError (PATCH is not retried by got; GET is retried once)', async () => {
    const exp = await client.createExperience(experienceBody());
    await knobs({ faults: [{ kind: 'status', status: 503, count: 1, method: 'PATCH' }] });
    await expect(client.updateExperience(exp.id, { name: 'x' })).rejects.toBeInstanceOf(TransientError);
    await knobs({ faults: [{ kind: 'status', status: 500, count: 2, method: 'GET' }] });
    await expect(client.getExperience(exp.id)).rejects.toBeInstanceOf(TransientError);
  });

  it('a connection reset → TransientError', async () => {
    await knobs({ faults: [{ kind: 'reset', count: 1, method: 'GET' }] });
    await expect(client.listExperiences()).rejects.toBeInstanceOf(TransientError);
  });

  it('a request timeout → TransientError', async () => {
    const quick = new GomryClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 300 });
    await knobs({ faults: [{ kind: 'timeout', count: 1, method: 'GET' }] });
    await expect(quick.listExperiences()).rejects.toBeInstanceOf(TransientError);
  });

  it('a 200 body that breaks the documented shape → SchemaDriftError', async () => {
    await knobs({ faults: [{ kind: 'status', status: 200, count: 1, method: 'GET', body: { data: { title: 'no id, no name' } } }] });
    await expect(client.getExperience('anything')).rejects.toBeInstanceOf(SchemaDriftError);
  });
});

describe('Idempotency-Key on creates', () => {
  it('a create whose response was lost, retried with the same key, leaves exactly one record', async () => {
    await knobs({ faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST' }] });
    await expect(client.createExperience(experienceBody(), 'conn:4100:gomry:experience')).rejects.toBeInstanceOf(TransientError);
    const again = await client.createExperience(experienceBody(), 'conn:4100:gomry:experience');
    const { experiences } = await records();
    expect(experiences.map((e) => e.id)).toEqual([again.id]);
  });

  it('a replay answers the stored response with Idempotent-Replay: true', async () => {
    const first = await call(url, 'POST', '/experiences', { key: KEY, body: experienceBody(), headers: { 'Idempotency-Key': 'k-1' } });
    const second = await call(url, 'POST', '/experiences', { key: KEY, body: experienceBody(), headers: { 'Idempotency-Key': 'k-1' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replay')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replay')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await records()).experiences).toHaveLength(1);
  });

  it('recurrence creates are replayed per key too', async () => {
    const exp = await client.createExperience(experienceBody());
    const a = await client.createRecurrence(exp.id, recurrenceBody(), 'rec-key');
    const b = await client.createRecurrence(exp.id, recurrenceBody(), 'rec-key');
    expect(b.id).toBe(a.id);
    expect((await client.listRecurrences(exp.id)).data).toHaveLength(1);
  });

  it('a concurrent duplicate gets 409 idempotent_request_in_progress, which the client treats as transient', async () => {
    sim.setCreateDelay(1500);
    const results = await Promise.allSettled([
      client.createExperience(experienceBody(), 'same-key'),
      client.createExperience(experienceBody(), 'same-key'),
    ]);
    sim.setCreateDelay(0);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(TransientError);
    expect(String(failed.reason.message)).toContain('idempotent_request_in_progress');
    expect((await records()).experiences).toHaveLength(1);
  });

  it('the same key with a different body is refused (400), never replayed as if equal', async () => {
    await client.createExperience(experienceBody(), 'reused');
    await expect(client.createExperience(experienceBody({ name: 'Other' }), 'reused')).rejects.toBeInstanceOf(InvalidRequestError);
    expect((await records()).experiences).toHaveLength(1);
  });

  it('keys longer than 255 characters are refused by Gomry, so the client sends their SHA-256', async () => {
    const long = 'k'.repeat(300);
    const raw = await call(url, 'POST', '/experiences', { key: KEY, body: experienceBody(), headers: { 'Idempotency-Key': long } });
    expect(raw.status).toBe(400);
    expect(raw.body.details.fieldErrors['Idempotency-Key']).toBeDefined();
    expect(idempotencyHeader(long)).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(idempotencyHeader('conn:1:gomry:experience')).toBe('conn:1:gomry:experience');
    const a = await client.createExperience(experienceBody(), long);
    const b = await client.createExperience(experienceBody(), long);
    expect(b.id).toBe(a.id);
  });
});
