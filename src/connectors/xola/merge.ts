/**
 * Pure helpers that make a Xola write valid and non-destructive before it is sent:
 * - an experience PUT must carry `name` and `seller` (S4:L194, L201) though only the sent fields
 *   change (S4:L192), so a hide re-sends the name Xola holds now and changes nothing else;
 * - a schedule PUT is not documented as partial (S4:L6274 "All schedule properties can be
 *   modified"), so it is read as a full replacement: what others set on our schedule is sent back.
 */

/** ScheduleInput fields (S4:L6276-6289); anything else in a GET answer is read-only. */
const SCHEDULE_INPUT = ['name', 'type', 'repeat', 'days', 'dates', 'start', 'end', 'source', 'departure', 'times', 'priceDelta', 'priceOverride', 'allowedPrivacies'] as const;
/** The schedule fields `to-xola.ts` writes: ours to set and to clear. */
const SCHEDULE_OWNED = new Set(['type', 'repeat', 'days', 'dates', 'start', 'end', 'priceDelta']);

/** The hide (or any stored experience write): Xola's current name and our seller go with it, so it is a valid PUT that renames nothing. */
export function xolaExperiencePut(body: Record<string, unknown> | undefined, current: { name: string }, sellerId: string): Record<string, unknown> {
  return { ...body, name: current.name, seller: sellerId };
}

/**
 * Our schedule body over the schedule Xola holds: fields we do not write (name, times, departure,
 * privacies, source, priceOverride) are kept; fields we write but no longer send are cleared —
 * `priceDelta` back to its documented default 0 (S4:L6230), so the result is the same whether
 * Xola replaces or merges.
 */
export function xolaSchedulePut(desired: Record<string, unknown>, current: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const k of SCHEDULE_INPUT) {
    if (SCHEDULE_OWNED.has(k) || current?.[k] === undefined || current[k] === null) continue;
    kept[k] = current[k];
  }
  return { ...kept, priceDelta: 0, ...desired };
}
