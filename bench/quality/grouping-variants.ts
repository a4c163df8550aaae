/**
 * Variants of the top-level grouping tried against the same tasks as bench/quality/grouping.ts (issue 12, the
 * "1.5× scikit-learn" acceptance point), with the baselines and reference points of the same run.
 *
 *   node --import tsx bench/quality/grouping-variants.ts
 *
 * A variant is CHOSEN on Lot (dev) only, by two rules printed side by side: the highest mean of dev ARI and dev
 * pairwise F1, and the highest dev ARI. The held-out columns
 * are printed for every variant so that the whole frontier is visible, and the best held-out F1 of any variant is
 * printed as what it is: a figure picked by looking at the held-out sets, not a result.
 * The variants are built in this file from the exported pieces of src/analysis/grouping (nothing in src changes):
 * - "default": groupContributions as shipped (phrase seeds, cap 25 %, "Autres" for rows similar to no group);
 * - cap: the same with a larger share allowed (what a relaxed cap would give, without any justification);
 * - merge: phrase seeds, capped assignment, then the two closest groups merged while their centroid cosine
 *   (or average pairwise cosine) stays above a threshold, uncapped: coarser groups at the human granularity;
 * - seeds: phrase-seed parameters (largest share per seed and group, most seeds, smallest support);
 * - stability: how many phrase seeds to keep chosen by the agreement (ARI) of the capped assignment over six
 *   80 % resamples.
 */
import { existsSync } from 'node:fs';
import { groupContributions, topGroupOf, type GroupOptions } from '../../src/analysis/grouping/model.ts';
import { rowNnz, vectorizeTexts } from '../../src/analysis/grouping/matrix.ts';
import { centroidsOf, deriveSeed, localMatrix, prng, type LocalMatrix } from '../../src/analysis/grouping/kmeans.ts';
import { balancedAssign, phraseSeeds } from '../../src/analysis/grouping/balance.ts';
import { adjustedRandIndex } from '../../src/analysis/grouping/metrics.ts';
import { BASES, buildTasks, CORPUS, evalOf, lexicalCeiling, pooledF1, runBaselines, shares, type Scores, type Task } from './grouping-tasks.ts';

if (!existsSync(CORPUS)) { console.log(`corpus absent (${CORPUS}): nothing to measure`); process.exit(0); }
const tasks = buildTasks();
type Labels = Map<string, string | number>;
const OTHERS = 'autres';

function subRows(x: LocalMatrix, rows: readonly number[]): LocalMatrix {
  let nnz = 0; for (const i of rows) nnz += (x.off[i + 1] as number) - (x.off[i] as number);
  const off = new Uint32Array(rows.length + 1), idx = new Uint32Array(nnz), val = new Float32Array(nnz); let q = 0;
  rows.forEach((i, r) => { for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) { idx[q] = x.idx[p] as number; val[q] = x.val[p] as number; q++; } off[r + 1] = q; });
  return { n: rows.length, dim: x.dim, off, idx, val, globalDim: x.globalDim };
}

function shipped(o: GroupOptions): (t: Task) => Labels {
  return (t) => { const m = groupContributions(t.items, { seed: 1, byTheme: false, at: '2024-01-01T00:00:00Z', ...o }); return new Map(t.items.map((i) => [i.id, topGroupOf(m, i.id) ?? '?'])); };
}

interface SeedOptions { cap: number; kMax: number; minSup?: number; stability?: boolean; merge?: { linkage: 'centroid' | 'average'; above: number } }
function seeded(o: SeedOptions): (t: Task) => Labels {
  return (t) => {
    const { matrix } = vectorizeTexts(t.items.map((i) => i.text));
    const live: number[] = []; for (let r = 0; r < t.items.length; r++) if (rowNnz(matrix, r) > 0) live.push(r);
    const x = localMatrix(matrix, live);
    const out: Labels = new Map(t.items.map((i) => [i.id, OTHERS]));
    const ps = phraseSeeds(x, { kMax: o.kMax, cap: o.cap, ...(o.minSup ? { minSupport: Math.max(2, Math.ceil(o.minSup * x.n)) } : {}) });
    if (ps.k < 2) { for (const r of live) out.set(t.items[r]?.id as string, 0); return out; }
    let k = ps.k;
    const keep = (kk: number) => ps.labels.map((l) => (l >= kk ? -1 : l));
    if (o.stability) {
      let best = -Infinity;
      for (let kk = 2; kk <= ps.k; kk++) {
        const runs: Int32Array[] = [];
        const rnd = prng(deriveSeed(1, 'variants-stability', kk));
        const seedLab = keep(kk);
        for (let b = 0; b < 6; b++) {
          const rows: number[] = []; for (let i = 0; i < x.n; i++) if (rnd() < 0.8) rows.push(i);
          const sx = subRows(x, rows);
          const lab = balancedAssign(sx, centroidsOf(sx, Int32Array.from(rows, (r) => seedLab[r] as number), kk), kk, { cap: o.cap, othersBelow: 0.02 }).labels;
          const full = new Int32Array(x.n).fill(-2); rows.forEach((r, j) => { full[r] = lab[j] as number; }); runs.push(full);
        }
        let s = 0, c = 0;
        for (let a = 0; a < runs.length; a++) for (let b = a + 1; b < runs.length; b++) {
          const A = runs[a] as Int32Array, B = runs[b] as Int32Array, la: number[] = [], lb: number[] = [];
          for (let i = 0; i < x.n; i++) if (A[i] !== -2 && B[i] !== -2) { la.push(A[i] as number); lb.push(B[i] as number); }
          s += adjustedRandIndex(la, lb); c++;
        }
        if (s / c > best + 1e-9) { best = s / c; k = kk; }
      }
    }
    let labels = balancedAssign(x, centroidsOf(x, keep(k), k), k, { cap: o.cap, othersBelow: 0.02 }).labels;
    if (o.merge) {
      const m = o.merge;
      while (k > 2) {
        const c = centroidsOf(x, labels, k);
        const size = new Int32Array(k); for (const l of labels) if (l >= 0) size[l] = (size[l] as number) + 1;
        let ba = -1, bb = -1, bs = -Infinity;
        for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
          // centroid cosine, or the average pairwise cosine of the members (sum vectors: |Σa|·|Σb|·cos / (na·nb))
          let s = 0; for (let d = 0; d < x.dim; d++) s += (c[a * x.dim + d] as number) * (c[b * x.dim + d] as number);
          if (m.linkage === 'average') s = (s * norm(x, labels, a) * norm(x, labels, b)) / Math.max(1, (size[a] as number) * (size[b] as number));
          if (s > bs) { bs = s; ba = a; bb = b; }
        }
        if (bs < m.above) break;
        labels = labels.map((l) => (l === bb ? ba : l > bb ? l - 1 : l));
        k--;
      }
    }
    labels.forEach((l, i) => out.set(t.items[live[i] as number]?.id as string, l < 0 ? OTHERS : l));
    return out;
  };
}
/** |Σ rows of group l| */
function norm(x: LocalMatrix, labels: Int32Array, l: number): number {
  const s = new Float64Array(x.dim);
  for (let i = 0; i < x.n; i++) if (labels[i] === l) for (let p = x.off[i] as number; p < (x.off[i + 1] as number); p++) s[x.idx[p] as number] = (s[x.idx[p] as number] as number) + (x.val[p] as number);
  let q = 0; for (const v of s) q += v * v; return Math.sqrt(q);
}

interface Row { name: string; per: { dev: boolean; s: Scores; max: number }[] }
const rows: Row[] = [];
function run(name: string, labelsOf: (t: Task) => Labels, o: { singletonOthers?: boolean; noMax?: boolean } = {}): void {
  rows.push({
    name, per: tasks.map((t) => {
      const m = labelsOf(t);
      const lab = (id: string) => { const l = m.get(id) ?? '?'; return o.singletonOthers && l === OTHERS ? `solo:${id}` : l; };
      return { dev: t.name.startsWith('Lot'), s: evalOf(t, lab), max: o.noMax ? NaN : shares(t, t.items.map((i) => m.get(i.id) ?? '?'), OTHERS).max };
    }),
  });
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const agg = (r: Row, dev: boolean) => { const p = r.per.filter((x) => x.dev === dev); return { ari: mean(p.map((x) => x.s.ari)), f1: mean(p.map((x) => x.s.f1)), pooled: pooledF1(p.map((x) => x.s)), max: Math.max(...p.map((x) => x.max)), meanMax: mean(p.map((x) => x.max)) }; };

const base = runBaselines(tasks);
if (base) for (const b of BASES) run(`sklearn ${b}`, (t) => new Map(t.items.map((it, j) => [it.id, base[t.name]?.[b]?.[j] ?? -1])));
run('reference: one group', (t) => new Map(t.items.map((i) => [i.id, 0])));
rows.push({ name: 'ceiling (reads the human labels)', per: tasks.map((t) => ({ dev: t.name.startsWith('Lot'), s: lexicalCeiling(t), max: NaN })) });
const refCount = rows.length;
run('default (shipped)', shipped({}));
run('default, "Autres" scored as singletons', shipped({}), { singletonOthers: true });
run('default with the human k', (t) => shipped({ k: t.k })(t));
for (const cap of [0.35, 0.5, 1]) run(`cap ${cap}`, shipped({ cap }));
for (const above of [0.3, 0.25, 0.2, 0.15, 0.1]) run(`merge centroid cosine ≥ ${above}`, seeded({ cap: 0.25, kMax: 12, merge: { linkage: 'centroid', above } }));
for (const above of [0.04, 0.03, 0.02, 0.01]) run(`merge average cosine ≥ ${above}`, seeded({ cap: 0.25, kMax: 12, merge: { linkage: 'average', above } }));
for (const cap of [0.25, 0.35, 0.5]) for (const kMax of [4, 6, 12]) for (const minSup of [0.04, 0.08, 0.12]) run(`seeds cap ${cap} kMax ${kMax} support ${minSup}`, seeded({ cap, kMax, minSup }));
for (const cap of [0.25, 0.35, 0.5]) run(`stability of seeds, cap ${cap}`, seeded({ cap, kMax: 12, stability: true }));

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '  – ').padStart(5);
const pc = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–').padStart(5);
console.log(`\nTop-level grouping variants (${tasks.length} tasks; dev = Lot, held out = Occitanie + N.-Aquitaine). Mean over tasks; pooled = pairwise F1 over pair counts summed; max = largest top group.`);
console.log(`${'variant'.padEnd(40)} | dev ARI   F1 pooled   max | held ARI   F1 pooled   max  mean`);
const line = (r: Row) => { const d = agg(r, true), h = agg(r, false); console.log(`${r.name.slice(0, 40).padEnd(40)} | ${f2(d.ari)}${f2(d.f1)}  ${f2(d.pooled)}${pc(d.max)} | ${f2(h.ari)}${f2(h.f1)}  ${f2(h.pooled)}${pc(h.max)}${pc(h.meanMax)}`); };
rows.forEach((r, i) => { if (i === refCount) console.log('-'.repeat(100)); line(r); });
const variants = rows.slice(refCount);
const km = rows.find((r) => r.name === 'sklearn kmeans');
// two selection rules on Lot: the mean of ARI and F1 (F1 rewards catch-alls, so this rule drifts to them) and ARI
// alone (agreement beyond chance); ties: the earlier variant (the shipped default comes first)
const pick = (score: (r: Row) => number) => variants.reduce((a, b) => (score(b) > score(a) + 1e-12 ? b : a));
for (const [rule, chosen] of [['mean of dev ARI and dev F1', pick((r) => (agg(r, true).ari + agg(r, true).f1) / 2)], ['dev ARI', pick((r) => agg(r, true).ari)]] as const) {
  const c = agg(chosen, false);
  console.log(`\nchosen on Lot by ${rule}: "${chosen.name}"; held out ARI ${f2(c.ari)} F1 ${f2(c.f1)} pooled ${f2(c.pooled)} largest group ${pc(c.max)}`);
  if (km) { const k = agg(km, false); console.log(`  against scikit-learn KMeans (human k), same run: ARI ${f2(k.ari)} F1 ${f2(k.f1)} pooled ${f2(k.pooled)} → F1 ratio ${(c.f1 / k.f1).toFixed(2)}, pooled ${(c.pooled / k.pooled).toFixed(2)} (target ≥ 1.5, i.e. F1 ≥ ${f2(1.5 * k.f1).trim()}; ARI ratio n/a: |baseline ARI| < 0.05)`); }
}
const bestHeld = variants.reduce((a, b) => (agg(b, false).f1 > agg(a, false).f1 ? b : a));
const bh = agg(bestHeld, false);
console.log(`best held-out F1 of any variant (picked by looking at the held-out sets: not a result): "${bestHeld.name}" F1 ${f2(bh.f1)} ARI ${f2(bh.ari)} largest group ${pc(bh.max)}`);
