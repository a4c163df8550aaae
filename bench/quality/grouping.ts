/**
 * Quality benchmark of grouping into common ideas, against human groupings of the corpus.
 *
 *   node --import tsx bench/quality/grouping.ts [--no-baseline]
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
if (!existsSync(CORPUS)) { console.log(`corpus absent (${CORPUS}): nothing to measure`); process.exit(0); }

function parse(file: string, p: DocumentParser) {
  const bytes = readFileSync(join(CORPUS, file));
  return p.parse(readText(bytes, file), { documentId: 'bench', fileName: file, mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench' });
}

interface Task { name: string; items: GroupInput[]; gold: string[]; k: number; /** evaluate on these ids only (default all) */ evalIds?: string[]; evalGold?: string[] }
const tasks: Task[] = [];

for (const [file, tag] of [['cnr-sante-lot-synthese-restitution.txt', 'Lot'], ['cnr-sante-occitanie-synthese-restitution.txt', 'Occitanie']] as const) {
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
{
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
interface Scores { ari: number; nmi: number; f1: number }
function score(gold: string[], pred: (string | number)[]): Scores {
  return { ari: adjustedRandIndex(gold, pred), nmi: normalizedMutualInformation(gold, pred), f1: pairwiseF1(gold, pred).f1 };
}
function evalOf(t: Task, labelOf: (id: string) => string | number): Scores {
  const ids = t.evalIds ?? t.items.map((i) => i.id);
  const gold = t.evalGold ?? t.gold;
  return score(gold, ids.map(labelOf));
}

const results: { name: string; n: number; k: number; autoK: number; ours: Scores; oursAuto: Scores; base?: Scores }[] = [];
for (const t of tasks) {
  const mk = groupContributions(t.items, { seed: 1, byTheme: false, k: t.k, at: '2024-01-01T00:00:00Z' });
  const ma = groupContributions(t.items, { seed: 1, byTheme: false, at: '2024-01-01T00:00:00Z' });
  const autoK = ma.groups.filter((g) => g.parent === null && !g.others).length;
  results.push({ name: t.name, n: (t.evalIds ?? t.items).length, k: t.k, autoK, ours: evalOf(t, (id) => topGroupOf(mk, id) ?? '?'), oursAuto: evalOf(t, (id) => topGroupOf(ma, id) ?? '?') });
}

// baseline, same run, same items
if (!NO_BASELINE) {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-gq-'));
  try {
    const f = join(dir, 'tasks.json');
    writeFileSync(f, JSON.stringify({ tasks: tasks.map((t) => ({ name: t.name, texts: t.items.map((i) => i.text), k: t.k })) }));
    const out = JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, 'grouping_baseline.py'), f], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<string, number[]>;
    tasks.forEach((t, i) => {
      const labels = out[t.name] ?? [];
      const pos = new Map(t.items.map((it, j) => [it.id, j]));
      (results[i] as (typeof results)[number]).base = evalOf(t, (id) => labels[pos.get(id) as number] ?? -1);
    });
  } catch (e) {
    console.log(`baseline skipped: ${(e as Error).message.split('\n')[0]}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const f2 = (x: number) => x.toFixed(2).padStart(5);
// a ratio to a baseline near 0 (ARI at chance level) means nothing: printed "n/a" when |baseline| < 0.05
const ratio = (a: number, b: number | undefined) => (b === undefined ? '   – ' : Math.abs(b) < 0.05 ? '  n/a' : (a / b).toFixed(2).padStart(5));
console.log('\nTop-level groups vs human grouping (ours: k = human k | ours-auto: k by silhouette | baseline: sklearn average-linkage, human k)');
console.log(`${'task'.padEnd(44)} ${'n'.padStart(4)} ${'k'.padStart(3)} ${'kAuto'.padStart(5)} | ARI   NMI   F1   | auto ARI NMI  F1  | base ARI NMI  F1  | ratio ARI  NMI  F1`);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
for (const r of results) {
  const b = r.base;
  console.log(`${r.name.slice(0, 44).padEnd(44)} ${String(r.n).padStart(4)} ${String(r.k).padStart(3)} ${String(r.autoK).padStart(5)} |${f2(r.ours.ari)}${f2(r.ours.nmi)}${f2(r.ours.f1)} |${f2(r.oursAuto.ari)}${f2(r.oursAuto.nmi)}${f2(r.oursAuto.f1)} |${b ? f2(b.ari) + f2(b.nmi) + f2(b.f1) : '   –    –    – '} |${ratio(r.ours.ari, b?.ari)}${ratio(r.ours.nmi, b?.nmi)}${ratio(r.ours.f1, b?.f1)}`);
}
const M = (f: (r: (typeof results)[number]) => number | undefined) => mean(results.map(f).filter((x): x is number => x !== undefined));
const hasBase = results.every((r) => r.base);
console.log(`${'MEAN'.padEnd(44)} ${''.padStart(4)} ${''.padStart(3)} ${''.padStart(5)} |${f2(M((r) => r.ours.ari))}${f2(M((r) => r.ours.nmi))}${f2(M((r) => r.ours.f1))} |${f2(M((r) => r.oursAuto.ari))}${f2(M((r) => r.oursAuto.nmi))}${f2(M((r) => r.oursAuto.f1))} |${hasBase ? f2(M((r) => r.base?.ari)) + f2(M((r) => r.base?.nmi)) + f2(M((r) => r.base?.f1)) : ''} |${hasBase ? ratio(M((r) => r.ours.ari), M((r) => r.base?.ari)) + ratio(M((r) => r.ours.nmi), M((r) => r.base?.nmi)) + ratio(M((r) => r.ours.f1), M((r) => r.base?.f1)) : ''}`);

// stability across seeds
{
  const doc = parse('cnr-sante-nouvelle-aquitaine-ateliers.txt', cnrAteliersParser);
  const items = doc.contributions.filter((c) => c.kind === 'proposition' && c.text.trim()).map((c) => ({ id: c.id, text: c.text }));
  const { generateContributions } = await import('../scale/generate.ts');
  const syn = generateContributions(20_000, 11).map((c) => ({ id: c.id, text: c.text }));
  const configs = [['agglomerative', 'id-hash'], ['agglomerative', 'seeded'], ['consensus', 'seeded']] as const;
  for (const [name, its] of [['N.-Aquitaine propositions', items], ['synthetic 20k (sample of 2,000)', syn]] as const) {
    for (const [method, sampling] of configs) {
      if (its.length <= 2000 && sampling === 'seeded' && method === 'agglomerative') continue; // no sample: same as id-hash
      const labs = [1, 2, 3].map((seed) => { const m = groupContributions(its, { seed, byTheme: false, method, sampling, at: '2024-01-01T00:00:00Z' }); return its.map((i) => topGroupOf(m, i.id) ?? '?'); });
      const ag = [bestMatchAgreement(labs[0]!, labs[1]!), bestMatchAgreement(labs[0]!, labs[2]!), bestMatchAgreement(labs[1]!, labs[2]!)];
      console.log(`stability ${name} (${its.length}, ${method}, ${its.length > 2000 ? sampling + ' sample' : 'no sample'}): kept their group across seeds 1/2/3: min ${(Math.min(...ag) * 100).toFixed(1)}%, mean ${(mean(ag) * 100).toFixed(1)}%`);
    }
  }
}
