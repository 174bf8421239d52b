import type { ProductPlan } from '../activities/catalog.js';
import type { VerifyResult } from '../src/canonical/drift.js';
import { api, failureText } from './calls.js';
import type { ProductReport, ProductState } from './messages.js';

/** One record a verify pass found different from what we wrote, and whether it is being repaired. */
export interface Drift {
  platform: string;
  key: string;
  id: string;
  found: 'missing' | 'changed' | 'unreadable';
  /** Changed fields, or why the record could not be read. */
  detail: string;
  repaired: boolean;
}

const problemKey = (platform: string, key: string) => `drift:${platform}:${key}`;

/**
 * The drift check of one sync (README, "Drift repair"): reads back each verified record (one GET on
 * its platform's queue). `repair`: a record gone is forgotten with its dependents (a schedule under
 * a deleted experience is gone with it), so this same sync re-creates them; a changed one loses
 * its fingerprint, so the sync re-asserts it. `report` changes nothing. A record found as we wrote
 * it clears its earlier drift note.
 */
export async function verifyTargets(state: ProductState, verify: NonNullable<ProductPlan['verify']>): Promise<Drift[]> {
  const drifts: Drift[] = [];
  for (const [platform, entries] of Object.entries(verify.targets)) {
    const t = state.targets[platform];
    for (const e of entries) {
      // Forgotten already with a parent checked before it.
      if (!t || t.ids[e.key] !== e.id) continue;
      let r: VerifyResult;
      try {
        r = await api(platform).verifyResource({ connection: state.connection, platform, key: e.key, ids: t.ids, desired: e.desired, path: e.path });
      } catch (err) {
        drifts.push({ platform, key: e.key, id: e.id, found: 'unreadable', detail: failureText(err), repaired: false });
        continue;
      }
      if (r.result === 'ok') {
        delete state.problems[problemKey(platform, e.key)];
        continue;
      }
      const repaired = verify.onDrift === 'repair';
      if (repaired && r.result === 'missing') {
        for (const k of [e.key, ...e.dependents]) {
          delete t.ids[k];
          delete t.fingerprints[k];
          delete t.removals[k];
        }
      } else if (repaired) {
        delete t.fingerprints[e.key];
      }
      drifts.push({ platform, key: e.key, id: e.id, found: r.result, detail: r.result === 'changed' ? r.fields.join(', ') : '', repaired });
    }
  }
  return drifts;
}

/** Records each drift as an open problem (`drift:<platform>:<key>`) saying what was found and done. */
export function noteDrift(state: ProductState, drifts: Drift[], report: ProductReport): void {
  for (const d of drifts) {
    const what = d.found === 'missing' ? 'was deleted outside the bridge'
      : d.found === 'changed' ? `was changed outside the bridge (${d.detail})` : `could not be read back (${d.detail})`;
    const result = report.targets.find((x) => x.platform === d.platform);
    const newId = state.targets[d.platform]?.ids[d.key];
    const done = d.found === 'unreadable' ? 'not verified this time'
      : !d.repaired ? 'reported only (onDrift: report)'
        : result?.outcome === 'failed' ? `repair failed: ${result.error ?? 'failed'}`
          : d.found === 'changed' ? 're-asserted'
            : newId ? `re-created as ${newId}` : 'not re-created (the product is not on sale)';
    state.problems[problemKey(d.platform, d.key)] = `${d.platform} ${d.key} ${d.id} ${what}: ${done}`;
  }
}
