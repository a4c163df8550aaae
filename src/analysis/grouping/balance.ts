/**
 * Top-level grouping of short, sparse texts: seeds chosen by shared stem phrases (in the spirit of suffix-tree
 * clustering / Lingo), a stability criterion for k over resamples (the compared alternative), and a
 * capacity-constrained assignment that keeps every group under a share of its scope, with an "others" label (-1)
 * for rows that share nothing with any group. Everything is linear in the non-zeros except the small k×n
 * similarity table; no randomness but seeded draws.
 */
import { centroidsOf, clusterRows, deriveSeed, finishFromSample, kmeans, pickSample, prng, rowDot, type ClusterOptions, type ClusterResult, type LocalMatrix } from './kmeans.ts';
import { adjustedRandIndex } from './metrics.ts';

/**
 * Default largest share of a scope that one top group may hold (issue 12). A group above it is allowed only when
 * its members "really say one thing": mean cosine to their centroid ≥ COHESIVE (near-identical texts: a
 * campaign, a single demand written many times). On the corpus, topical groups sit at 0.15–0.35.
 */
export const DEFAULT_CAP = 0.25;
export const COHESIVE = 0.6;
/** A capped group still holds at least this many rows (a share of a 12-text scope would be 3). */
export const CAP_FLOOR = 5;

export interface BalanceOptions {
  /** largest share of the rows per group (default DEFAULT_CAP); 1 = no cap */
  cap?: number;
  /** rows whose best similarity to every group is below this go to "others" (-1); undefined = never */
  othersBelow?: number;
  iterations?: number;
  /** a cohesive group (≥ COHESIVE) escapes the cap (default true; sub-ideas: false, a parent is one idea already) */
  cohesiveExempt?: boolean;
  /** smallest capacity of a group (default CAP_FLOOR) */
  floor?: number;
}

/** Mean cosine of rows to the normalised centroid of their group (rows labelled l). */
export function cohesion(x: LocalMatrix, labels: Int32Array, c: Float32Array, l: number): number {
  let s = 0, n = 0;
  for (let i = 0; i < x.n; i++) if (labels[i] === l) { s += rowDot(x, i, c, l * x.dim); n++; }
  return n ? s / n : 0;
}

/**
 * Assigns every row to its most similar centroid among those with room left (rows in order of their best
 * similarity, so the rows closest to a group take its places first), recomputes the centroids and repeats.
 * A group whose seed members are cohesive (≥ COHESIVE) has no cap. Returns labels (-1 = others) and centroids.
 */
export function balancedAssign(x: LocalMatrix, init: Float32Array, k: number, o: BalanceOptions = {}): { labels: Int32Array; centroids: Float32Array } {
  const n = x.n;
  const capShare = o.cap ?? DEFAULT_CAP;
  let c = init;
  let labels = new Int32Array(n).fill(-1);
  const sims = new Float32Array(n * k);
  const order = new Uint32Array(n);
  const best = new Float32Array(n);
  const iters = o.iterations ?? 6;
  const capN = capShare >= 1 ? n : Math.max(o.floor ?? CAP_FLOOR, Math.floor(capShare * n));
  const ob = o.othersBelow ?? -Infinity;
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < n; i++) {
      let b = -Infinity;
      for (let l = 0; l < k; l++) { const s = rowDot(x, i, c, l * x.dim); sims[i * k + l] = s; if (s > b) b = s; }
      best[i] = b; order[i] = i;
    }
    // capacity: a cohesive group (mean cosine of its current members to their centroid, from the table above)
    // is not capped
    const capacity = new Int32Array(k).fill(capN);
    if (it > 0 && o.cohesiveExempt !== false) {
      const sum = new Float64Array(k), cnt = new Int32Array(k);
      for (let i = 0; i < n; i++) { const l = labels[i] as number; if (l >= 0) { sum[l] = (sum[l] as number) + (sims[i * k + l] as number); cnt[l] = (cnt[l] as number) + 1; } }
      for (let l = 0; l < k; l++) if ((cnt[l] as number) > 0 && (sum[l] as number) / (cnt[l] as number) >= COHESIVE) capacity[l] = n;
    }
    order.sort((a, b) => (best[b] as number) - (best[a] as number) || a - b);
    const next = new Int32Array(n).fill(-1);
    for (const i of order) {
      if ((best[i] as number) < ob) continue;
      // the most similar group with room left (ties: the lowest), or none under the "others" threshold
      let placed = -1, ps = -Infinity;
      for (let l = 0; l < k; l++) {
        const s = sims[i * k + l] as number;
        if ((capacity[l] as number) > 0 && s >= ob && s > ps) { ps = s; placed = l; }
      }
      if (placed < 0 && o.othersBelow === undefined) { // no others at this level: overfill the best
        for (let l = 0; l < k; l++) if ((sims[i * k + l] as number) === best[i]) { placed = l; break; }
      }
      if (placed >= 0) { next[i] = placed; capacity[placed] = (capacity[placed] as number) - 1; }
    }
    let changed = false;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) { changed = true; break; }
    labels = next;
    c = centroidsOf(x, labels, k);
    if (!changed) break;
  }
  return { labels, centroids: c };
}

export interface PhraseOptions {
  kMax: number;
  /** largest share of the rows a seed phrase may cover (a phrase in most texts says nothing distinctive) */
  cap: number;
  /** smallest number of (not yet covered) rows a seed phrase needs (default max(2, 4 % of the rows)) */
  minSupport?: number;
}

/**
 * Phrase-seeded clustering (suffix-tree clustering in spirit, on stems and stem bigrams): every term shared by
 * enough rows is a base cluster; base clusters whose row sets overlap by more than half of each are merged
 * (while the union stays under the cap); then clusters are taken greedily by the TF-IDF weight they carry on the
 * rows not yet covered, until no cluster has `minSupport` uncovered rows or kMax are taken. The number of
 * groups is therefore how many distinct shared phrases the texts support — no silhouette needed.
 * Returns labels of the rows (-1 = no seed phrase) and k.
 */
export function phraseSeeds(x: LocalMatrix, o: PhraseOptions): { labels: Int32Array; k: number } {
  const n = x.n;
  const minSup = o.minSupport ?? Math.max(2, Math.ceil(0.04 * n));
  const maxDf = Math.max(minSup, Math.floor(o.cap * n));
  // postings per dimension
  const df = new Uint32Array(x.dim);
  for (let p = 0; p < (x.off[n] as number); p++) { const d = x.idx[p] as number; df[d] = (df[d] as number) + 1; }
  const start = new Uint32Array(x.dim + 1);
  for (let d = 0; d < x.dim; d++) start[d + 1] = (start[d] as number) + (df[d] as number);
  const postRow = new Uint32Array(x.off[n] as number), postVal = new Float32Array(x.off[n] as number);
  const fill = start.slice(0, x.dim);
  for (let i = 0; i < n; i++) for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) {
    const d = x.idx[p] as number, q = fill[d] as number; postRow[q] = i; postVal[q] = x.val[p] as number; fill[d] = q + 1;
  }
  const cands: { d: number; score: number }[] = [];
  for (let d = 0; d < x.dim; d++) {
    const f = df[d] as number;
    if (f < minSup || f > maxDf) continue;
    let s = 0; for (let q = start[d] as number; q < (start[d + 1] as number); q++) s += postVal[q] as number;
    cands.push({ d, score: s });
  }
  cands.sort((a, b) => b.score - a.score || a.d - b.d);
  const base = cands.slice(0, 200);
  const m = base.length;
  // STC merge: overlap > ½ of each, union within the cap
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i] as number] as number; i = parent[i] as number; } return i; };
  const members: Set<number>[] = base.map(({ d }) => new Set(Array.from(postRow.subarray(start[d] as number, start[d + 1] as number))));
  const mark = new Uint8Array(n);
  const pairs: { a: number; b: number; o: number }[] = [];
  for (let a = 0; a < m; a++) {
    const A = members[a] as Set<number>;
    for (const r of A) mark[r] = 1;
    for (let b = a + 1; b < m; b++) {
      const B = members[b] as Set<number>;
      let inter = 0; for (const r of B) inter += mark[r] as number;
      if (inter * 2 > A.size && inter * 2 > B.size) pairs.push({ a, b, o: inter / Math.max(A.size, B.size) });
    }
    for (const r of A) mark[r] = 0;
  }
  pairs.sort((p, q) => q.o - p.o || p.a - q.a || p.b - q.b);
  const docs = members.map((s) => new Set(s));
  for (const { a, b } of pairs) {
    const ra = find(a), rb = find(b);
    if (ra === rb) continue;
    const u = new Set([...(docs[ra] as Set<number>), ...(docs[rb] as Set<number>)]);
    if (u.size > maxDf) continue;
    const lo = Math.min(ra, rb), hi = Math.max(ra, rb);
    parent[hi] = lo; docs[lo] = u;
  }
  // components: rows and, per row, the weight of the component's terms in it
  const comp = new Map<number, Map<number, number>>();
  for (let a = 0; a < m; a++) {
    const r = find(a);
    let w = comp.get(r); if (!w) { w = new Map(); comp.set(r, w); }
    const d = (base[a] as { d: number }).d;
    for (let q = start[d] as number; q < (start[d + 1] as number); q++) w.set(postRow[q] as number, (w.get(postRow[q] as number) ?? 0) + (postVal[q] as number));
  }
  const compTerms = new Map<number, Set<number>>();
  for (let a = 0; a < m; a++) { const r = find(a); let t = compTerms.get(r); if (!t) { t = new Set(); compTerms.set(r, t); } t.add((base[a] as { d: number }).d); }
  const roots = [...comp.keys()].sort((p, q) => p - q);
  const comps = roots.map((r) => [...(comp.get(r) as Map<number, number>).entries()].sort((p, q) => p[0] - q[0]));
  // what the rows sharing a phrase have in common besides the phrase: a filler phrase ("dans notre commune")
  // joins texts that share nothing else, an idea's phrase joins texts that share more of their words
  const coh = roots.map((r, ci) => extraCohesion(x, (comps[ci] as [number, number][]).map(([row]) => row), compTerms.get(r) as Set<number>));
  const labels = new Int32Array(n).fill(-1);
  const used = new Uint8Array(comps.length);
  let k = 0;
  while (k < o.kMax) {
    let bi = -1, bg = 0;
    comps.forEach((w, ci) => {
      if (used[ci]) return;
      let g = 0, cnt = 0;
      for (const [r, v] of w) if (labels[r] === -1) { g += v; cnt++; }
      g *= coh[ci] as number;
      if (cnt >= minSup && g > bg) { bg = g; bi = ci; }
    });
    if (bi < 0) break;
    used[bi] = 1;
    for (const [r] of comps[bi] as [number, number][]) if (labels[r] === -1) labels[r] = k;
    k++;
  }
  return { labels, k };
}

/** Mean cosine of rows to their centroid once the dimensions `skip` are removed (rows re-normalised). */
function extraCohesion(x: LocalMatrix, rows: readonly number[], skip: Set<number>): number {
  const acc = new Map<number, number>();
  const norms: number[] = [];
  for (const i of rows) {
    let s2 = 0;
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) if (!skip.has(x.idx[p] as number)) s2 += (x.val[p] as number) ** 2;
    const nr = Math.sqrt(s2) || 1; norms.push(nr);
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) {
      const d = x.idx[p] as number; if (skip.has(d)) continue;
      acc.set(d, (acc.get(d) ?? 0) + (x.val[p] as number) / nr);
    }
  }
  let c2 = 0; for (const v of acc.values()) c2 += v * v;
  const cn = Math.sqrt(c2);
  if (cn === 0 || rows.length === 0) return 0;
  // Σ_i cos(row_i, centroid) = Σ_i row_i·C / |C| = |C|² / |C| = |C| (rows unit-norm): mean = |C| / n
  return cn / rows.length;
}

/**
 * Stability criterion for k: for each k, `resamples` draws of 80 % of the rows are clustered (spherical k-means
 * then the capped assignment) and the mean ARI between pairs of draws on their common rows is the score; the
 * most stable k wins (ties: the smaller). Returns k and its score.
 */
export function stableK(x: LocalMatrix, kMin: number, kMax: number, seed: number, cap: number, resamples = 4): { k: number; score: number } {
  let bestK = kMin, best = -Infinity;
  for (let k = kMin; k <= kMax; k++) {
    const runs: Int32Array[] = [];
    const rnd = prng(deriveSeed(seed, 'stable', k));
    for (let b = 0; b < resamples; b++) {
      const keep = Uint8Array.from({ length: x.n }, () => (rnd() < 0.8 ? 1 : 0));
      const rows: number[] = []; for (let i = 0; i < x.n; i++) if (keep[i]) rows.push(i);
      const sub = subRows(x, rows);
      if (sub.n < k * 2) continue;
      const km = kmeans(sub, k, prng(deriveSeed(seed, 'stable-run', k, b)));
      const bal = balancedAssign(sub, km.centroids, k, { cap });
      const full = new Int32Array(x.n).fill(-2);
      rows.forEach((r, j) => { full[r] = bal.labels[j] as number; });
      runs.push(full);
    }
    let s = 0, cnt = 0;
    for (let a = 0; a < runs.length; a++) for (let b = a + 1; b < runs.length; b++) {
      const la: number[] = [], lb: number[] = [];
      const A = runs[a] as Int32Array, B = runs[b] as Int32Array;
      for (let i = 0; i < x.n; i++) if (A[i] !== -2 && B[i] !== -2) { la.push(A[i] as number); lb.push(B[i] as number); }
      s += adjustedRandIndex(la, lb); cnt++;
    }
    const v = cnt ? s / cnt : -Infinity;
    if (v > best + 1e-9) { best = v; bestK = k; }
  }
  return { k: bestK, score: best };
}

function subRows(x: LocalMatrix, rows: readonly number[]): LocalMatrix {
  let nnz = 0;
  for (const i of rows) nnz += (x.off[i + 1] as number) - (x.off[i] as number);
  const off = new Uint32Array(rows.length + 1), idx = new Uint32Array(nnz), val = new Float32Array(nnz);
  let q = 0;
  rows.forEach((i, r) => {
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) { idx[q] = x.idx[p] as number; val[q] = x.val[p] as number; q++; }
    off[r + 1] = q;
  });
  return { n: rows.length, dim: x.dim, off, idx, val, globalDim: x.globalDim };
}

/** Mean cosine of all rows to their common centroid: the scope-level "one thing" test. */
export function scopeCohesion(x: LocalMatrix): number {
  const all = new Int32Array(x.n);
  return cohesion(x, all, centroidsOf(x, all, 1), 0);
}

/** How the number of top groups is chosen (compared in bench/quality/grouping.ts, see docs/decisions.md). */
export type Criterion = 'phrase' | 'stability' | 'silhouette';

export interface TopOptions extends Omit<ClusterOptions, 'finish'> {
  criterion?: Criterion;
  /** largest share of the scope per group (default DEFAULT_CAP) */
  cap?: number;
  /** rows below this cosine to every group go to "others" (default OTHERS_BELOW); null = never */
  othersBelow?: number | null;
}

/** Default similarity under which a row fits no group (it shares almost no weighted term with any); 0.02 beat 0.05 and 0.1 on Lot (dev). */
export const OTHERS_BELOW = 0.02;

/**
 * Clusters the rows of a scope under the size cap. Texts that "really say one thing" (scope cohesion ≥ COHESIVE)
 * stay one group. Labels -1 = "others". Deterministic for a seed (and the sample keys).
 */
export function clusterTop(x: LocalMatrix, o: TopOptions): ClusterResult {
  const cap = o.cap ?? DEFAULT_CAP;
  const ob = o.othersBelow === null ? undefined : o.othersBelow ?? OTHERS_BELOW;
  const finish = (xx: LocalMatrix, init: Float32Array, k: number) => balancedAssign(xx, init, k, { cap, ...(ob !== undefined ? { othersBelow: ob } : {}) });
  const n = x.n;
  const one = (): ClusterResult => ({ k: 1, labels: new Int32Array(n), centroids: centroidsOf(x, new Int32Array(n), 1), silhouette: null });
  if (n === 0) return { k: 0, labels: new Int32Array(0), centroids: new Float32Array(0), silhouette: null };
  const { criterion: _c, cap: _cap, othersBelow: _ob, ...rest } = o;
  if (o.k === 1) return one();
  if (o.k === undefined && scopeCohesion(x) >= COHESIVE) return one();
  // a scope too small for the cap (under two capped groups): the former clustering, uncapped
  if (o.k === undefined && n < 2 * CAP_FLOOR) return clusterRows(x, rest);
  const criterion = o.criterion ?? 'phrase';
  const kMax = o.k ?? o.kMax ?? 12;
  if (criterion === 'phrase') {
    const { rows, sub } = pickSample(x, o);
    const ps = phraseSeeds(sub, { kMax, cap });
    if (ps.k >= 2 && (o.k === undefined || ps.k === o.k)) return finishFromSample(x, rows, ps.labels, ps.k, { finish });
  } else if (criterion === 'stability' && o.k === undefined) {
    const { rows, sub } = pickSample(x, o);
    const kHi = Math.min(kMax, Math.max(2, Math.floor(sub.n / CAP_FLOOR)));
    const { k } = stableK(sub, 2, kHi, o.seed, cap);
    const km = kmeans(sub, k, prng(deriveSeed(o.seed, 'stable-final', k)));
    return finishFromSample(x, rows, km.labels, k, { finish });
  }
  // silhouette (the former criterion), and the fallback of the others when they find no structure or not the fixed k
  return clusterRows(x, { ...rest, kMax, finish });
}
