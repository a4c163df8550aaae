import type { SparseVector } from '../text/index.ts';

export { mulberry32 } from '../random.ts';
import { mulberry32 } from '../random.ts';

export function shuffledIndices(n: number, rnd: () => number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = a[i] as number; a[i] = a[j] as number; a[j] = t;
  }
  return a;
}

export interface LinearTrainOptions {
  /** passes over the data (default 5) */
  epochs?: number;
  /** AdaGrad base learning rate (default 0.05; small rate + few epochs act as early stopping) */
  learningRate?: number;
  /** L2 penalty per example on the weights touched (default 1e-4) */
  l2?: number;
  /** weight positives and negatives of each label so that both classes count equally (default true) */
  classBalanced?: boolean;
  /** PRNG seed for the example order (default 42) */
  seed?: number;
}

/** One-vs-rest weights: one dense row per label, and a bias per label. */
export interface LinearModel {
  dimension: number;
  weights: Float32Array[];
  bias: Float64Array;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * One-vs-rest L2-regularised logistic regression trained with AdaGrad SGD, all labels updated from the same
 * example order. Deterministic for a given seed. `y[i]` lists the label indices of example i (multi-label).
 */
export function trainOneVsRest(
  X: readonly SparseVector[], y: readonly (readonly number[])[], labelCount: number, dimension: number, opts: LinearTrainOptions = {},
): LinearModel {
  const epochs = opts.epochs ?? 5;
  const eta = opts.learningRate ?? 0.05;
  const l2 = opts.l2 ?? 1e-4;
  const balanced = opts.classBalanced ?? true;
  const rnd = mulberry32(opts.seed ?? 42);
  const n = X.length;
  const pos = new Float64Array(labelCount);
  for (const ls of y) for (const l of ls) pos[l] = (pos[l] as number) + 1;
  const wPos = new Float64Array(labelCount), wNeg = new Float64Array(labelCount);
  for (let k = 0; k < labelCount; k++) {
    const p = pos[k] as number, q = n - p;
    wPos[k] = balanced && p > 0 ? n / (2 * p) : 1;
    wNeg[k] = balanced && q > 0 ? n / (2 * q) : 1;
  }
  const weights: Float32Array[] = [];
  const g2: Float32Array[] = [];
  for (let k = 0; k < labelCount; k++) { weights.push(new Float32Array(dimension)); g2.push(new Float32Array(dimension)); }
  const bias = new Float64Array(labelCount);
  const bg2 = new Float64Array(labelCount).fill(1e-8);
  const isPos = new Uint8Array(labelCount);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffledIndices(n, rnd);
    for (let oi = 0; oi < n; oi++) {
      const i = order[oi] as number;
      const x = X[i] as SparseVector;
      isPos.fill(0);
      for (const l of y[i] as readonly number[]) isPos[l] = 1;
      for (let k = 0; k < labelCount; k++) {
        const w = weights[k] as Float32Array, g = g2[k] as Float32Array;
        let z = bias[k] as number;
        for (let j = 0; j < x.indices.length; j++) z += (w[x.indices[j] as number] as number) * (x.values[j] as number);
        const t = isPos[k] as number;
        const cw = t === 1 ? (wPos[k] as number) : (wNeg[k] as number);
        const err = cw * (sigmoid(z) - t);
        for (let j = 0; j < x.indices.length; j++) {
          const f = x.indices[j] as number;
          const wf = w[f] as number;
          const grad = err * (x.values[j] as number) + l2 * wf;
          const acc = (g[f] as number) + grad * grad;
          g[f] = acc;
          w[f] = wf - (eta * grad) / Math.sqrt(acc + 1e-8);
        }
        const bacc = (bg2[k] as number) + err * err;
        bg2[k] = bacc;
        bias[k] = (bias[k] as number) - (eta * err) / Math.sqrt(bacc);
      }
    }
  }
  return { dimension, weights, bias };
}

export interface SvmTrainOptions {
  /** inverse regularisation strength, as scikit-learn's LinearSVC (default 1) */
  C?: number;
  /** stop when the projected-gradient spread falls below this (default 1e-3) */
  tol?: number;
  /** most passes over the data per label (default 300) */
  maxEpochs?: number;
  /** weight each example by n / (labels × n_its_class), as class_weight='balanced' (default true) */
  classBalanced?: boolean;
  /** PRNG seed for the visiting order (default 42) */
  seed?: number;
}

/**
 * One-vs-rest L2-regularised squared-hinge linear SVM (the model of scikit-learn's LinearSVC), solved exactly
 * by dual coordinate descent with shrinking (Hsieh et al. 2008, LIBLINEAR's solver), run until the
 * projected gradient says it has converged rather than for a fixed number of epochs: it fits 100 and 100,000
 * examples alike, with no learning rate to choose. The bias is a constant feature of value 1, regularised as
 * LIBLINEAR does. Deterministic for a given seed.
 */
export function trainOneVsRestSvm(
  X: readonly SparseVector[], y: readonly (readonly number[])[], labelCount: number, dimension: number, opts: SvmTrainOptions = {},
): LinearModel & { epochs: number[] } {
  const C = opts.C ?? 1;
  const tol = opts.tol ?? 1e-3;
  const maxEpochs = opts.maxEpochs ?? 300;
  const balanced = opts.classBalanced ?? true;
  const n = X.length;
  const count = new Float64Array(labelCount);
  for (const ls of y) for (const l of ls) count[l] = (count[l] as number) + 1;
  // per-example cost: C × the mean balanced weight of its labels (1 when not balanced)
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ls = y[i] as readonly number[];
    let w = 0;
    for (const l of ls) w += balanced ? n / (labelCount * (count[l] as number)) : 1;
    cost[i] = C * (ls.length > 0 ? w / ls.length : 1);
  }
  const sqNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = (X[i] as SparseVector).values;
    let s = 1; // the bias feature
    for (let j = 0; j < v.length; j++) s += (v[j] as number) * (v[j] as number);
    sqNorm[i] = s;
  }
  const weights: Float32Array[] = [];
  const bias = new Float64Array(labelCount);
  const epochsUsed: number[] = [];
  const w = new Float64Array(dimension);
  const alpha = new Float64Array(n);
  const sign = new Int8Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  const active = new Uint32Array(n);
  for (let k = 0; k < labelCount; k++) {
    const rnd = mulberry32((opts.seed ?? 42) + 7919 * k);
    w.fill(0); alpha.fill(0);
    let b = 0;
    for (let i = 0; i < n; i++) {
      sign[i] = (y[i] as readonly number[]).includes(k) ? 1 : -1;
      diag[i] = 0.5 / (cost[i] as number);
      qd[i] = (sqNorm[i] as number) + (diag[i] as number);
      active[i] = i;
    }
    let activeSize = n;
    let pgMaxOld = Infinity, pgMinOld = -Infinity;
    let epoch = 0;
    for (; epoch < maxEpochs; epoch++) {
      for (let i = 0; i < activeSize; i++) {
        const j = i + Math.floor(rnd() * (activeSize - i));
        const t = active[i] as number; active[i] = active[j] as number; active[j] = t;
      }
      let pgMax = -Infinity, pgMin = Infinity;
      for (let s = 0; s < activeSize; s++) {
        const i = active[s] as number;
        const x = X[i] as SparseVector;
        const idx = x.indices, val = x.values;
        let z = b;
        for (let j = 0; j < idx.length; j++) z += (w[idx[j] as number] as number) * (val[j] as number);
        const yi = sign[i] as number;
        const a = alpha[i] as number;
        const G = yi * z - 1 + (diag[i] as number) * a;
        let pg = 0;
        if (a === 0) {
          if (G > pgMaxOld) { activeSize--; active[s] = active[activeSize] as number; active[activeSize] = i; s--; continue; }
          if (G < 0) pg = G;
        } else pg = G;
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const na = Math.max(a - G / (qd[i] as number), 0);
          const d = (na - a) * yi;
          alpha[i] = na;
          for (let j = 0; j < idx.length; j++) { const f = idx[j] as number; w[f] = (w[f] as number) + d * (val[j] as number); }
          b += d;
        }
      }
      if (pgMax - pgMin <= tol) {
        if (activeSize === n) break;
        activeSize = n; pgMaxOld = Infinity; pgMinOld = -Infinity; // check the shrunk examples once more
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
      pgMinOld = pgMin >= 0 ? -Infinity : pgMin;
    }
    epochsUsed.push(epoch);
    weights.push(Float32Array.from(w));
    bias[k] = b;
  }
  return { dimension, weights, bias, epochs: epochsUsed };
}

/** Raw scores (logits) of one example for every label. */
export function scores(model: LinearModel, x: SparseVector): Float64Array {
  const out = new Float64Array(model.weights.length);
  for (let k = 0; k < model.weights.length; k++) {
    const w = model.weights[k] as Float32Array;
    let z = model.bias[k] as number;
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j] as number;
      if (f < w.length) z += (w[f] as number) * (x.values[j] as number);
    }
    out[k] = z;
  }
  return out;
}

/** Platt scaling p = σ(a·s + b). */
export interface Platt { a: number; b: number }

/**
 * Fits Platt scaling on (score, target) pairs by Newton's method with Platt's smoothed targets
 * ((N+ + 1)/(N+ + 2) and 1/(N- + 2)), which keeps probabilities away from exactly 0 and 1.
 */
export function fitPlatt(s: ArrayLike<number>, t: ArrayLike<number>): Platt {
  let np = 0, nn = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === 1) np++; else nn++;
  if (np === 0 || nn === 0) return { a: 1, b: 0 };
  const hi = (np + 1) / (np + 2), lo = 1 / (nn + 2);
  let a = 1, b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < s.length; i++) {
      const si = s[i] as number;
      const target = t[i] === 1 ? hi : lo;
      const p = sigmoid(a * si + b);
      const d = p - target;
      const w = p * (1 - p);
      ga += d * si; gb += d;
      haa += w * si * si; hab += w * si; hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-15) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da; b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function applyPlatt(p: Platt, s: number): number {
  return sigmoid(p.a * s + p.b);
}
