/** Text normalisation shared by the tabular importer: accents, case and punctuation ignored. */
import { isInvisibleText, sanitizeText } from '../../domain/text.ts';
import { unaccent } from '../../text/french.ts';

/** Lower-case, accents removed, every run of non-alphanumeric characters turned into one space. */
export function normalizeKey(s: string): string {
  return unaccent(s).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** True when `needle` (normalised) occurs in `haystack` (normalised) as a sequence of whole words. */
export function containsWords(haystack: string, needle: string): boolean {
  if (!needle) return false;
  return ` ${haystack} `.includes(` ${needle} `);
}

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', laquo: '«', raquo: '»',
  hellip: '…', ndash: '–', mdash: '—', eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', agrave: 'à', acirc: 'â',
  ccedil: 'ç', icirc: 'î', iuml: 'ï', ocirc: 'ô', ucirc: 'û', ugrave: 'ù', uuml: 'ü', oelig: 'œ', Eacute: 'É',
  Egrave: 'È', Agrave: 'À', Ccedil: 'Ç', euro: '€', deg: '°',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/**
 * A real tag: `<` directly followed by a name (or `/name`, `!--`, `!doctype`), attributes without `<` or `>`.
 * "Béthune <> Lille", "a < b", "<3", "<= 5" are text, not tags, and stay.
 */
const TAG = /<!--[\s\S]*?-->|<![a-z][^<>]*>|<\/?[a-z][a-z0-9:-]*(?:\s[^<>]*)?\/?>/gi;

/** HTML (as found in Decidim bodies) to plain text: block ends become line breaks, tags dropped, entities decoded. */
export function stripHtml(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const text = html
    .replace(/<(script|style)\b[^<>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^<>]*>/gi, '\n- ')
    .replace(/<\/(p|div|ul|ol|h[1-6]|blockquote|tr)\s*>/gi, '\n')
    .replace(TAG, '');
  // list items follow their paragraph without a blank line
  return decodeEntities(text.replace(/\n[ \t]*\n(?=- )/g, '\n'));
}

/** Clean a cell's text for display: unified newlines, spaces collapsed, lines trimmed, blank runs shortened. */
export function cleanText(s: string): string {
  const text = sanitizeText(s)
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\u00a0 ]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // a cell of zero-width or other invisible characters only is an empty cell
  return isInvisibleText(text) ? '' : text;
}
