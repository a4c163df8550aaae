import { foldAccents, isAcronym, isStopword, normalizeText, stemKey, tokenSpans } from '../text/index.ts';

/**
 * Words of a text for linking: every word keeps its place (for the long shared passages, where articles count),
 * content words carry their stem (what the lexical match compares). Hyphenated words are split into their parts
 * as the analysis terms are (« ville-hôpital » → ville, hôpital), so both renderings of a compound meet.
 */
export interface Word {
  /** as written in the normalised text */
  surface: string;
  /** accent-folded Snowball stem (acronyms up to 5 letters: lowercased, not stemmed); stopwords: folded lowercase */
  key: string;
  content: boolean;
  /** offsets in the normalised text, end exclusive */
  start: number;
  end: number;
}

const LETTER = /\p{L}/u;

export function words(text: string): { norm: string; words: Word[] } {
  const norm = normalizeText(text);
  const out: Word[] = [];
  for (const t of tokenSpans(norm, true)) {
    if (!LETTER.test(t.token)) continue; // numbers and dates: never what a proposal and an objective share in substance
    if (t.token.endsWith("'")) {
      out.push({ surface: t.surface, key: foldAccents(t.token), content: false, start: t.start, end: t.end });
      continue;
    }
    let offset = t.start;
    for (const part of t.surface.split('-')) {
      const start = offset;
      offset += part.length + 1;
      if (part.length === 0) continue;
      const lower = part.toLowerCase();
      const folded = foldAccents(lower);
      const stop = folded.length < 2 || isStopword(folded);
      const key = stop ? folded : isAcronym(part) && part.length <= 5 ? folded : stemKey(lower);
      out.push({ surface: part, key, content: !stop, start, end: start + part.length });
    }
  }
  return { norm, words: out };
}

/** Content stems of a text, in order (the lexicon's forms are matched on these). */
export function contentStems(text: string): string[] {
  return words(text).words.filter((w) => w.content).map((w) => w.key);
}
