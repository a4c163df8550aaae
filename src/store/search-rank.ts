/**
 * Relevance of full-text search results on SQLite: BM25 (k1 = 1.2, b = 0.75, the parameters of FTS5's bm25)
 * computed here over the candidates' stemmed terms. FTS5's own bm25() counts, for every query, each term's
 * whole doclist to get its document frequency: 15 ms for a word found in 270k of a million contributions,
 * the largest cost of a search. Document frequencies are counted on the index once and kept a minute (a
 * frequency a minute old changes no order that matters); the average length is the candidates' own.
 */
import { sql, type CompiledQuery } from 'kysely';
import type { DatabaseHandle } from './schema.ts';

/** What ranking needs of the store: its database and its read workers (see Store.readQuery). */
export interface ReadHandle extends DatabaseHandle { readQuery<T>(q: CompiledQuery): Promise<T[]> }

const K1 = 1.2;
const B = 0.75;
const FREQUENCY_TTL_MS = 60_000;

export interface Candidate { seq: number; terms: string }

/** Candidates ordered by BM25 score (best first), then by arrival order. */
export function rankCandidates(queryTerms: readonly string[], candidates: readonly Candidate[], frequency: ReadonlyMap<string, number>, totalDocs: number): number[] {
  const docs = candidates.map((c) => ({ seq: c.seq, tokens: c.terms ? c.terms.split(' ') : [] }));
  const avgdl = docs.reduce((n, d) => n + d.tokens.length, 0) / Math.max(1, docs.length) || 1;
  const idf = new Map(queryTerms.map((t) => {
    const n = frequency.get(t) ?? 0;
    return [t, Math.max(1e-6, Math.log((totalDocs - n + 0.5) / (n + 0.5) + 1))];
  }));
  const scored = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const tok of d.tokens) if (idf.has(tok)) tf.set(tok, (tf.get(tok) ?? 0) + 1);
    let score = 0;
    for (const [t, w] of idf) {
      const f = tf.get(t) ?? 0;
      if (f) score += w * (f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.tokens.length) / avgdl));
    }
    return { seq: d.seq, score };
  });
  return scored.sort((a, b) => b.score - a.score || a.seq - b.seq).map((s) => s.seq);
}

const cache = new WeakMap<ReadHandle, { frequencies: Map<string, { n: number; at: number }>; total?: { n: number; at: number } }>();

/** Document frequency of each term in the index and the number of contributions, cached a minute. */
export async function termFrequencies(store: ReadHandle, terms: readonly string[], now = Date.now()): Promise<{ frequency: Map<string, number>; totalDocs: number }> {
  let c = cache.get(store);
  if (!c) cache.set(store, (c = { frequencies: new Map() }));
  const entry = c;
  const frequency = new Map<string, number>();
  await Promise.all(terms.map(async (t) => {
    const hit = entry.frequencies.get(t);
    if (hit && now - hit.at < FREQUENCY_TTL_MS) return frequency.set(t, hit.n);
    const [row] = await store.readQuery<{ n: number }>(sql`SELECT count(*) AS n FROM contributions_fts WHERE contributions_fts MATCH ${`"${t.replace(/"/g, '""')}"`}`.compile(store.db));
    const n = Number(row?.n ?? 0);
    if (entry.frequencies.size > 10_000) entry.frequencies.clear();
    entry.frequencies.set(t, { n, at: now });
    frequency.set(t, n);
  }));
  if (!entry.total || now - entry.total.at >= FREQUENCY_TTL_MS) {
    // the highest arrival number: the count of contributions ever stored, cheap on the primary key
    const [row] = await store.readQuery<{ n: number | null }>(sql`SELECT max(seq) AS n FROM contributions`.compile(store.db));
    entry.total = { n: Number(row?.n ?? 0), at: now };
  }
  return { frequency, totalDocs: Math.max(entry.total.n, ...frequency.values()) };
}

/** The stemmed terms of the candidates (read on the read workers). */
export async function candidateTerms(store: ReadHandle, seqs: readonly number[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (let i = 0; i < seqs.length; i += 900) {
    const chunk = seqs.slice(i, i + 900);
    const rows = await store.readQuery<{ seq: number; search_terms: string | null }>(store.db.selectFrom('contributions')
      .select(['seq', 'search_terms']).where('seq', 'in', chunk).compile());
    for (const r of rows) out.push({ seq: Number(r.seq), terms: r.search_terms ?? '' });
  }
  return out;
}
