import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { htmlToText, stripMarkup } from '../../src/canonical/html.js';
import { clipField, clipGraphemes } from '../../src/canonical/text.js';
import { isCalendarDate, validateProduct } from '../../src/canonical/validate.js';
import type { Product } from '../../src/canonical/product.js';
import { MappingError } from '../../src/errors.js';
import { koobToCanonical } from '../../src/connectors/koob/index.js';
import { KoobExperience } from '../../src/connectors/koob/schemas.js';

const TODAY = '2026-12-01';
const seed = (): Product => {
  const record = KoobExperience.parse(JSON.parse(readFileSync('test/fixtures/koob/activity.json', 'utf8')));
  return koobToCanonical({ en: record }, 'en').product;
};
const failure = (p: Product): MappingError => {
  try {
    validateProduct(p, TODAY);
  } catch (err) {
    if (err instanceof MappingError) return err;
    throw err;
  }
  throw new Error('validateProduct accepted the product');
};
const withRule = (p: Product, patch: Partial<Product['availability'][number]>): Product => ({ ...p, availability: [{ ...p.availability[0]!, ...patch }, ...p.availability.slice(1)] });

describe('validateProduct: the gate before any write', () => {
  it('passes a seed product through, its texts cleaned but otherwise unchanged', () => {
    const p = seed();
    const v = validateProduct(p, TODAY);
    expect(v.availability).toEqual(p.availability);
    expect(v.texts.en!.name).toBe(p.texts.en!.name);
  });

  it.each([
    ['an empty name', (p: Product) => ({ ...p, texts: { en: { ...p.texts.en!, name: '   ' } } }), 'texts.en.name', /empty/],
    ['a name that is only markup', (p: Product) => ({ ...p, texts: { en: { ...p.texts.en!, name: '<b></b><script>x()</script>' } } }), 'texts.en.name', /empty/],
    ['a negative price', (p: Product) => withRule(p, { price: -100 }), 'availability[0].price', /0/],
    ['February 30th', (p: Product) => withRule(p, { startDate: '2026-02-30' }), 'availability[0].startDate', /calendar date/],
    ['a date a century away', (p: Product) => withRule(p, { endDate: '2126-01-01' }), 'availability[0].endDate', /years/],
    ['an end before the start', (p: Product) => withRule(p, { startDate: '2027-02-01', endDate: '2027-01-01' }), 'availability[0].endDate', /before/],
    ['6×10^10 minutes', (p: Product) => ({ ...p, durationMinutes: 6e10 }), 'durationMinutes', /90 days/],
    ['a million seats', (p: Product) => withRule(p, { capacity: 1_000_000 }), 'availability[0].capacity', /seats/],
    ['an unknown time zone', (p: Product) => ({ ...p, timeZone: 'Mars/Olympus' }), 'timeZone', /IANA/],
    ['minPax above maxPax', (p: Product) => withRule(p, { minPax: 9, maxPax: 2 }), 'availability[0].minPax', /maxPax/],
  ])('refuses %s, naming the field and the reason', (_label, spoil, field, reason) => {
    const err = failure(spoil(seed()));
    expect(err.details.field).toBe(field);
    expect(err.message).toMatch(reason);
    expect(err.message).toContain(`product ${seed().sourceId}`);
  });

  it('strips markup from names and drops script and style content from descriptions', () => {
    const p = seed();
    const v = validateProduct({ ...p, texts: { en: { ...p.texts.en!, name: '<i>Rome</i> <script>steal()</script>by night', description: '<p>Walk</p><script>steal()</script><style>p{}</style><p onclick="x()">on</p>' } } }, TODAY);
    expect(v.texts.en!.name).toBe('Rome by night');
    expect(v.texts.en!.description).not.toMatch(/steal|onclick|p\{\}/);
    expect(htmlToText(v.texts.en!.description)).toBe('Walk\non');
  });
});

describe('text helpers', () => {
  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });

  it('htmlToText keeps no script or style content', () => {
    expect(htmlToText('<p>a</p><script type="x">var s = "<p>";</script><style>.b{}</style><p>b</p>')).toBe('a\nb');
  });

  it('stripMarkup decodes entities, then removes markup they spelled', () => {
    expect(stripMarkup('Caf&eacute; &lt;script&gt;x()&lt;/script&gt; tour')).toBe('Caf&eacute; tour');
    expect(stripMarkup('A &amp; B\n\ttour')).toBe('A & B tour');
  });

  it('clips on grapheme boundaries: no emoji cut in half, no unpaired surrogate', () => {
    const name = 'Sunset 👩‍👩‍👧 cruise 🇫🇷';
    for (let max = 0; max <= name.length; max += 1) {
      const out = clipGraphemes(name, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(name.startsWith(out)).toBe(true);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(clipGraphemes('ab👍🏽', 3)).toBe('ab');
    const losses: Array<{ field: string; reason: string }> = [];
    expect(clipField('ab👍🏽cd', 5, 'name', 'Whop', losses)).toBe('ab');
    expect(losses).toEqual([{ field: 'name', reason: expect.stringMatching(/Whop's 5 characters/) }]);
  });
});
