/**
 * Clustering core: spherical k-means (cosine) with k-means++ seeding, consensus over several runs
 * (co-association + average-linkage agglomeration on a sample), automatic k by silhouette, and a final
 * Lloyd refinement on every row. Everything is driven by a seeded PRNG: same input + same seed → same output.
 */
import type { CsrMatrix } from './matrix.ts';

import { mulberry32 as prng } from '../random.ts';

export { prng };

/** A seed derived from a seed and labels (FNV-1a mix): independent streams per theme / group / run. */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    h ^= 0xff; h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Rows of a subset, re-indexed on the dimensions they use (small dense centroids for small subsets). */
export interface LocalMatrix {
  n: number;
  dim: number;
  off: Uint32Array;
  idx: Uint32Array;
  val: Float32Array;
  /** local dimension → global dimension */
  globalDim: Uint32Array;
}

export function localMatrix(m: CsrMatrix, rows: ArrayLike<number>): LocalMatrix {
  let nnz = 0;
  for (let r = 0; r < rows.length; r++) { const i = rows[r] as number; nnz += (m.offsets[i + 1] as number) - (m.offsets[i] as number); }
  const off = new Uint32Array(rows.length + 1);
  const idx = new Uint32Array(nnz);
  const val = new Float32Array(nnz);
  const map = new Map<number, number>();
  const globals: number[] = [];
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] as number;
    for (let p = m.offsets[i] as number; p < (m.offsets[i + 1] as number); p++) {
      const g = m.indices[p] as number;
      let l = map.get(g);
      if (l === undefined) { l = globals.length; map.set(g, l); globals.push(g); }
      idx[k] = l; val[k] = m.values[p] as number; k++;
    }
    off[r + 1] = k;
  }
  return { n: rows.length, dim: globals.length, off, idx, val, globalDim: Uint32Array.from(globals) };
}

function subLocal(x: LocalMatrix, rows: ArrayLike<number>): LocalMatrix {
  let nnz = 0;
  for (let r = 0; r < rows.length; r++) { const i = rows[r] as number; nnz += (x.off[i + 1] as number) - (x.off[i] as number); }
  const off = new Uint32Array(rows.length + 1);
  const idx = new Uint32Array(nnz), val = new Float32Array(nnz);
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] as number;
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) { idx[k] = x.idx[p] as number; val[k] = x.val[p] as number; k++; }
    off[r + 1] = k;
  }
  return { n: rows.length, dim: x.dim, off, idx, val, globalDim: x.globalDim };
}

function rowDot(x: LocalMatrix, i: number, dense: Float32Array, base: number): number {
  let s = 0;
  for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) s += (x.val[p] as number) * (dense[base + (x.idx[p] as number)] as number);
  return s;
}

function rowRowDot(x: LocalMatrix, i: number, j: number, scratch: Float32Array): number {
  for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) scratch[x.idx[p] as number] = x.val[p] as number;
  const s = rowDot(x, j, scratch, 0);
  for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) scratch[x.idx[p] as number] = 0;
  return s;
}

/** Spherical centroids (L2-normalised sums) of the rows of each cluster; clusters without rows stay zero. */
export function centroidsOf(x: LocalMatrix, labels: Int32Array, k: number): Float32Array {
  const c = new Float32Array(k * x.dim);
  for (let i = 0; i < x.n; i++) {
    const l = labels[i] as number;
    if (l < 0) continue;
    const base = l * x.dim;
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) { const d = base + (x.idx[p] as number); c[d] = (c[d] as number) + (x.val[p] as number); }
  }
  for (let l = 0; l < k; l++) {
    let s = 0;
    for (let d = l * x.dim; d < (l + 1) * x.dim; d++) s += (c[d] as number) ** 2;
    if (s > 0) { const nr = Math.sqrt(s); for (let d = l * x.dim; d < (l + 1) * x.dim; d++) c[d] = (c[d] as number) / nr; }
  }
  return c;
}

export interface KmeansResult {
  labels: Int32Array;
  centroids: Float32Array;
  /** Σ cosine(row, its centroid): higher is better */
  objective: number;
}

/** Assigns rows to the most similar centroid (ties: lowest cluster). Returns the objective. */
function assign(x: LocalMatrix, c: Float32Array, k: number, labels: Int32Array, sims?: Float32Array): number {
  let obj = 0;
  for (let i = 0; i < x.n; i++) {
    let best = -Infinity, bl = 0;
    for (let l = 0; l < k; l++) { const s = rowDot(x, i, c, l * x.dim); if (s > best) { best = s; bl = l; } }
    labels[i] = bl;
    if (sims) sims[i] = best;
    obj += best;
  }
  return obj;
}

/** Lloyd iterations from given centroids; an emptied cluster is re-seeded with the row farthest from its centroid. */
export function lloyd(x: LocalMatrix, k: number, init: Float32Array, maxIter = 30): KmeansResult {
  let c = init;
  const labels = new Int32Array(x.n).fill(-1);
  const next = new Int32Array(x.n);
  const sims = new Float32Array(x.n);
  let obj = 0;
  for (let it = 0; it < maxIter; it++) {
    obj = assign(x, c, k, next, sims);
    // re-seed empty clusters deterministically
    const size = new Int32Array(k);
    for (let i = 0; i < x.n; i++) { const l = next[i] as number; size[l] = (size[l] as number) + 1; }
    for (let l = 0; l < k; l++) {
      if (size[l] !== 0 || x.n < k) continue;
      let worst = -1, ws = Infinity;
      for (let i = 0; i < x.n; i++) if ((size[next[i] as number] as number) > 1 && (sims[i] as number) < ws) { ws = sims[i] as number; worst = i; }
      if (worst < 0) break;
      { const o = next[worst] as number; size[o] = (size[o] as number) - 1; } next[worst] = l; size[l] = 1; sims[worst] = 1;
    }
    let changed = false;
    for (let i = 0; i < x.n; i++) if (next[i] !== labels[i]) { changed = true; break; }
    labels.set(next);
    if (!changed) break;
    c = centroidsOf(x, labels, k);
  }
  c = centroidsOf(x, labels, k);
  return { labels, centroids: c, objective: obj };
}

/** k-means++ seeding (D² sampling on cosine distance). Zero rows must not be passed. */
export function kmeansPlusPlus(x: LocalMatrix, k: number, rnd: () => number): Float32Array {
  const c = new Float32Array(k * x.dim);
  const best = new Float64Array(x.n).fill(-Infinity); // best similarity to a chosen centre
  let pick = Math.floor(rnd() * x.n);
  for (let l = 0; l < k; l++) {
    for (let p = x.off[pick] as number; p < (x.off[pick + 1] as number); p++) c[l * x.dim + (x.idx[p] as number)] = x.val[p] as number;
    let total = 0;
    const w = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) {
      const s = rowDot(x, i, c, l * x.dim);
      if (s > (best[i] as number)) best[i] = s;
      const d = Math.max(0, 1 - (best[i] as number));
      w[i] = d * d; total += d * d;
    }
    if (l + 1 === k) break;
    if (total <= 0) { pick = Math.floor(rnd() * x.n); continue; }
    let r = rnd() * total;
    pick = x.n - 1;
    for (let i = 0; i < x.n; i++) { r -= w[i] as number; if (r <= 0) { pick = i; break; } }
  }
  return c;
}

export function kmeans(x: LocalMatrix, k: number, rnd: () => number, maxIter = 30): KmeansResult {
  return lloyd(x, k, kmeansPlusPlus(x, k, rnd), maxIter);
}

/**
 * Average-linkage agglomerative clustering (nearest-neighbour chain, O(n²) time and memory) on a full
 * symmetric distance matrix. Returns merges (a, b, height) sorted by height (stable).
 */
export function averageLinkage(dist: Float64Array, n: number): { a: number; b: number; h: number }[] {
  const d = dist; // modified in place
  const active = new Uint8Array(n).fill(1);
  const size = new Float64Array(n).fill(1);
  const merges: { a: number; b: number; h: number }[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) { for (let i = 0; i < n; i++) if (active[i]) { chain.push(i); break; } }
    const a = chain[chain.length - 1] as number;
    const prev = chain.length >= 2 ? (chain[chain.length - 2] as number) : -1;
    let b = -1, bd = Infinity;
    if (prev >= 0) { b = prev; bd = d[a * n + prev] as number; }
    for (let j = 0; j < n; j++) {
      if (!active[j] || j === a) continue;
      const v = d[a * n + j] as number;
      if (v < bd) { bd = v; b = j; }
    }
    if (b === prev && prev >= 0) {
      chain.pop(); chain.pop();
      const lo = Math.min(a, b), hi = Math.max(a, b);
      merges.push({ a: lo, b: hi, h: bd });
      const sa = size[lo] as number, sb = size[hi] as number;
      for (let j = 0; j < n; j++) {
        if (!active[j] || j === lo || j === hi) continue;
        const v = (sa * (d[lo * n + j] as number) + sb * (d[hi * n + j] as number)) / (sa + sb);
        d[lo * n + j] = v; d[j * n + lo] = v;
      }
      active[hi] = 0; size[lo] = sa + sb; remaining--;
    } else chain.push(b);
  }
  return merges.map((m, i) => ({ ...m, i })).sort((x, y) => x.h - y.h || x.i - y.i).map(({ a, b, h }) => ({ a, b, h }));
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) { parent[i] = parent[parent[i] as number] as number; i = parent[i] as number; }
  return i;
}

/** Cut a dendrogram into `c` clusters; labels are 0.. in order of first row. */
export function cutTree(merges: readonly { a: number; b: number }[], n: number, c: number): Int32Array {
  const parent = new Int32Array(n).map((_, i) => i);
  for (let m = 0; m < Math.max(0, n - c) && m < merges.length; m++) {
    const x = merges[m] as { a: number; b: number };
    const ra = find(parent, x.a), rb = find(parent, x.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) { const r = find(parent, i); let l = ids.get(r); if (l === undefined) { l = ids.size; ids.set(r, l); } labels[i] = l; }
  return labels;
}

/**
 * From a dendrogram, the k largest clusters at the shallowest cut that has k clusters of at least `minSize`
 * rows; rows of smaller clusters get -1 (they are assigned to the nearest centroid later).
 */
export function cutBig(merges: readonly { a: number; b: number }[], n: number, k: number, minSize: number): Int32Array {
  for (let c = k; c <= n; c++) {
    const labels = cutTree(merges, n, c);
    const size = new Map<number, number>();
    for (const l of labels) size.set(l, (size.get(l) ?? 0) + 1);
    const big = [...size.entries()].filter(([, s]) => s >= minSize);
    if (big.length >= k || c === n) {
      const keep = big.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k).map(([l]) => l);
      const remap = new Map(keep.map((l, i) => [l, i]));
      return labels.map((l) => remap.get(l) ?? -1);
    }
  }
  return new Int32Array(n).fill(-1);
}

/** Pairwise cosine similarities of the rows (rows are L2-normalised), full n×n. */
export function similarityMatrix(x: LocalMatrix): Float32Array {
  const s = new Float32Array(x.n * x.n);
  const scratch = new Float32Array(x.dim);
  for (let i = 0; i < x.n; i++) {
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) scratch[x.idx[p] as number] = x.val[p] as number;
    for (let j = i; j < x.n; j++) { const v = rowDot(x, j, scratch, 0); s[i * x.n + j] = v; s[j * x.n + i] = v; }
    for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) scratch[x.idx[p] as number] = 0;
  }
  return s;
}

/** Mean silhouette (cosine distance) of a labelling, given the similarity matrix. Rows labelled -1 are ignored. */
export function silhouette(sim: Float32Array, n: number, labels: Int32Array, k: number): number {
  const size = new Float64Array(k);
  for (const l of labels) if (l >= 0) size[l] = (size[l] as number) + 1;
  let total = 0, counted = 0;
  const sum = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const li = labels[i] as number;
    if (li < 0) continue;
    sum.fill(0);
    for (let j = 0; j < n; j++) { const lj = labels[j] as number; if (lj >= 0 && j !== i) sum[lj] = (sum[lj] as number) + 1 - (sim[i * n + j] as number); }
    counted++;
    if ((size[li] as number) <= 1) continue; // silhouette 0 for singletons
    const a = (sum[li] as number) / ((size[li] as number) - 1);
    let b = Infinity;
    for (let l = 0; l < k; l++) if (l !== li && (size[l] as number) > 0) b = Math.min(b, (sum[l] as number) / (size[l] as number));
    if (!Number.isFinite(b)) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return counted ? total / counted : 0;
}

export interface ClusterOptions {
  seed: number;
  /**
   * fixed number of clusters; otherwise chosen in [kMin, min(kMax, √(n/2))] by the silhouette (cosine) of the
   * sample's partition (silhouette alone keeps growing with k on short texts, hence the √(n/2) cap)
   */
  k?: number;
  kMin?: number;
  kMax?: number;
  /** k-means runs combined by consensus (default 12) */
  runs?: number;
  /** rows used for consensus and the choice of k (default 2000) */
  sample?: number;
  /**
   * one key per row: when given, the sample is the rows with the smallest keys (ties by row) instead of a seeded
   * draw — with keys hashed from contribution ids, the sample (hence the grouping) does not depend on the seed
   * and mostly survives the addition of new contributions
   */
  sampleKeys?: Uint32Array;
  /**
   * 'agglomerative' (default): average linkage on the cosine distances of the sample — no randomness but the
   * sample itself, hence stable across seeds; 'consensus': co-association of `runs` k-means++ runs cut by average
   * linkage (on the corpus, 60 runs still keep only 61–71% of contributions in their group across seeds).
   */
  method?: 'consensus' | 'agglomerative';
  /** Lloyd iterations on all rows after the consensus (default 15) */
  refineIter?: number;
  /**
   * replaces the final Lloyd refinement on every row (e.g. the capped assignment of balance.ts); labels may be -1
   * (rows left to "others")
   */
  finish?: (x: LocalMatrix, init: Float32Array, k: number) => { labels: Int32Array; centroids: Float32Array };
}

export interface ClusterResult {
  k: number;
  labels: Int32Array;
  /** centroids in the local dimension space of `x` */
  centroids: Float32Array;
  silhouette: number | null;
}

/** The rows clustered in detail: all up to `sample`, else the smallest `sampleKeys`, else a seeded draw. */
export function pickSample(x: LocalMatrix, o: Pick<ClusterOptions, 'seed' | 'sample' | 'sampleKeys'>): { rows: Uint32Array; sub: LocalMatrix } {
  const n = x.n;
  const size = o.sample ?? 2000;
  let sIdx: Uint32Array;
  if (o.sampleKeys && n > size) {
    const keys = o.sampleKeys;
    sIdx = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b).slice(0, size).sort();
  } else sIdx = sampleRows(n, size, prng(deriveSeed(o.seed, 'sample')));
  return { rows: sIdx, sub: subLocal(x, sIdx) };
}

function sampleRows(n: number, size: number, rnd: () => number): Uint32Array {
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  for (let i = 0; i < size; i++) { const j = i + Math.floor(rnd() * (n - i)); const t = all[i] as number; all[i] = all[j] as number; all[j] = t; }
  return all.slice(0, size).sort();
}

/** Consensus labelling of the sample for a given k: `runs` k-means runs → co-association → average linkage. */
function consensus(s: LocalMatrix, k: number, runs: number, seed: number, method: 'consensus' | 'agglomerative' = 'consensus', sim?: Float32Array): Int32Array {
  const n = s.n;
  if (method === 'agglomerative') {
    const sm = sim ?? similarityMatrix(s);
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) dist[i] = 1 - (sm[i] as number);
    return cutBig(averageLinkage(dist, n), n, k, Math.max(2, Math.floor(n * 0.01)));
  }
  const co = new Uint16Array(n * n);
  for (let r = 0; r < runs; r++) {
    const res = kmeans(s, k, prng(deriveSeed(seed, 'run', k, r)));
    const members: number[][] = Array.from({ length: k }, () => []);
    res.labels.forEach((l, i) => (members[l] as number[]).push(i));
    for (const m of members) for (const i of m) for (const j of m) co[i * n + j] = (co[i * n + j] as number) + 1;
  }
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) dist[i] = 1 - (co[i] as number) / runs;
  const merges = averageLinkage(dist, n);
  return cutBig(merges, n, k, Math.max(2, Math.floor(n * 0.01)));
}

/**
 * Clusters the rows of `x` (no zero rows). Deterministic for a given seed: a seeded sample (all rows up to
 * `sample`) is clustered by average linkage (ties by index; or by consensus of k-means++ runs), the k largest
 * clusters of at least 1% of the sample seed spherical k-means (Lloyd) on every row.
 */
export function clusterRows(x: LocalMatrix, o: ClusterOptions): ClusterResult {
  const n = x.n;
  const runs = o.runs ?? 12;
  if (n === 0) return { k: 0, labels: new Int32Array(0), centroids: new Float32Array(0), silhouette: null };
  const { rows: sIdx, sub: s } = pickSample(x, o);
  let k: number;
  let sampleLabels: Int32Array;
  let sil: number | null = null;
  if (o.k !== undefined) {
    k = Math.max(1, Math.min(o.k, n));
    sampleLabels = k === 1 ? new Int32Array(s.n) : consensus(s, k, runs, o.seed, o.method ?? 'agglomerative');
  } else {
    const kMin = Math.max(2, o.kMin ?? 2);
    const kMax = Math.min(o.kMax ?? 10, Math.max(2, Math.round(Math.sqrt(n / 2))), Math.floor(n / 2));
    if (kMax < kMin) {
      k = 1; sampleLabels = new Int32Array(s.n);
    } else {
      const sim = similarityMatrix(s);
      // agglomerative: one dendrogram for every k
      let merges: { a: number; b: number; h: number }[] | null = null;
      if ((o.method ?? 'agglomerative') === 'agglomerative') {
        const dist = new Float64Array(s.n * s.n);
        for (let i = 0; i < dist.length; i++) dist[i] = 1 - (sim[i] as number);
        merges = averageLinkage(dist, s.n);
      }
      k = kMin; sampleLabels = new Int32Array(s.n); let best = -Infinity;
      for (let kk = kMin; kk <= kMax; kk++) {
        const lab = merges ? cutBig(merges, s.n, kk, Math.max(2, Math.floor(s.n * 0.01))) : consensus(s, kk, runs, o.seed, 'consensus', sim);
        const v = silhouette(sim, s.n, lab, kk);
        if (v > best + 1e-9) { best = v; k = kk; sampleLabels = lab; }
      }
      sil = best;
    }
  }
  if (k === 1) return { k: 1, labels: new Int32Array(n), centroids: centroidsOf(x, new Int32Array(n), 1), silhouette: sil };
  return finishFromSample(x, sIdx, sampleLabels, k, o, sil);
}

/** Seeds centroids from labelled sample rows (-1 = none), then refines on every row (Lloyd, or `o.finish`). */
export function finishFromSample(x: LocalMatrix, sIdx: Uint32Array, sampleLabels: Int32Array, k: number, o: Pick<ClusterOptions, 'finish' | 'refineIter'>, sil: number | null = null): ClusterResult {
  const n = x.n;
  // seed centroids from the consensus clusters of the sample, then refine on every row
  const full = new Int32Array(n).fill(-1);
  sIdx.forEach((r, i) => { full[r] = sampleLabels[i] as number; });
  const init = centroidsOf(x, full, k);
  const res = o.finish ? o.finish(x, init, k) : lloyd(x, k, init, o.refineIter ?? 15);
  return { k, labels: res.labels, centroids: res.centroids, silhouette: sil };
}

/** Row dot product helpers re-exported for the model (central members, quotes). */
export { rowDot, rowRowDot };
