/**
 * A Gomry experience PATCH replaces `pricing` and `location` wholesale (S1:L62, L65), so a body of
 * ours would wipe the parts of them we never write. This pure merge puts those parts back from the
 * experience as Gomry holds it; the parts we do write are ours to set and to clear.
 */

/** Documented keys of each replaced object (S1 example; list-experiences example, platforms.md §2.2), split into ours and theirs. */
const REPLACED: Record<string, { theirs: readonly string[] }> = {
  pricing: { theirs: ['base_price', 'floor_price', 'ceiling_price', 'sessions_included', 'interval'] }, // ours: model, currency, amount
  location: { theirs: ['venue', 'state', 'instructions', 'video_link'] }, // ours: type, address, city, country
};

/** Our PATCH body with the fields of `pricing` / `location` we do not own copied from the current experience. */
export function gomryExperiencePatch(body: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const [field, { theirs }] of Object.entries(REPLACED)) {
    const ours = body[field];
    const held = current[field];
    if (!ours || typeof ours !== 'object' || !held || typeof held !== 'object') continue;
    const kept = Object.fromEntries(theirs.map((k) => [k, (held as Record<string, unknown>)[k]]).filter(([, v]) => v !== undefined && v !== null));
    out[field] = { ...kept, ...(ours as Record<string, unknown>) };
  }
  return out;
}

/** True when a PATCH replaces an object we share with others, so the experience must be read first. */
export function replacesShared(body: Record<string, unknown> | undefined): boolean {
  return !!body && Object.keys(REPLACED).some((k) => body[k] !== undefined);
}
