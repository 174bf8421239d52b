import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createGomrySimulator } from '../../../src/connectors/gomry/index.js';
import { call, experienceBody, recurrenceBody } from './fixtures.js';

const KEY = 'gomry-rules-test-key';
const sim = createGomrySimulator({ apiKey: KEY, rateLimit: { limit: 100_000, windowMs: 60_000 } });
let url = '';
const post = (path: string, body: unknown, headers?: Record<string, string>) => call(url, 'POST', path, { key: KEY, body, headers });
const patch = (path: string, body: unknown) => call(url, 'PATCH', path, { key: KEY, body });

beforeAll(async () => { url = await sim.listen(); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await call(url, 'POST', '/__sim/reset', { body: {} }); });

/** Expects a 400 validation answer naming `field`. */
async function rejects(res: Promise<{ status: number; body: Record<string, unknown> }>, field: string) {
  const { status, body } = await res;
  expect(status).toBe(400);
  expect(body.error).toBe('Validation failed');
  expect(Object.keys((body.details as { fieldErrors: Record<string, string[]> }).fieldErrors)).toContain(field);
}

describe('Gomry simulator: experience validation (S1:L48-83)', () => {
  it.each([
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(121) }],
    ['duration_minutes', { duration_minutes: 0 }],
    ['duration_minutes', { duration_minutes: 1441 }],
    ['duration_minutes', { duration_minutes: 30.5 }],
    ['default_capacity', { default_capacity: 0 }],
    ['default_capacity', { default_capacity: 10_001 }],
    ['max_booking_quantity', { max_booking_quantity: 0 }],
    ['max_booking_quantity', { max_booking_quantity: 51 }],
    ['status', { status: 'archived' }],
    ['registration_status', { registration_status: 'paused' }],
    ['required_contact_method', { required_contact_method: 'sms' }],
    ['pricing.model', { pricing: { model: '', currency: 'eur', amount: 1 } }],
    ['location.type', { location: { city: 'Paris' } }],
    ['scheduling_rules.booking_window.max_days_ahead', { scheduling_rules: { booking_window: { min_hours_before: 1, max_days_ahead: 0 } } }],
    ['scheduling_rules.cancellation_policy.refundable_until_hours_before', { scheduling_rules: { cancellation_policy: { refundable_until_hours_before: -1 } } }],
  ])('create refuses a bad %s', async (field, over) => {
    await rejects(post('/experiences', experienceBody(over)), field);
  });

  it('values the docs give no enum or range for are accepted: pricing model, late-cancel fee (S1:L63-68)', async () => {
    const res = await post('/experiences', experienceBody({
      pricing: { model: 'per_person', currency: 'eur', amount: 1 },
      scheduling_rules: { cancellation_policy: { refundable_until_hours_before: 0, late_cancel_fee: 12.5 } },
    }));
    expect(res.status).toBe(201);
    expect(res.body.data.pricing.model).toBe('per_person');
  });

  it('accepts the edges of every range', async () => {
    const res = await post('/experiences', experienceBody({ name: 'x'.repeat(120), duration_minutes: 1440, default_capacity: 10_000, max_booking_quantity: 50 }));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ duration_minutes: 1440, default_capacity: 10_000, max_booking_quantity: 50 });
  });

  it('create needs name, duration_minutes, default_capacity and pricing (conservative reading)', async () => {
    await rejects(post('/experiences', { name: 'Only a name' }), 'duration_minutes');
  });

  it('unknown fields are refused with 400, on create and on PATCH (read-only fields included)', async () => {
    await rejects(post('/experiences', experienceBody({ colour: 'blue' })), 'colour');
    const id = (await post('/experiences', experienceBody())).body.data.id as string;
    await rejects(patch(`/experiences/${id}`, { bookings_count: 3 }), 'bookings_count');
    await rejects(patch(`/experiences/${id}`, { pricing: { model: 'per_session', currency: 'eur', amount: 1, vat: 20 } }), 'pricing.vat');
  });

  it('currency is lower-cased on save, on create and on PATCH', async () => {
    const created = await post('/experiences', experienceBody({ pricing: { model: 'per_session', currency: 'USD', amount: 10 } }));
    expect(created.body.data.pricing.currency).toBe('usd');
    const updated = await patch(`/experiences/${created.body.data.id}`, { pricing: { model: 'per_session', currency: 'GBP', amount: 12 } });
    expect(updated.body.data.pricing).toEqual({ model: 'per_session', currency: 'gbp', amount: 12 });
  });

  it('PATCH with no field is refused', async () => {
    const id = (await post('/experiences', experienceBody())).body.data.id as string;
    const res = await patch(`/experiences/${id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('At least one field is required');
  });

  it('PATCH replaces a nested object wholesale and keeps the ones not sent', async () => {
    const id = (await post('/experiences', experienceBody())).body.data.id as string;
    const res = await patch(`/experiences/${id}`, { scheduling_rules: { booking_window: { min_hours_before: 2, max_days_ahead: 90 } } });
    expect(res.body.data.scheduling_rules).toEqual({
      booking_window: { min_hours_before: 2, max_days_ahead: 90 },
      cancellation_policy: { refundable_until_hours_before: 24 },
    });
    await rejects(patch(`/experiences/${id}`, { scheduling_rules: { booking_window: { min_hours_before: 3 } } }), 'scheduling_rules.booking_window.max_days_ahead');
  });

  it('a body that is not a JSON object is refused', async () => {
    const res = await post('/experiences', [experienceBody()]);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
  });

  it('page_size above 200 is refused; lists carry the pagination block', async () => {
    await rejects(call(url, 'GET', '/experiences?page_size=201', { key: KEY }), 'page_size');
    const ok = await call(url, 'GET', '/experiences?page=2&page_size=200', { key: KEY });
    expect(ok.body).toEqual({ data: [], pagination: { total: 0, page: 2, page_size: 200, total_pages: 0 } });
  });
});

describe('Gomry simulator: recurrence validation', () => {
  let exp = '';
  beforeEach(async () => { exp = (await post('/experiences', experienceBody())).body.data.id as string; });

  it.each([
    ['cadence.days_of_week.0', { cadence: { frequency: 'weekly', interval: 1, days_of_week: [7] } }],
    ['cadence.days_of_week', { cadence: { frequency: 'weekly', interval: 1, days_of_week: [] } }],
    ['cadence.frequency', { cadence: { frequency: '', interval: 1, days_of_week: [1] } }],
    ['timezone', { timezone: 'Mars/Olympus' }],
    ['start_date', { start_date: '2026-02-30' }],
    ['session_templates.0.start_time_of_day', { session_templates: [{ start_time_of_day: '9:00', capacity: 5 }] }],
    ['session_templates.0.capacity', { session_templates: [{ start_time_of_day: '09:00', capacity: 0 }] }],
    ['session_templates', { session_templates: [] }],
    ['end_condition.end_date', { end_condition: { type: 'date', end_date: '2026-01-01' } }],
    ['end_condition.until', { end_condition: { type: 'never', until: '2026-12-31' } }],
  ])('create refuses a bad %s', async (field, over) => {
    await rejects(post(`/experiences/${exp}/recurrences`, recurrenceBody(over)), field);
  });

  it('a frequency other than weekly is accepted: only weekly is shown, no enum is documented', async () => {
    expect((await post(`/experiences/${exp}/recurrences`, recurrenceBody({ cadence: { frequency: 'daily', interval: 1, days_of_week: [1] } }))).status).toBe(201);
  });

  it('PATCH of a recurrence needs one field and is checked on the merged result', async () => {
    const rid = (await post(`/experiences/${exp}/recurrences`, recurrenceBody())).body.data.id as string;
    expect((await patch(`/experiences/${exp}/recurrences/${rid}`, {})).status).toBe(400);
    await rejects(patch(`/experiences/${exp}/recurrences/${rid}`, { start_date: '2026-12-01' }), 'end_condition.end_date');
    expect((await patch(`/experiences/${exp}/recurrences/${rid}`, { status: 'inactive' })).body.data.status).toBe('inactive');
  });

  it('a recurrence of an unknown experience is 404 with {error}', async () => {
    const res = await post('/experiences/nope/recurrences', recurrenceBody());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Experience not found' });
  });
});
