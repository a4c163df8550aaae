/**
 * Text normalisation shared by every analysis step.
 *
 * `normalizeText` is meant for matching, not for display: it collapses all whitespace
 * (including line breaks) to single spaces. It never throws and is linear in the input length.
 */

// Apostrophe-like characters → ASCII apostrophe.
const APOSTROPHES = /[\u2019\u2018\u02BC\u02B9\u0060\u00B4\u2032\u2035\uFF07]/g;
// Double quotes and guillemets → ASCII double quote.
const QUOTES = /[\u00AB\u00BB\u201C\u201D\u201E\u201F\u2033\u2036\u2039\u203A\uFF02]/g;
// Hyphens and dashes → ASCII hyphen-minus.
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
// Removed outright: soft hyphen, zero-width characters, word joiner, BOM, lone surrogates.
const INVISIBLE = /[\u00AD\u200B\u200C\u200D\u2060\uFEFF]|\p{Cs}/gu;
// Control characters (C0 and C1) and private-use glyphs (PDF bullets such as U+F0B7, U+F0E0) → space.
const CONTROL_OR_PUA = /[\u0000-\u001F\u007F-\u009F\uE000-\uF8FF]/g;
const SPACES = /[\s\u00A0\u202F\u2007]+/g;

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

const COMBINING = /\p{M}+/gu;
const HAS_NON_ASCII = /[^\u0000-\u007F]/;

/** Removes diacritics and expands ligatures: "Hôpital" → "Hopital", "œuvre" → "oeuvre". Case is kept. */
export function foldAccents(s: string): string {
  if (!HAS_NON_ASCII.test(s)) return s;
  return s
    .normalize('NFD')
    .replace(COMBINING, '')
    .replace(/œ/g, 'oe').replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae').replace(/Æ/g, 'AE')
    .normalize('NFC');
}
