const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Elements whose content is code or invisible, never text: dropped whole, content included. */
const ACTIVE = /<\s*(script|style|noscript|iframe|object|embed|template)\b[^>]*>[\s\S]*?(<\s*\/\s*\1\s*>|$)/gi;
/** Elements that carry code but may have no closing tag, and inline event handlers. */
const ACTIVE_OPEN = /<\s*\/?\s*(script|style|noscript|iframe|object|embed|template|link|meta|base)\b[^>]*>/gi;
const HANDLERS = /\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const SCRIPT_URLS = /(href|src)\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*'|javascript:[^\s>]+)/gi;

/** HTML as a source sent it, less what would run or stay invisible: script and style elements with their content, event handlers, javascript: links. */
export function withoutActiveContent(html: string): string {
  return html.replace(ACTIVE, '').replace(ACTIVE_OPEN, '').replace(HANDLERS, '').replace(SCRIPT_URLS, '$1=""');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A single-line plain text (a name): no markup, entities decoded, control characters and repeated spaces gone. */
export function stripMarkup(text: string): string {
  const once = decode(withoutActiveContent(text).replace(/<[^>]*>/g, ' '));
  return withoutActiveContent(once).replace(/<[^>]*>/g, ' ').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** HTML to plain text: script and style content dropped, block ends become line breaks, tags go, entities are decoded. */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  return decode(
    withoutActiveContent(html)
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
