import { normalizeText } from '../../text/french.ts';

/** A token with its position in the *normalised* text (UTF-16 offsets, end exclusive). */
export interface TokenSpan {
  /** lowercased token */
  token: string;
  /** token as written (case kept) */
  surface: string;
  start: number;
  end: number;
}

/** Elided articles/pronouns/conjunctions split off the following word (lowercase, with apostrophe). */
export const ELISIONS: ReadonlySet<string> = new Set([
  "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "presqu'",
]);

/** Words that contain an apostrophe but are not elisions. */
const APOSTROPHE_WORDS: ReadonlySet<string> = new Set(["aujourd'hui", "prud'homme", "prud'hommes", "prud'homal", "presqu'île", "presqu'îles"]);

// Numbers (with decimal/thousand separators and an optional %), then words made of letters/digits joined by
// internal apostrophes or hyphens.
const TOKEN = /\d+(?:[.,]\d+)*%?|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu;

/**
 * Tokens of a text with their offsets in `normalizeText(s)`. Elisions are split
 * ("l'accès" → "l'", "accès"); "aujourd'hui" stays whole; hyphenated words stay whole
 * ("peut-être", "centre-ville"); acronyms are kept as tokens (lowercased in `token`, as written in `surface`).
 * Pass `normalized = true` when `s` is already the output of `normalizeText`.
 */
export function tokenSpans(s: string, normalized = false): TokenSpan[] {
  const text = normalized ? s : normalizeText(s);
  const out: TokenSpan[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    let surface = m[0];
    let start = m.index;
    // split successive elisions: "qu'aujourd'hui", "jusqu'à l'hôpital" (the latter has a space anyway)
    for (;;) {
      const apos = surface.indexOf("'");
      if (apos <= 0) break;
      const lower = surface.toLowerCase();
      if (APOSTROPHE_WORDS.has(lower) || APOSTROPHE_WORDS.has(lower.split('-')[0] ?? '')) break;
      const head = lower.slice(0, apos + 1);
      if (!ELISIONS.has(head)) break;
      out.push({ token: head, surface: surface.slice(0, apos + 1), start, end: start + apos + 1 });
      surface = surface.slice(apos + 1);
      start += apos + 1;
    }
    if (surface.length > 0) out.push({ token: surface.toLowerCase(), surface, start, end: start + surface.length });
  }
  return out;
}

/** Lowercased tokens of a text (see `tokenSpans`). */
export function tokenize(s: string): string[] {
  const text = normalizeText(s);
  const out: string[] = [];
  for (const t of tokenSpans(text, true)) out.push(t.token);
  return out;
}

/** True for a token written in capitals like an acronym ("SAS", "PDSA", "CPTS", "MSP2"). */
export function isAcronym(surface: string): boolean {
  return surface.length >= 2 && surface.length <= 8 && /^[\p{Lu}][\p{Lu}\p{N}]+$/u.test(surface) && /\p{Lu}.*\p{Lu}/u.test(surface);
}
