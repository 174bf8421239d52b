import { describe, expect, it } from '@jest/globals';
import { driftedFields, verifyEntries } from '../../src/canonical/drift.js';
import type { DesiredResource, TargetState } from '../../src/canonical/plan.js';

const resource = (key: string, path: string, body: Record<string, unknown> = {}): DesiredResource => ({
  key, body, fingerprint: key, createSafety: 'natural-key',
  create: { method: 'POST', path }, update: { method: 'PUT', path: `${path}/{${key}Id}` },
});

describe('driftedFields', () => {
  it('forgives representation: whitespace, code case, decimal strings, instants, boolean strings', () => {
    const want = { name: 'Loire  castles ', currency: 'EUR', price: 12.5, start: '2026-01-05T09:00:00Z', visible: true };
    const have = { name: 'Loire castles', currency: 'eur', price: '12.50', start: '2026-01-05T09:00:00.000+00:00', visible: 'true' };
    expect(driftedFields(want, have)).toEqual([]);
  });

  it('flags scalar fields whose values clearly differ, sorted, and nothing else', () => {
    const want = { name: 'Loire castles', price: 12.5, visible: true, seller: 's1', group: { max: 4 }, tags: ['a'], only: 'ours' };
    const have = { name: 'Loire Castles by someone', price: 14, visible: false, seller: { id: 's1' }, group: { max: 9 }, tags: ['b'] };
    expect(driftedFields(want, have)).toEqual(['name', 'price', 'visible']);
  });

  it('never calls values of kinds it cannot compare, or unfilled placeholders, different', () => {
    expect(driftedFields({ duration: 90, product_id: '{productId}' }, { duration: '1h30', product_id: 'prod_9' })).toEqual([]);
  });
});

describe('verifyEntries', () => {
  it('lists the read-back keys we hold, bodies filled, with everything that lives under or names them', () => {
    const desired = [
      resource('product', '/products', { title: 'T' }),
      resource('plan', '/plans?product_id={productId}', { product_id: '{productId}' }),
      resource('experience', '/experiences', { name: 'T' }),
      resource('attachment', '/experiences/{experienceId}/attach?product_id={productId}'),
    ];
    const state: TargetState = { ids: { product: 'p1', plan: 'pl1', experience: 'e1', attachment: 'e1' }, fingerprints: {}, removals: {} };
    const entries = verifyEntries(desired, state, ['product', 'plan', 'missing-key']);
    expect(entries.map((e) => [e.key, e.id, e.dependents.sort()])).toEqual([['product', 'p1', ['attachment', 'plan']], ['plan', 'pl1', []]]);
    expect(entries[1]!.desired).toEqual({ product_id: 'p1' });
    expect(entries[0]!.path).toBe('/products/p1');
  });

  it('finds dependents through stored removals too (a schedule the product no longer wants)', () => {
    const state: TargetState = {
      ids: { experience: 'x1', 'schedule.a': 's1' }, fingerprints: {},
      removals: { 'schedule.a': { method: 'DELETE', path: '/api/experiences/{experienceId}/schedules/{schedule.aId}' } },
    };
    expect(verifyEntries([resource('experience', '/api/experiences')], state, ['experience'])[0]!.dependents).toEqual(['schedule.a']);
  });

  it('skips keys without an id (never published)', () => {
    expect(verifyEntries([resource('experience', '/x')], { ids: {}, fingerprints: {}, removals: {} }, ['experience'])).toEqual([]);
  });
});
