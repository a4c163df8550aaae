/**
 * Quality benchmark of grouping into common ideas, against human groupings of the corpus.
 *
 *   node --import tsx bench/quality/grouping.ts [--no-baseline] [--no-stability] [--dev]
 *
 * - Lot and Occitanie syntheses (restitution parser): per theme, the proposals are clustered and compared with
 *   the human sub-groups (the sub-heading they sit under; level 1 = first sub-heading, before " > ").
 * - Nouvelle-Aquitaine: the regional part-1 common ideas are known through their example quotes; each quote is
 *   matched to its contribution in part 2 (cosine of TF-IDF ≥ 0.5, same theme), the theme's part-2 proposals
 *   are clustered, and the clusters of the matched contributions are compared with the human common ideas.
 * - Stability: agreement (Hungarian best match) of top-level groups across seeds 1, 2, 3.
 * Metrics (src/analysis/grouping/metrics.ts): adjusted Rand index, NMI, pairwise F1. The scikit-learn baseline
 * (bench/quality/grouping_baseline.py, average-linkage agglomerative on TF-IDF with the human k) runs in the same
 * command on the same items.
 * References printed beside them (not methods): one group for everything, the expected F1 of chance at the human
 * group sizes, and a lexical ceiling that reads the human labels (nearest human-group centroid, item left out); the
 * summaries say when a 1.5× F1 target lies above the one-group F1 or the ceiling, i.e. cannot be met by agreeing
 * more with the human groups.
 */
import { existsSync } from 'node:fs';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import { groupContributions, topGroupOf } from '../../src/analysis/grouping/model.ts';
import { bestMatchAgreement } from '../../src/analysis/grouping/metrics.ts';
import { BASES, buildTasks, chanceF1, CORPUS, evalOf, parse, lexicalCeiling, pooledF1, runBaselines, shares, type Base, type Scores, type Task } from './grouping-tasks.ts';

const NO_BASELINE = process.argv.includes('--no-baseline');
/** --dev: the Lot tasks only (the dev set: what any tuning may look at), no stability section */
const DEV_ONLY = process.argv.includes('--dev');
if (!existsSync(CORPUS)) { console.log(`corpus absent (${CORPUS}): nothing to measure`); process.exit(0); }
const tasks: Task[] = buildTasks(DEV_ONLY);

const CRITERIA = ['phrase', 'stability', 'silhouette'] as const;
type Crit = (typeof CRITERIA)[number];
const DEFAULT: Crit = 'phrase';
interface Result { name: string; dev: boolean; n: number; k: number; humanMax: number; fixed: Scores; fixedMax: number; one: Scores; chanceF1: number; ceiling: Scores; auto: Record<Crit, { s: Scores; k: number; max: number; others: number }>; base: Partial<Record<Base, { s: Scores; max: number }>> }
const results: Result[] = [];
const AT = '2024-01-01T00:00:00Z';
for (const t of tasks) {
  const allIds = t.items.map((i) => i.id);
  const mk = groupContributions(t.items, { seed: 1, byTheme: false, k: t.k, at: AT });
  const autoOf = (criterion: Crit) => {
    const m = groupContributions(t.items, { seed: 1, byTheme: false, criterion, at: AT });
    const k = m.groups.filter((g) => g.parent === null && !g.others).length;
    const sh = shares(t, allIds.map((id) => topGroupOf(m, id) ?? '?'), 'autres');
    return { s: evalOf(t, (id) => topGroupOf(m, id) ?? '?'), k, max: sh.max, others: sh.others };
  };
  const goldAll = t.evalGold ?? t.gold;
  results.push({
    name: t.name, dev: t.name.startsWith('Lot'), n: (t.evalIds ?? t.items).length, k: t.k,
    humanMax: shares({ ...t, items: goldAll.map((g) => ({ id: g, text: '' })) }, goldAll).max,
    one: evalOf(t, () => 0), chanceF1: chanceF1(goldAll), ceiling: lexicalCeiling(t),
    fixed: evalOf(t, (id) => topGroupOf(mk, id) ?? '?'), fixedMax: shares(t, allIds.map((id) => topGroupOf(mk, id) ?? '?'), 'autres').max,
    auto: Object.fromEntries(CRITERIA.map((c) => [c, autoOf(c)])) as Result['auto'], base: {},
  });
}

// baselines, same run, same items
if (!NO_BASELINE) {
  const out = runBaselines(tasks);
  if (out) tasks.forEach((t, i) => {
    const pos = new Map(t.items.map((it, j) => [it.id, j]));
    for (const b of BASES) {
      const labels = out[t.name]?.[b] ?? [];
      (results[i] as Result).base[b] = { s: evalOf(t, (id) => labels[pos.get(id) as number] ?? -1), max: shares(t, labels).max };
    }
  });
}

const f2 = (x: number) => x.toFixed(2).padStart(5);
const pc = (x: number) => `${Math.round(x * 100)}%`.padStart(5);
// a ratio to a baseline near 0 (ARI at chance level) means nothing: printed "n/a" when |baseline| < 0.05
const ratio = (a: number, b: number | undefined) => (b === undefined ? '   – ' : Math.abs(b) < 0.05 ? '  n/a' : (a / b).toFixed(2).padStart(5));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const sc = (s: Scores | undefined) => (s ? f2(s.ari) + f2(s.nmi) + f2(s.f1) : '    –    –    –');
console.log(`\nTop-level groups vs human grouping. Tuned on Lot (dev) only; Occitanie and N.-Aquitaine are held out.`);
console.log(`ours = default criterion "${DEFAULT}", automatic k, cap 25 % of the scope, "Autres" for what fits no group;`);
console.log(`ours@k = same with the human k; base = scikit-learn on TF-IDF: agglo (average linkage, human k), km (KMeans, human k), kmA (KMeans, k by silhouette).`);
console.log(`max = largest top group / items of the task ("Autres" excluded); hum = same for the human grouping; oth = share in "Autres".`);
console.log(`"Autres" is scored as one group of the partition (scoring its members as singletons changed held-out ARI / F1 by < 0.002, 2026-12-02).`);
console.log(`${'task'.padEnd(40)} ${'n'.padStart(3)} ${'k'.padStart(2)} ${'kA'.padStart(3)} | ours ARI NMI  F1  max  oth | ours@k ARI NMI F1 | agglo ARI NMI F1 | km ARI  NMI  F1  | kmA ARI  NMI  F1 max | hum`);
for (const r of results) {
  const o = r.auto[DEFAULT];
  console.log(`${r.name.slice(0, 40).padEnd(40)} ${String(r.n).padStart(3)} ${String(r.k).padStart(2)} ${String(o.k).padStart(3)} |${sc(o.s)}${pc(o.max)}${pc(o.others)} |${sc(r.fixed)} |${sc(r.base.agglo?.s)} |${sc(r.base.kmeans?.s)} |${sc(r.base.kmeans_auto?.s)}${r.base.kmeans_auto ? pc(r.base.kmeans_auto.max) : ''} |${pc(r.humanMax)}`);
}
// summaries: mean over tasks, and pooled pairwise F1 (pair counts summed over tasks)
const summary = (label: string, rs: Result[]) => {
  if (!rs.length) return;
  const line = (name: string, ss: (Scores | undefined)[], max?: number[]) => {
    const xs = ss.filter((s): s is Scores => s !== undefined);
    if (xs.length !== rs.length) return { name, ari: NaN, f1: NaN, pooled: NaN };
    const v = { name, ari: mean(xs.map((s) => s.ari)), nmi: mean(xs.map((s) => s.nmi)), f1: mean(xs.map((s) => s.f1)), pooled: pooledF1(xs) };
    console.log(`  ${name.padEnd(22)} ARI ${f2(v.ari)}  NMI ${f2(v.nmi)}  F1 ${f2(v.f1)}  pooled F1 ${f2(v.pooled)}${max ? `  largest group ≤ ${pc(Math.max(...max))} (mean ${pc(mean(max))})` : ''}`);
    return v;
  };
  console.log(`\n${label} (${rs.length} tasks, ${rs.reduce((a, r) => a + r.n, 0)} evaluated items):`);
  const ours = CRITERIA.map((c) => line(`ours auto, ${c}${c === DEFAULT ? ' (default)' : ''}`, rs.map((r) => r.auto[c].s), rs.map((r) => r.auto[c].max)));
  line('ours, human k', rs.map((r) => r.fixed), rs.map((r) => r.fixedMax));
  const bases = BASES.map((b) => line(`sklearn ${b}`, rs.map((r) => r.base[b]?.s), rs.every((r) => r.base[b]) ? rs.map((r) => (r.base[b] as { max: number }).max) : undefined));
  const d = ours[CRITERIA.indexOf(DEFAULT)] as { ari: number; f1: number; pooled: number };
  const one = line('reference: one group', rs.map((r) => r.one));
  const chance = mean(rs.map((r) => r.chanceF1));
  console.log(`  ${'reference: chance'.padEnd(22)} expected F1 of a random partition with the human group sizes ${f2(chance)}`);
  const ceil = line('ceiling (human labels)', rs.map((r) => r.ceiling));
  for (const b of bases) if (Number.isFinite(b.ari)) console.log(`  ratio ours (default) / ${b.name.padEnd(19)} ARI ${ratio(d.ari, b.ari)}  F1 ${ratio(d.f1, b.f1)}  pooled F1 ${ratio(d.pooled, b.pooled)}   (target ≥ 1.5)`);
  // what the targets mean on these tasks: a target F1 at or above the one-group F1 (which has ARI 0) or above the
  // lexical ceiling cannot be met by agreeing more with the human groups, only by making bigger groups
  for (const b of bases) if (Number.isFinite(b.f1)) {
    const tf = 1.5 * b.f1, tp = 1.5 * b.pooled;
    console.log(`  target F1 1.5 × ${b.name.padEnd(19)} = ${f2(tf)} (pooled ${f2(tp)}): one group ${f2(one.f1)} (${f2(one.pooled)}), lexical ceiling ${f2(ceil.f1)} (${f2(ceil.pooled)})${tf >= one.f1 || tf >= ceil.f1 ? '  ← not reachable by agreement alone' : ''}`);
  }
  const human = rs.map((r) => r.humanMax);
  console.log(`  human groupings: largest group ${pc(Math.min(...human))}–${pc(Math.max(...human))} of their task (mean ${pc(mean(human))}): a human k of 2–3 makes > 25 % unavoidable for "ours, human k" and the baselines`);
};
summary('DEV — Lot (criteria compared and defaults chosen here)', results.filter((r) => r.dev));
summary('HELD-OUT — Occitanie + N.-Aquitaine (reported, not tuned on)', results.filter((r) => !r.dev));
summary('POOLED — all tasks', results);
const over = results.filter((r) => r.auto[DEFAULT].max > 0.25 + 1e-9);
const why = (r: Result): string => {
  const n = t0(r), size = Math.round(r.auto[DEFAULT].max * n);
  if (n < 10) return `scope of ${n} < 10: former uncapped clustering`;
  if (size <= 5) return `${size} of ${n}: within the cap floor of 5 contributions`;
  return `${size} of ${n}: cohesive group (mean cosine to its centroid ≥ 0.6) or over-full cap`;
};
console.log(`\ntop groups over 25 % of their task (ours, default): ${over.length ? over.map((r) => `${r.name} ${pc(r.auto[DEFAULT].max).trim()} (${why(r)})`).join('; ') : 'none'}`);
function t0(r: Result): number { return tasks.find((t) => t.name === r.name)?.items.length ?? 0; }

if (!process.argv.includes('--no-stability') && !DEV_ONLY) {
  const doc = parse('cnr-sante-nouvelle-aquitaine-ateliers.txt', cnrAteliersParser);
  const items = doc.contributions.filter((c) => c.kind === 'proposition' && c.text.trim()).map((c) => ({ id: c.id, text: c.text }));
  const { generateContributions } = await import('../scale/generate.ts');
  const syn = generateContributions(20_000, 11).map((c) => ({ id: c.id, text: c.text }));
  // top level: the criterion; `method` only matters to the silhouette criterion (and to the sub-ideas)
  const configs = [['phrase', 'agglomerative', 'id-hash'], ['phrase', 'agglomerative', 'seeded'], ['silhouette', 'agglomerative', 'id-hash'], ['silhouette', 'consensus', 'seeded']] as const;
  for (const [name, its] of [['N.-Aquitaine propositions', items], ['synthetic 20k (sample of 2,000)', syn]] as const) {
    for (const [criterion, method, sampling] of configs) {
      if (its.length <= 2000 && sampling === 'seeded' && criterion === 'phrase') continue; // no sample: same as id-hash
      const labs = [1, 2, 3].map((seed) => { const m = groupContributions(its, { seed, byTheme: false, criterion, method, sampling, at: '2024-01-01T00:00:00Z' }); return its.map((i) => topGroupOf(m, i.id) ?? '?'); });
      const ag = [bestMatchAgreement(labs[0]!, labs[1]!), bestMatchAgreement(labs[0]!, labs[2]!), bestMatchAgreement(labs[1]!, labs[2]!)];
      console.log(`stability ${name} (${its.length}, ${criterion}${criterion === 'silhouette' ? ' ' + method : ''}, ${its.length > 2000 ? sampling + ' sample' : 'no sample'}): kept their group across seeds 1/2/3: min ${(Math.min(...ag) * 100).toFixed(1)}%, mean ${(mean(ag) * 100).toFixed(1)}%`);
    }
  }
}
