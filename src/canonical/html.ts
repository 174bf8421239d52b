const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** HTML to plain text: block ends become line breaks, tags go, entities are decoded. */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  return decode(
    html
      .replace(/<\s*br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|h[1-6])\s*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** An HTML list as KOOB writes it ("- a<br />- b" or "<p>a</p><p>b</p>") to its items. */
export function htmlToList(html: string | null | undefined): string[] {
  return htmlToText(html)
    .split('\n')
    .map((l) => l.replace(/^[-*•]\s*/, '').trim())
    .filter(Boolean);
}

/** Items back to KOOB's HTML list form. */
export function listToHtml(items: string[]): string {
  return items.map((i) => `<p>${i.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('');
}
