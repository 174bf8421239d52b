import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const bridge = (args: string[], input: string) => spawnSync(process.execPath, ['bin/bridge.js', ...args], { input, encoding: 'utf8' });

describe('bridge map (the fixed contract other tools rely on)', () => {
  it('prints the create requests in order with id placeholders, and the losses', () => {
    const r = bridge(['map', '--from', 'koob', '--to', 'xola'], readFileSync('test/fixtures/koob/transfer-get.json', 'utf8'));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { requests: Array<{ method: string; path: string; body: Record<string, unknown> }>; losses: Array<{ field: string; reason: string }> };
    // Created hidden, its schedules attached, then published last (nothing half-published).
    expect(out.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /api/experiences', 'POST /api/experiences/{experienceId}/schedules', 'PUT /api/experiences/{experienceId}']);
    expect(out.requests[0]!.body).toMatchObject({ name: 'Airport to Hotel Transfer', currency: 'USD', priceType: 'outing', seller: '{sellerId}', visible: false });
    expect(out.requests[2]!.body).toEqual({ name: 'Airport to Hotel Transfer', seller: '{sellerId}', visible: expect.any(Boolean) });
    expect(out.requests[1]!.body).toMatchObject({ days: [1, 2, 3, 4, 5, 6] });
    expect(out.losses.some((l) => l.field === 'transfer.type')).toBe(true);
  });

  it('maps a Xola experience to KOOB with the per-locale path', () => {
    const xola = { id: 'x1', name: 'Kayak', price: 49.5, currency: 'USD', priceType: 'person', duration: 120, geo: { lat: 36.1, lng: -112.1 }, group: { outingMax: 12 }, schedules: [{ type: 'available', repeat: 'weekly', days: [0, 6], start: '2026-06-01', end: '2026-06-30' }] };
    const r = bridge(['map', '--from', 'xola', '--to', 'koob', '--locale', 'en'], JSON.stringify(xola));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { requests: Array<{ path: string; body: { periods: Array<{ availableDays: number[]; price: number; allotments: number }> } }> };
    expect(out.requests[0]!.path).toBe('/api/v1/experiences?locale=en');
    expect(out.requests[0]!.body.periods[0]).toMatchObject({ availableDays: [0, 0, 0, 0, 0, 1, 1], price: 49.5, allotments: 12 });
  });

  it('refuses invalid input with exit code 2 and one line naming the field, no stack trace', () => {
    const bad = bridge(['map', '--from', 'koob', '--to', 'xola'], JSON.stringify({ id: 'x', name: 'n', state: 'available', type: 'Activity', currency: 'USD', periods: [{ startAt: 'soon', state: 'free_sale', price: 1 }] }));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/periods\[0\]\.startAt: must be a date/);
    expect(bad.stderr).not.toMatch(/\bat \w+ \(/);
    const notJson = bridge(['map', '--from', 'koob', '--to', 'xola'], '{oops');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^stdin: not valid JSON/);
  });

  it('refuses an unknown platform with exit code 2 and one line listing the platforms', () => {
    const r = bridge(['map', '--from', 'expedia', '--to', 'xola'], '{}');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--from <platform>.*'expedia' is invalid.*koob, xola, gomry, fanfare, whop/);
  });
});
