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
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readText } from '../../src/ingest/readers/text.ts';
import { restitutionParser } from '../../src/ingest/parsers/restitution.ts';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import type { DocumentParser } from '../../src/ingest/parsers/types.ts';
import type { HumanSynthesisItem } from '../../src/domain/synthesis.ts';
import { groupContributions, topGroupOf, type GroupInput } from '../../src/analysis/grouping/model.ts';
import { adjustedRandIndex, bestMatchAgreement, normalizedMutualInformation, pairwiseF1 } from '../../src/analysis/grouping/metrics.ts';
import { vectorizeOne, vectorizeTexts } from '../../src/analysis/grouping/matrix.ts';
import { dot } from '../../src/analysis/text/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, '../shared/corpus');
const NO_BASELINE = process.argv.includes('--no-baseline');
/** --dev: the Lot tasks only (the dev set: what any tuning may look at), no stability section */
const DEV_ONLY = process.argv.includes('--dev');
if (!existsSync(CORPUS)) { console.log(`corpus absent (${CORPUS}): nothing to measure`); process.exit(0); }

function parse(file: string, p: DocumentParser) {
  const bytes = readFileSync(join(CORPUS, file));
  return p.parse(readText(bytes, file), { documentId: 'bench', fileName: file, mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench' });
}

interface Task { name: string; items: GroupInput[]; gold: string[]; k: number; /** evaluate on these ids only (default all) */ evalIds?: string[]; evalGold?: string[] }
const tasks: Task[] = [];

for (const [file, tag] of ([['cnr-sante-lot-synthese-restitution.txt', 'Lot'], ['cnr-sante-occitanie-synthese-restitution.txt', 'Occitanie']] as const).filter(([, t]) => !DEV_ONLY || t === 'Lot')) {
  const doc = parse(file, restitutionParser);
  const byTheme = new Map<string, { items: GroupInput[]; l1: string[]; leaf: string[] }>();
  for (const c of doc.contributions) {
    if (c.kind !== 'proposition' || !c.category || !c.text.trim()) continue;
    const th = c.themes[0]?.theme ?? '?';
    let t = byTheme.get(th); if (!t) { t = { items: [], l1: [], leaf: [] }; byTheme.set(th, t); }
    t.items.push({ id: c.id, text: c.text });
    t.l1.push(c.category.split(' > ')[0] as string);
    t.leaf.push(c.category);
  }
  for (const [th, t] of byTheme) {
    const k1 = new Set(t.l1).size, kl = new Set(t.leaf).size;
    if (k1 >= 2) tasks.push({ name: `${tag} thème ${th} (sous-groupes)`, items: t.items, gold: t.l1, k: k1 });
    if (kl > k1) tasks.push({ name: `${tag} thème ${th} (3e niveau)`, items: t.items, gold: t.leaf, k: kl });
  }
}

// Nouvelle-Aquitaine: quotes of the regional common ideas → part-2 contributions
if (!DEV_ONLY) {
  const doc = parse('cnr-sante-nouvelle-aquitaine-ateliers.txt', cnrAteliersParser);
  const regional = doc.syntheses[0];
  const themes = (regional?.children ?? []).filter((c) => /^Th[ée]matique \d/.test(c.label) && c.children.length);
  let matched = 0, quotes = 0;
  for (const th of themes) {
    const code = /Th[ée]matique (\d)/.exec(th.label)?.[1] ?? '?';
    const sol = th.children.find((c) => /^Solutions/.test(c.label));
    const gold: { quote: string; idea: string; category: string }[] = [];
    const walk = (it: HumanSynthesisItem, category: string): void => {
      for (const q of it.quotes) gold.push({ quote: q, idea: it.label, category });
      for (const ch of it.children) walk(ch, category);
    };
    for (const cat of sol?.children ?? []) walk(cat, cat.label);
    const contribs = doc.contributions.filter((c) => c.themes[0]?.theme === code && c.text.trim());
    const { matrix, vectorizer } = vectorizeTexts(contribs.map((c) => c.text));
    const rowOf = (i: number) => ({ indices: matrix.indices.subarray(matrix.offsets[i] as number, matrix.offsets[i + 1] as number), values: matrix.values.subarray(matrix.offsets[i] as number, matrix.offsets[i + 1] as number) });
    const evalIds: string[] = [], evalGold: string[] = [], evalCat: string[] = [];
    for (const g of gold) {
      quotes++;
      const q = vectorizeOne(vectorizer, g.quote);
      let best = -1, bs = 0;
      contribs.forEach((_, i) => { const s = dot(q, rowOf(i)); if (s > bs) { bs = s; best = i; } });
      if (best < 0 || bs < 0.5) continue;
      const id = (contribs[best] as { id: string }).id;
      if (evalIds.includes(id)) continue;
      matched++;
      evalIds.push(id); evalGold.push(g.idea); evalCat.push(g.category);
    }
    const pool = contribs.filter((c) => c.kind === 'proposition' || evalIds.includes(c.id)).map((c) => ({ id: c.id, text: c.text }));
    const kc = new Set(evalCat).size, ki = new Set(evalGold).size;
    if (kc >= 2) tasks.push({ name: `N.-Aquitaine thème ${code} (idées, ${evalIds.length} citations)`, items: pool, gold: [], k: kc, evalIds, evalGold: evalCat });
    if (ki > kc) tasks.push({ name: `N.-Aquitaine thème ${code} (sous-idées)`, items: pool, gold: [], k: ki, evalIds, evalGold });
  }
  console.log(`Nouvelle-Aquitaine: ${matched}/${quotes} example quotes matched to a part-2 contribution (cosine ≥ 0.5)`);
}

// ours
interface Scores { ari: number; nmi: number; f1: number; tp: number; predPairs: number; goldPairs: number }
function score(gold: string[], pred: (string | number)[]): Scores {
  const p = pairwiseF1(gold, pred);
  // pair counts for the pooled F1 (sum over tasks), recovered from precision / recall
  const pairsOf = (ls: readonly (string | number)[]) => { const c = new Map<string | number, number>(); for (const l of ls) c.set(l, (c.get(l) ?? 0) + 1); let s = 0; for (const v of c.values()) s += (v * (v - 1)) / 2; return s; };
  const goldPairs = pairsOf(gold), predPairs = pairsOf(pred);
  return { ari: adjustedRandIndex(gold, pred), nmi: normalizedMutualInformation(gold, pred), f1: p.f1, tp: p.recall * goldPairs, predPairs, goldPairs };
}
function evalOf(t: Task, labelOf: (id: string) => string | number): Scores {
  const ids = t.evalIds ?? t.items.map((i) => i.id);
  const gold = t.evalGold ?? t.gold;
  return score(gold, ids.map(labelOf));
}
/** largest share of the task's items in one top group ("Autres" excluded), and the share left in "Autres" */
function shares(t: Task, labels: readonly (string | number)[], othersLabel?: string | number): { max: number; others: number } {
  const c = new Map<string | number, number>();
  let others = 0;
  for (const l of labels) { if (othersLabel !== undefined && l === othersLabel) { others++; continue; } c.set(l, (c.get(l) ?? 0) + 1); }
  return { max: Math.max(0, ...c.values()) / Math.max(1, t.items.length), others: others / Math.max(1, t.items.length) };
}

const CRITERIA = ['phrase', 'stability', 'silhouette'] as const;
type Crit = (typeof CRITERIA)[number];
const DEFAULT: Crit = 'phrase';
const BASES = ['agglo', 'kmeans', 'kmeans_auto'] as const;
type Base = (typeof BASES)[number];
interface Result { name: string; dev: boolean; n: number; k: number; humanMax: number; fixed: Scores; fixedMax: number; one: Scores; chanceF1: number; ceiling: Scores; auto: Record<Crit, { s: Scores; k: number; max: number; others: number }>; base: Partial<Record<Base, { s: Scores; max: number }>> }
const results: Result[] = [];

/**
 * Reference points that say what a pairwise F1 or an ARI is worth on a task (not methods):
 * - one group: every item together (ARI 0; pairwise precision q = gold pairs / all pairs, recall 1);
 * - chance at the human sizes: a random partition with the human group sizes has expected pairwise F1 q (its
 *   expected true pairs are gold pairs × predicted pairs / all pairs), so 1.5 × chance is below the one-group
 *   F1 2q / (1 + q) whenever q ≤ 1/3;
 * - lexical ceiling: each evaluated item put in the human group whose centroid (TF-IDF of the grouping analyser,
 *   the item left out) is nearest. It READS THE HUMAN LABELS: an estimate of how far the words alone can lead to
 *   the human grouping, which no unsupervised grouping on the same vectors is expected to exceed.
 */
function chanceF1(gold: readonly string[]): number {
  const c = new Map<string, number>(); for (const g of gold) c.set(g, (c.get(g) ?? 0) + 1);
  let s = 0; for (const v of c.values()) s += (v * (v - 1)) / 2;
  const n = gold.length; return n < 2 ? 1 : s / ((n * (n - 1)) / 2);
}
function lexicalCeiling(t: Task): Scores {
  const ids = t.evalIds ?? t.items.map((i) => i.id), gold = t.evalGold ?? t.gold;
  const pos = new Map(t.items.map((it, j) => [it.id, j]));
  const { matrix: m } = vectorizeTexts(t.items.map((i) => i.text));
  const rows = ids.map((id) => { const r = pos.get(id) as number, o = new Map<number, number>(); for (let p = m.offsets[r] as number; p < (m.offsets[r + 1] as number); p++) o.set(m.indices[p] as number, m.values[p] as number); return o; });
  // ties (an item sharing no term with any group) go to the largest human group: the stronger guess
  const size = new Map<string, number>(); for (const g of gold) size.set(g, (size.get(g) ?? 0) + 1);
  const groups = [...size.keys()].sort((a, b) => (size.get(b) as number) - (size.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0));
  const pred = ids.map((_, i) => {
    let best = groups[0] as string, bs = -Infinity;
    for (const g of groups) {
      const c = new Map<number, number>(); let n = 0;
      gold.forEach((gj, j) => { if (gj !== g || j === i) return; n++; for (const [d, v] of rows[j] as Map<number, number>) c.set(d, (c.get(d) ?? 0) + v); });
      if (n === 0) continue;
      let nr = 0; for (const v of c.values()) nr += v * v; nr = Math.sqrt(nr) || 1;
      let sim = 0; for (const [d, v] of rows[i] as Map<number, number>) sim += (v * (c.get(d) ?? 0)) / nr;
      if (sim > bs) { bs = sim; best = g; }
    }
    return best;
  });
  return score(gold, pred);
}
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
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-gq-'));
  try {
    const f = join(dir, 'tasks.json');
    writeFileSync(f, JSON.stringify({ tasks: tasks.map((t) => ({ name: t.name, texts: t.items.map((i) => i.text), k: t.k })) }));
    const out = JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, 'grouping_baseline.py'), f], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<string, Record<Base, number[]>>;
    tasks.forEach((t, i) => {
      const pos = new Map(t.items.map((it, j) => [it.id, j]));
      for (const b of BASES) {
        const labels = out[t.name]?.[b] ?? [];
        (results[i] as Result).base[b] = { s: evalOf(t, (id) => labels[pos.get(id) as number] ?? -1), max: shares(t, labels).max };
      }
    });
  } catch (e) {
    console.log(`baseline skipped: ${(e as Error).message.split('\n')[0]}`);
  }
  finally { rmSync(dir, { recursive: true, force: true }); }
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
const pooledF1 = (ss: Scores[]) => { const tp = ss.reduce((a, s) => a + s.tp, 0), pp = ss.reduce((a, s) => a + s.predPairs, 0), gp = ss.reduce((a, s) => a + s.goldPairs, 0); const p = pp ? tp / pp : 0, rc = gp ? tp / gp : 0; return p + rc ? (2 * p * rc) / (p + rc) : 0; };
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
