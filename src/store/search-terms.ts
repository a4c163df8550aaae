import snowball from 'snowball-stemmers';

const stemmer = snowball.newStemmer('french');
const cache = new Map<string, string>();

/** Lowercase and strip diacritics, as PostgreSQL's unaccent does before the french stemmer. */
export function unaccent(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

function stemWord(word: string): string {
  let s = cache.get(word);
  if (s === undefined) {
    s = stemmer.stem(word);
    if (cache.size < 200_000) cache.set(word, s);
  }
  return s;
}

/**
 * Search terms of a text: the same pipeline as the PostgreSQL configuration `fabrique_fr`
 * (unaccent, then snowball french), so one query behaves alike on both databases.
 */
export function searchTerms(text: string): string[] {
  const words = unaccent(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map(stemWord);
}
