/**
 * Sparse vectors: parallel typed arrays, indices strictly increasing. No per-entry objects.
 */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

export const EMPTY_VECTOR: SparseVector = Object.freeze({ indices: new Uint32Array(0), values: new Float32Array(0) }) as SparseVector;

export function sparseVector(indices: ArrayLike<number>, values: ArrayLike<number>): SparseVector {
  if (indices.length !== values.length) throw new Error('sparseVector: indices and values differ in length');
  const n = indices.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (indices[a] as number) - (indices[b] as number));
  const idx = new Uint32Array(n);
  const val = new Float32Array(n);
  let k = 0;
  for (const i of order) {
    const j = indices[i] as number;
    if (k > 0 && idx[k - 1] === j) { val[k - 1] = (val[k - 1] as number) + (values[i] as number); continue; }
    idx[k] = j; val[k] = values[i] as number; k++;
  }
  return { indices: idx.subarray(0, k), values: val.subarray(0, k) };
}

/**
 * Counts of ids as a sparse vector. `ids` is sorted in place (pass a scratch copy if you need it).
 */
export function countIds(ids: Uint32Array): SparseVector {
  ids.sort();
  let distinct = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) distinct++;
  const idx = new Uint32Array(distinct);
  const val = new Float32Array(distinct);
  let k = -1;
  for (let i = 0; i < ids.length; i++) {
    if (i === 0 || ids[i] !== ids[i - 1]) { k++; idx[k] = ids[i] as number; }
    val[k] = (val[k] as number) + 1;
  }
  return { indices: idx, values: val };
}

export function dot(a: SparseVector, b: SparseVector): number {
  const ai = a.indices, bi = b.indices, av = a.values, bv = b.values;
  let i = 0, j = 0, s = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i] as number, y = bi[j] as number;
    if (x === y) { s += (av[i] as number) * (bv[j] as number); i++; j++; }
    else if (x < y) i++;
    else j++;
  }
  return s;
}

export function norm(a: SparseVector): number {
  let s = 0;
  for (let i = 0; i < a.values.length; i++) { const v = a.values[i] as number; s += v * v; }
  return Math.sqrt(s);
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const na = norm(a), nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  return dot(a, b) / (na * nb);
}

/** L2-normalises in place and returns the same vector. */
export function l2normalize(a: SparseVector): SparseVector {
  const n = norm(a);
  if (n > 0) for (let i = 0; i < a.values.length; i++) a.values[i] = (a.values[i] as number) / n;
  return a;
}

/** dense[i] += scale * v[i] */
export function addScaledToDense(dense: Float64Array | Float32Array, v: SparseVector, scale = 1): void {
  for (let k = 0; k < v.indices.length; k++) {
    const i = v.indices[k] as number;
    dense[i] = (dense[i] as number) + scale * (v.values[k] as number);
  }
}

/** Σ v[i]·dense[i] */
export function dotDense(v: SparseVector, dense: Float64Array | Float32Array): number {
  let s = 0;
  for (let k = 0; k < v.indices.length; k++) s += (v.values[k] as number) * ((dense[v.indices[k] as number] as number) ?? 0);
  return s;
}

/**
 * Accumulates sparse vectors into a dense buffer while remembering which dimensions were touched,
 * so that building a centroid costs O(nnz), not O(dimension), after the buffer is allocated once.
 * Reuse one accumulator across many centroids (call `reset` or `toSparse(true)`).
 */
export class SparseAccumulator {
  private readonly dense: Float64Array;
  private readonly touched: Uint8Array;
  private list: number[] = [];

  constructor(readonly dimension: number) {
    this.dense = new Float64Array(dimension);
    this.touched = new Uint8Array(dimension);
  }

  add(v: SparseVector, scale = 1): void {
    for (let k = 0; k < v.indices.length; k++) {
      const i = v.indices[k] as number;
      if (i >= this.dimension) throw new RangeError(`SparseAccumulator: index ${i} ≥ dimension ${this.dimension}`);
      if (this.touched[i] === 0) { this.touched[i] = 1; this.list.push(i); }
      this.dense[i] = (this.dense[i] as number) + scale * (v.values[k] as number);
    }
  }

  /** Current sum (times `scale`) as a sparse vector, zeros dropped; `reset` clears the accumulator after. */
  toSparse(reset = false, scale = 1): SparseVector {
    const ids = Uint32Array.from(this.list).sort();
    const vals = new Float32Array(ids.length);
    let k = 0;
    for (let n = 0; n < ids.length; n++) {
      const i = ids[n] as number;
      const v = (this.dense[i] as number) * scale;
      if (v !== 0) { ids[k] = i; vals[k] = v; k++; }
    }
    const out = { indices: ids.slice(0, k), values: vals.slice(0, k) };
    if (reset) this.reset();
    return out;
  }

  reset(): void {
    for (const i of this.list) { this.dense[i] = 0; this.touched[i] = 0; }
    this.list = [];
  }
}

/** Sum of vectors as a sparse vector. */
export function sparseSum(vectors: readonly SparseVector[], scale = 1): SparseVector {
  const m = new Map<number, number>();
  for (const v of vectors) for (let k = 0; k < v.indices.length; k++) {
    const i = v.indices[k] as number;
    m.set(i, (m.get(i) ?? 0) + scale * (v.values[k] as number));
  }
  const ids = Uint32Array.from(m.keys()).sort();
  const vals = new Float32Array(ids.length);
  for (let k = 0; k < ids.length; k++) vals[k] = m.get(ids[k] as number) as number;
  return { indices: ids, values: vals };
}

/** Mean of vectors (the centroid); optionally L2-normalised (the "spherical" centroid used with cosine). */
export function centroid(vectors: readonly SparseVector[], opts: { normalize?: boolean } = {}): SparseVector {
  if (vectors.length === 0) return { indices: new Uint32Array(0), values: new Float32Array(0) };
  const c = sparseSum(vectors, 1 / vectors.length);
  return opts.normalize ? l2normalize(c) : c;
}

/** The k largest entries of a vector, by value, descending (ties: lower index first). */
export function topEntries(v: SparseVector, k: number): { index: number; value: number }[] {
  const order = Array.from({ length: v.indices.length }, (_, i) => i)
    .sort((a, b) => (v.values[b] as number) - (v.values[a] as number) || (v.indices[a] as number) - (v.indices[b] as number));
  return order.slice(0, k).map((i) => ({ index: v.indices[i] as number, value: v.values[i] as number }));
}

export function sparseToJSON(v: SparseVector): { indices: number[]; values: number[] } {
  return { indices: Array.from(v.indices), values: Array.from(v.values) };
}

export function sparseFromJSON(o: { indices: number[]; values: number[] }): SparseVector {
  return { indices: Uint32Array.from(o.indices), values: Float32Array.from(o.values) };
}
