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
