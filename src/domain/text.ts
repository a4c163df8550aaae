/**
 * Free text typed or imported by people: one cleaning rule for every channel (form, workshop
 * reports, imports, the store's writes) and one way to count characters, shared with the web form.
 * Pure functions, no I/O.
 */

// NUL and the other C0 control characters except tab and newline (CR is normalised first), and DEL.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_CLEANING = /[\u0000-\u0008\u000B-\u001F\u007F\uD800-\uDFFF]/;

/**
 * The text as stored: line ends become \n, control characters other than tab and newline are
 * removed, lone surrogates (invalid UTF-16, which neither database can store as such) become U+FFFD.
 * Idempotent, and cheap when there is nothing to clean.
 */
export function sanitizeText(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  return s.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

// Whitespace, format characters (zero-width space/joiners, BOM, bidi marks, soft hyphen…), controls
// and the blank-looking letters (Hangul fillers, braille blank) that render as nothing.
const INVISIBLE = /^[\s\p{Cf}\p{Cc}\p{Z}\u115F\u1160\u3164\uFFA0\u2800\u034F]*$/u;

/** True when the text shows nothing on screen: empty, spaces, zero-width or other invisible characters only. */
export function isInvisibleText(s: string): boolean {
  return INVISIBLE.test(s);
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Length as people see it: grapheme clusters (an emoji, a letter with combining accents, a flag
 * count as one). The web form's counter and the server's limits use this same function.
 */
export function visibleLength(s: string): number {
  // ASCII-only text: one unit, one character (the common case, no segmentation needed)
  if (/^[\x00-\x7F]*$/.test(s)) return s.length;
  segmenter ??= new Intl.Segmenter('fr', { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}
