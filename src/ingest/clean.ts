/**
 * Text cleaning for documents extracted from PDFs (CNR Santé reports, restitution syntheses).
 *
 * Every function is pure, works on one string (or a few lines) and never throws. Parsers keep the
 * raw text beside the cleaned text: cleaning is for display and analysis, the raw span stays the
 * proof of provenance. Nothing here invents text: it only removes layout noise and rejoins what
 * the extraction split.
 */

/** Private-use bullet glyphs left by PDF extraction (Wingdings / Symbol fonts) and common bullets. */
const BULLET_GLYPHS = /[\uF0E0\uF0B7\uF0A7\uF0D8\uF076\uF0FC\u2022\u25AA\u25CF\u2023\u25E6]/g;

/** Remove private-use and common bullet glyphs anywhere in the string. */
export function stripBulletGlyphs(s: string): string {
  return s.replace(BULLET_GLYPHS, ' ');
}

/** True when the line starts (after spaces) with a bullet glyph. */
export function startsWithBulletGlyph(s: string): boolean {
  return /^\s*[\uF0E0\uF0B7\uF0A7\uF0D8\uF076\uF0FC\u2022\u25AA\u25CF\u2023\u25E6]/.test(s);
}

export type ApostropheStyle = 'typographic' | 'straight';

/**
 * Normalise apostrophes: the typographic ’ (default, the house style of the domain labels) or the
 * straight '. Only apostrophes between letters or after an elision letter are changed; the left
 * single quote and prime-like characters used as apostrophes are included.
 */
export function normalizeApostrophes(s: string, style: ApostropheStyle = 'typographic'): string {
  const target = style === 'typographic' ? '’' : "'";
  return s.replace(/(\p{L})['’‘`´ʼ](?=\p{L})/gu, `$1${target}`);
}

/** Collapse runs of whitespace to one space and trim. */
export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Default running headers/footers of the Nouvelle-Aquitaine CNR report. A running header is a whole
 * line; the page number at the end of the footer varies.
 */
export const RUNNING_HEADER_PATTERNS: readonly RegExp[] = Object.freeze([
  /^\s*Synthèses et comptes-rendus par département\s*$/u,
  /^\s*Synthèse des ateliers CNR Santé organisés\b.*?\d{1,3}\s*$/u,
]);

/** True when the whole line is a running header or footer (see RUNNING_HEADER_PATTERNS). */
export function isRunningHeader(line: string, patterns: readonly RegExp[] = RUNNING_HEADER_PATTERNS): boolean {
  if (line.length > 200) return false;
  return patterns.some((p) => p.test(line));
}

/**
 * Undo letter-spacing: "S y n t h è s e s  e t  c o m p t e s" → "Synthèses et comptes".
 * Only a line holding a run of at least 5 single characters separated by single spaces is touched;
 * in it, a double space separates words. Ordinary text is returned unchanged.
 */
export function collapseLetterSpacing(s: string): string {
  if (!/(?:^|\s)\S(?: \S){4,}(?:\s|$)/u.test(s)) return s;
  // words are separated by 2+ spaces in letter-spaced titles
  const parts = s.split(/ {2,}/);
  const out = parts.map((p) => {
    const m = /^(\s*)(\S(?: \S)+)(\s*)$/u.exec(p);
    return m ? `${m[1] ?? ''}${(m[2] ?? '').replace(/ /g, '')}${m[3] ?? ''}` : p;
  });
  return out.join(' ');
}

/** True when the line is letter-spaced ("S y n t h è s e"). */
export function isLetterSpaced(s: string): boolean {
  return /\S(?: \S){4,}/u.test(s.trim()) && collapseLetterSpacing(s) !== s;
}

/**
 * A count printed at the end of a line ("Il est difficile … 93") or alone on its line ("32").
 * Returns the text without the count. Numbers glued to a unit or a percentage are not counts.
 * `maxCount` guards against years and the like.
 */
export function splitTrailingCount(s: string, maxCount = 9999): { text: string; count?: number } {
  if (s.length > 4000) return { text: s.trimEnd() }; // keeps the regex linear on pathological lines
  const m = /^(.*?)(?:^|\s)(\d{1,3}(?: \d{3})?)\s*$/u.exec(s);
  if (!m) return { text: s.trimEnd() };
  const n = Number((m[2] ?? '').replace(/ /g, ''));
  if (!Number.isFinite(n) || n > maxCount) return { text: s.trimEnd() };
  return { text: (m[1] ?? '').trimEnd(), count: n };
}

/** True when the line holds only a count (digits, maybe with a thousands space). */
export function isCountOnly(s: string): boolean {
  return /^\s*\d{1,3}(?: \d{3})?\s*$/.test(s);
}

/**
 * Remove a stray straight double quote at the end of a field ("19H-22H\"", "… 1 CPTS\"") when the
 * text holds an odd number of them (a balanced pair is kept: it is a real quotation).
 */
export function stripStrayQuote(s: string): string {
  const t = s.trimEnd();
  if (!t.endsWith('"')) return s;
  const n = (t.match(/"/g) ?? []).length;
  if (n % 2 === 0) return s;
  return t.slice(0, -1).trimEnd();
}

/** Lower-case word tokens (letters only, accents kept). */
export function wordTokens(s: string): string[] {
  return s.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** Frequency of every lower-case word of a text: the vocabulary used to rejoin split words. */
export type Vocabulary = Map<string, number>;

export function buildVocabulary(text: string): Vocabulary {
  const v: Vocabulary = new Map();
  for (const w of wordTokens(text)) v.set(w, (v.get(w) ?? 0) + 1);
  return v;
}

/**
 * Rejoin words split by a spurious space ("C ognac", "médec in", "res titution", "co llectivités").
 *
 * Conservative rule, for two adjacent letter-only tokens a and b:
 *  - the joined form (lower-case) must occur at least `minJoined` times as a whole word in the
 *    vocabulary (i.e. elsewhere in the same document), and
 *  - at least one of a, b must not be a word of the document on its own: it occurs at most
 *    `maxFragment` times (typically only inside this very split) and is not a common short French
 *    word (de, en, fin, tout…).
 * So "en fin" is never turned into "enfin" (both are words), while "C ognac" becomes "Cognac" when
 * "Cognac" is written whole elsewhere.
 */
export function joinSplitWords(s: string, vocab: Vocabulary, opts: { minJoined?: number; maxFragment?: number } = {}): string {
  const minJoined = opts.minJoined ?? 2;
  const maxFragment = opts.maxFragment ?? 2;
  if (vocab.size === 0) return s;
  // walk the letter runs; a split is exactly one space between two letter runs
  const parts = s.split(/(\p{L}+)/u); // odd indexes are letter runs
  let out = parts[0] ?? '';
  let i = 1;
  while (i < parts.length) {
    const a = parts[i] ?? '';
    const sep = parts[i + 1] ?? '';
    const b = parts[i + 2];
    if (sep === ' ' && b !== undefined && shouldJoin(a, b, vocab, minJoined, maxFragment)) {
      // join and re-examine the joined run with the next one
      parts[i + 2] = a + b;
      i += 2;
      continue;
    }
    out += a + sep;
    i += 2;
  }
  return out;
}

/** Short French words that are never taken for a fragment of a split word, however rare. */
const COMMON_WORDS = new Set(('a à au aux ce ces cet de des du en et il ils la le les leur lui ma me mes mon ne ni nous on ou où par pas peu plus pour qui que sa se ses si son sur ta te tes ton tu un une vos vous y ' +
  'fin tout tous bien mais car donc non oui est sont ont lors dont sous sans vers chez entre avec').split(' '));

function isFragment(w: string, vocab: Vocabulary, maxFragment: number): boolean {
  const lw = w.toLowerCase();
  return !COMMON_WORDS.has(lw) && (vocab.get(lw) ?? 0) <= maxFragment;
}

function shouldJoin(a: string, b: string, vocab: Vocabulary, minJoined: number, maxFragment: number): boolean {
  const joined = (a + b).toLowerCase();
  if ((vocab.get(joined) ?? 0) < minJoined) return false;
  // a capitalised second part starts a new word ("de Cognac"): never join
  if (/^\p{Lu}/u.test(b) && !/^\p{Lu}+$/u.test(b)) return false;
  return isFragment(a, vocab, maxFragment) || isFragment(b, vocab, maxFragment);
}

/** Rejoin a word hyphenated across a line break ("para -" + "médicaux" → "para-médicaux"). */
function joinPair(prev: string, next: string): string {
  if (/\p{L} ?-$/u.test(prev) && /^\p{Ll}/u.test(next)) return prev.replace(/ ?-$/u, '-') + next;
  return `${prev} ${next}`;
}

/**
 * Join the physical lines of one item (wrapped lines, blank lines inside the item) into one line
 * of text. Leading list markers are not removed here (see stripListMarker).
 */
export function joinWrappedLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const l = raw.trim();
    if (l === '') continue;
    out = out === '' ? l : joinPair(out, l);
  }
  return out;
}

/** Remove a leading list marker: bullet glyph, "- ", "– ", "• ". Numbered markers ("1. ") are kept. */
export function stripListMarker(s: string): string {
  return s.replace(/^\s*(?:[-–—•▪]\s+|[\uF0E0\uF0B7\uF0A7\uF0D8\uF076\uF0FC]\s*)/u, '');
}

/**
 * Full cleaning of one item made of several raw lines: joins wrapped lines, removes bullet glyphs
 * and list markers, letter spacing, stray quotes, normalises apostrophes and spaces, and rejoins
 * split words with the document vocabulary (when given).
 */
export function cleanItem(lines: readonly string[], vocab?: Vocabulary, style: ApostropheStyle = 'typographic'): string {
  let s = joinWrappedLines(lines.map((l) => collapseLetterSpacing(l)));
  s = stripListMarker(s);
  s = stripBulletGlyphs(s);
  s = collapseSpaces(s);
  s = stripStrayQuote(s);
  s = normalizeApostrophes(s, style);
  if (vocab) s = joinSplitWords(s, vocab);
  // a space before closing punctuation left by the extraction: "pharmacien , au" → "pharmacien, au"
  s = s.replace(/ +([,.)])/g, '$1');
  return collapseSpaces(s);
}

/** Cleaning of a single line (heading, field value). */
export function cleanLine(line: string, vocab?: Vocabulary, style: ApostropheStyle = 'typographic'): string {
  return cleanItem([line], vocab, style);
}

/**
 * Key for comparing a cleaned text with its raw source: no whitespace, apostrophes unified,
 * stray quotes, bullet glyphs and list dashes dropped. Used by provenance checks.
 */
export function squashForComparison(s: string): string {
  return s
    .replace(BULLET_GLYPHS, '')
    .replace(/['’‘`´ʼ]/g, "'")
    .replace(/["\s]/g, '')
    .toLowerCase();
}
