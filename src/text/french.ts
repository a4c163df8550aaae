/**
 * French text helpers, the one place for them: accents (folding), apostrophes and punctuation, dates as
 * printed in French, and the Snowball stemmer. Used by ingest, store, analysis, privacy, synthesis and
 * the server. Pure functions: no I/O, no state but bounded memo tables.
 */
import { createRequire } from 'node:module';
import type { SnowballFactory } from 'snowball-stemmers';

// -- apostrophes, quotes, dashes, spaces -----------------------------------------------------------

/** Apostrophe-like characters (typographic ’, ‘, modifier letters, primes, backtick, acute accent, fullwidth). */
export const APOSTROPHES = /[\u2019\u2018\u02BC\u02B9\u0060\u00B4\u2032\u2035\uFF07]/g;
// Double quotes and guillemets → ASCII double quote.
const QUOTES = /[\u00AB\u00BB\u201C\u201D\u201E\u201F\u2033\u2036\u2039\u203A\uFF02]/g;
// Hyphens and dashes → ASCII hyphen-minus.
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
// Removed outright: soft hyphen, zero-width characters, word joiner, BOM, lone surrogates.
const INVISIBLE = /[\u00AD\u200B\u200C\u200D\u2060\uFEFF]|\p{Cs}/gu;
// Control characters (C0 and C1) and private-use glyphs (PDF bullets such as U+F0B7, U+F0E0) → space.
const CONTROL_OR_PUA = /[\u0000-\u001F\u007F-\u009F\uE000-\uF8FF]/g;
const SPACES = /[\s\u00A0\u202F\u2007]+/g;

/**
 * Text for matching, not for display: NFC, invisible characters removed, apostrophes, quotes and dashes
 * made ASCII, every run of whitespace (line breaks included) one space. Never throws, linear in the input.
 */
export function normalizeText(s: string): string {
  if (!s) return '';
  return s
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CONTROL_OR_PUA, ' ')
    .replace(APOSTROPHES, "'")
    .replace(QUOTES, '"')
    .replace(DASHES, '-')
    .replace(SPACES, ' ')
    .trim();
}

// -- accents ----------------------------------------------------------------------------------------

const MARKS = /\p{M}+/gu;
const HAS_NON_ASCII = /[^\u0000-\u007F]/;

/** Letters without their diacritics (NFD, combining marks removed); case and ligatures kept, not recomposed. */
export function stripAccents(s: string): string {
  return s.normalize('NFD').replace(MARKS, '');
}

/** Removes diacritics and expands ligatures: "Hôpital" → "Hopital", "œuvre" → "oeuvre". Case is kept. */
export function foldAccents(s: string): string {
  if (!HAS_NON_ASCII.test(s)) return s;
  return stripAccents(s)
    .replace(/œ/g, 'oe').replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae').replace(/Æ/g, 'AE')
    .normalize('NFC');
}

/** Lower case without accents, ligatures expanded: what PostgreSQL's unaccent does before the french stemmer. */
export function unaccent(s: string): string {
  return foldAccents(s).toLowerCase();
}

/** "Santé mentale & addictions" → "sante-mentale-addictions": ASCII letters and digits joined by hyphens. */
export function asciiSlug(s: string): string {
  return stripAccents(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// -- dates ------------------------------------------------------------------------------------------

/** Month names as printed, with and without accents, lower case → month number. */
const MONTHS: Readonly<Record<string, number>> = {
  janvier: 1, fevrier: 2, février: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7, aout: 8, août: 8,
  septembre: 9, octobre: 10, novembre: 11, decembre: 12, décembre: 12,
};

/** A regular-expression alternation of the month names above (for searching dates inside a text). */
export const FRENCH_MONTH_PATTERN = 'janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre';

/** "Décembre" → 12; undefined for anything else. */
export function frenchMonth(name: string): number | undefined {
  return MONTHS[name.toLowerCase()];
}

/**
 * A French date as printed ("Lundi 5 décembre 2022", "1er décembre", "21/11/22") → ISO date when the year is
 * known. `ok` says whether it is a real date (with any year when none is given).
 */
export function parseFrenchDate(text: string): { iso?: string; hasYear: boolean; ok: boolean } {
  const t = text.trim().toLowerCase();
  const pad = (n: number) => String(n).padStart(2, '0');
  const valid = (y: number, m: number, d: number) => {
    if (m < 1 || m > 12 || d < 1) return false;
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  };
  let m = /(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/.exec(t);
  if (m) {
    const d = Number(m[1]); const mo = Number(m[2]); let y = Number(m[3]);
    if (y < 100) y += 2000;
    if (!valid(y, mo, d)) return { hasYear: true, ok: false };
    return { iso: `${y}-${pad(mo)}-${pad(d)}`, hasYear: true, ok: true };
  }
  m = /(\d{1,2})(?:er)?\s+(\p{L}+)(?:\s+(\d{4}))?/u.exec(t);
  if (m) {
    const d = Number(m[1]);
    const mo = MONTHS[m[2] ?? ''];
    if (mo === undefined) return { hasYear: false, ok: false };
    if (!m[3]) return { hasYear: false, ok: valid(2000, mo, d) };
    const y = Number(m[3]);
    if (!valid(y, mo, d)) return { hasYear: true, ok: false };
    return { iso: `${y}-${pad(mo)}-${pad(d)}`, hasYear: true, ok: true };
  }
  return { hasYear: false, ok: false };
}

// -- stemming ---------------------------------------------------------------------------------------

/*
 * French Snowball stemmer (the algorithm of PostgreSQL's `french_stem` dictionary), memoised.
 *
 * Snowball keeps accents and treats them as letters: "médecins" → "médecin" but "medecins" → "medecin",
 * "prévention" → "prévent" but "prevention" → "prevent". `stem` returns the pure Snowball output
 * (lowercased input); `stemKey` folds accents *after* stemming so that accented and unaccented spellings
 * meet ("médecins", "medecin" → "medecin"). Folding after stemming (not before) keeps the suffix rules that
 * depend on "é"/"è" ("créée", "infirmière") working as designed. Search does the opposite on purpose
 * (unaccent, then stem: src/store/search-terms.ts), to match what PostgreSQL indexes.
 */
// createRequire: the package is CommonJS flagged `__esModule`, which makes default-import interop differ
// between loaders; requiring it is unambiguous. Loaded on first use: the package holds every language's
// stemmer, and the file-parsing worker (which folds accents but never stems) runs under a small heap ceiling.
let stemmer: ReturnType<SnowballFactory['newStemmer']> | undefined;
const frenchStemmer = () => (stemmer ??= (createRequire(import.meta.url)('snowball-stemmers') as SnowballFactory).newStemmer('french'));

const MAX_MEMO = 200_000;
let memo = new Map<string, string>();
let keyMemo = new Map<string, string>();

export function stem(token: string): string {
  const hit = memo.get(token);
  if (hit !== undefined) return hit;
  const s = frenchStemmer().stem(token.toLowerCase());
  if (memo.size >= MAX_MEMO) memo = new Map();
  memo.set(token, s);
  return s;
}

/** Accent-insensitive stem: `foldAccents(stem(token))`. This is what analysis `terms` uses. */
export function stemKey(token: string): string {
  const hit = keyMemo.get(token);
  if (hit !== undefined) return hit;
  const s = foldAccents(stem(token));
  if (keyMemo.size >= MAX_MEMO) keyMemo = new Map();
  keyMemo.set(token, s);
  return s;
}

// -- number agreement -------------------------------------------------------------------------------

/** French agreement: 0 and 1 (anything below 2) take the singular. */
export function pluralForm(n: number, one: string, many: string): string {
  return Math.abs(n) >= 2 ? many : one;
}

/** « 0 réunion », « 1 réunion », « 29 réunions », « 1 234 contributions » (the number written in French). */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('fr-FR')} ${pluralForm(n, one, many)}`;
}
