/**
 * Comparing two partitions of the same items: adjusted Rand index, normalised mutual information,
 * pairwise F1, and best-match agreement (Hungarian assignment on the contingency table).
 * Labels are any strings/numbers; `a[i]` and `b[i]` are the clusters of item i in each partition.
 */

type Label = string | number;

export interface Contingency {
  /** counts[r][c]: items in row-cluster r and column-cluster c */
  counts: number[][];
  rowSums: number[];
  colSums: number[];
  n: number;
}

export function contingency(a: readonly Label[], b: readonly Label[]): Contingency {
  if (a.length !== b.length) throw new Error('contingency: partitions differ in length');
  const ra = new Map<Label, number>(), cb = new Map<Label, number>();
  for (const x of a) if (!ra.has(x)) ra.set(x, ra.size);
  for (const x of b) if (!cb.has(x)) cb.set(x, cb.size);
  const counts = Array.from({ length: ra.size }, () => new Array<number>(cb.size).fill(0));
  for (let i = 0; i < a.length; i++) {
    const row = counts[ra.get(a[i] as Label) as number] as number[];
    const c = cb.get(b[i] as Label) as number;
    row[c] = (row[c] as number) + 1;
  }
  const rowSums = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = new Array<number>(cb.size).fill(0);
  for (const r of counts) r.forEach((v, j) => { colSums[j] = (colSums[j] as number) + v; });
  return { counts, rowSums, colSums, n: a.length };
}

const pairs = (x: number): number => (x * (x - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie). 1 = identical partitions, ~0 = chance; 1 when both are trivial and equal. */
export function adjustedRandIndex(a: readonly Label[], b: readonly Label[]): number {
  const t = contingency(a, b);
  if (t.n < 2) return 1;
  let sumComb = 0;
  for (const r of t.counts) for (const v of r) sumComb += pairs(v);
  const sumA = t.rowSums.reduce((s, v) => s + pairs(v), 0);
  const sumB = t.colSums.reduce((s, v) => s + pairs(v), 0);
  const expected = (sumA * sumB) / pairs(t.n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1; // both partitions all-singletons or one cluster: identical structure
  return (sumComb - expected) / (max - expected);
}

function entropy(sums: readonly number[], n: number): number {
  let h = 0;
  for (const s of sums) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

/** Mutual information (nats). */
export function mutualInformation(a: readonly Label[], b: readonly Label[]): number {
  const t = contingency(a, b);
  let mi = 0;
  t.counts.forEach((r, i) => r.forEach((v, j) => {
    if (v > 0) mi += (v / t.n) * Math.log((v * t.n) / ((t.rowSums[i] as number) * (t.colSums[j] as number)));
  }));
  return Math.max(0, mi);
}

/** NMI with the arithmetic-mean normalisation (scikit-learn's default). 1 when both partitions are trivial. */
export function normalizedMutualInformation(a: readonly Label[], b: readonly Label[]): number {
  const t = contingency(a, b);
  const ha = entropy(t.rowSums, t.n), hb = entropy(t.colSums, t.n);
  if (ha === 0 && hb === 0) return 1;
  const denom = (ha + hb) / 2;
  return denom === 0 ? 0 : mutualInformation(a, b) / denom;
}

export interface PairwiseScores { precision: number; recall: number; f1: number }

/**
 * Pairwise precision/recall/F1 of `pred` against `gold`: a pair of items is positive when they share a cluster.
 * Precision = pairs together in both / pairs together in pred; recall = … / pairs together in gold.
 */
export function pairwiseF1(gold: readonly Label[], pred: readonly Label[]): PairwiseScores {
  const t = contingency(gold, pred);
  let both = 0;
  for (const r of t.counts) for (const v of r) both += pairs(v);
  const g = t.rowSums.reduce((s, v) => s + pairs(v), 0);
  const p = t.colSums.reduce((s, v) => s + pairs(v), 0);
  const precision = p === 0 ? (g === 0 ? 1 : 0) : both / p;
  const recall = g === 0 ? (p === 0 ? 1 : 0) : both / g;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Hungarian algorithm (Kuhn–Munkres, O(n³)) on a rectangular profit matrix: returns, for each row, the column
 * assigned to it (or -1 when there are more rows than columns), maximising the total profit.
 */
export function hungarianMax(profit: readonly (readonly number[])[]): number[] {
  const rows = profit.length;
  const cols = rows === 0 ? 0 : Math.max(...profit.map((r) => r.length));
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  let maxV = 0;
  for (const r of profit) for (const v of r) if (v > maxV) maxV = v;
  // cost matrix (1-based, square), minimise maxV - profit
  const cost = (i: number, j: number): number => maxV - ((profit[i - 1]?.[j - 1]) ?? 0);
  const u = new Float64Array(n + 1), v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1), way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) { minv[j] = cur; way[j] = j0; }
        if ((minv[j] as number) < delta) { delta = minv[j] as number; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { u[p[j] as number] = (u[p[j] as number] as number) + delta; v[j] = (v[j] as number) - delta; }
        else minv[j] = (minv[j] as number) - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0] as number; p[j0] = p[j1] as number; j0 = j1; } while (j0 !== 0);
  }
  const out = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j] as number;
    if (i >= 1 && i <= rows && j <= cols) out[i - 1] = j - 1;
  }
  return out;
}

/**
 * Share of items that keep their cluster under the best one-to-one mapping between the clusters of `a` and `b`
 * (Hungarian on the contingency table). This is the "stability" figure between two runs.
 */
export function bestMatchAgreement(a: readonly Label[], b: readonly Label[]): number {
  if (a.length === 0) return 1;
  const t = contingency(a, b);
  const match = hungarianMax(t.counts);
  let kept = 0;
  match.forEach((j, i) => { if (j >= 0) kept += (t.counts[i] as number[])[j] as number; });
  return kept / t.n;
}
