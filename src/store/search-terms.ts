import { stem } from '../analysis/text/stem.ts';

/** Lowercase and strip diacritics, as PostgreSQL's unaccent does before the french stemmer. */
export function unaccent(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

/**
 * Search terms of a text: the same pipeline as the PostgreSQL configuration `fabrique_fr`
 * (unaccent, then snowball french), so one query behaves alike on both databases. The order
 * differs from the analysis core's `stemKey` (stem, then fold) on purpose: search must match
 * what PostgreSQL indexes.
 */
export function searchTerms(text: string): string[] {
  const words = unaccent(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map(stem);
}
