import { stem, unaccent } from '../text/french.ts';

export { unaccent };

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

/** The SQLite FTS5 MATCH expression of a query's terms (every term, exact), or undefined when it has none. */
export function ftsMatch(query: string): string | undefined {
  const terms = [...new Set(searchTerms(query))];
  return terms.length ? terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ') : undefined;
}

/**
 * The PostgreSQL tsquery of a query's terms, or undefined. Each term is already unaccented and stemmed;
 * plainto_tsquery would stem again, so the query is built from lexemes directly (exact matching, as FTS5).
 */
export function pgTsQuery(query: string): string | undefined {
  const terms = [...new Set(searchTerms(query))];
  const q = terms.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean).map((t) => `'${t}'`).join(' & ');
  return q || undefined;
}


/**
 * Where a text's words match a query's terms, by the same pipeline as the index (folded, stemmed): « installer »
 * marks « installation », « medecin » marks « Médecins ». Ranges [start, end) in UTF-16 units, in order.
 */
export function matchedSpans(text: string, terms: ReadonlySet<string>): [number, number][] {
  const out: [number, number][] = [];
  if (terms.size === 0) return out;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (searchTerms(m[0]).some((t) => terms.has(t))) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}
