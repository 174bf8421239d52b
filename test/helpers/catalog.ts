import { demoCatalog } from '../../src/connectors/koob/index.js';
import type { DemoExperience } from '../../src/connectors/koob/demo-catalog.js';
import { simUrls } from './harness.js';

/** A KOOB catalog of `n` experiences built from the demo templates (ids 5000…, unique names). */
export function catalogOf(n: number, today = '2026-01-05'): DemoExperience[] {
  const base = demoCatalog(today);
  return Array.from({ length: n }, (_, i) => {
    const e = structuredClone(base[i % base.length]!);
    e.record.id = String(5000 + i);
    e.record.name = `${String(e.record.name)} #${i + 1}`;
    e.record.dmcReference = `CAT-${i + 1}`;
    if (e.translations.fr) e.translations.fr.name = `${String(e.translations.fr.name)} n°${i + 1}`;
    return e;
  });
}

/** Replaces the KOOB simulator's catalog. */
export async function seedKoob(experiences: DemoExperience[]): Promise<void> {
  const res = await fetch(`${simUrls().koob}/__sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiences }) });
  if (!res.ok) throw new Error(`seed: ${res.status}`);
}

/** Edits one KOOB record in place, as an operator would in KOOB's back office. */
export async function patchKoob(id: string, fields: Record<string, unknown>, locale?: string): Promise<void> {
  const res = await fetch(`${simUrls().koob}/__sim/patch/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fields, locale }) });
  if (!res.ok) throw new Error(`patch: ${res.status}`);
}
