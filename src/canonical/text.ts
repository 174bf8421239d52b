import type { Loss } from './product.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `value` of at most `max` UTF-16 code units that ends on a grapheme
 * boundary: an emoji, a flag or a letter with its accents is kept whole or dropped whole, never
 * split into an unpaired surrogate. Platforms count `length` in code units (JavaScript strings),
 * so the limit is in code units too.
 */
export function clipGraphemes(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = 0;
  for (const { segment, index } of graphemes.segment(value)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return value.slice(0, end);
}

/** Clips a text to a platform's limit on grapheme boundaries, and says so in the loss list. */
export function clipField(value: string, max: number, field: string, platform: string, losses: Loss[]): string {
  if (value.length <= max) return value;
  losses.push({ field, reason: `longer than ${platform}'s ${max} characters; cut to ${max} at a character boundary` });
  return clipGraphemes(value, max);
}
