/**
 * The grouping tasks of the quality bench (human groupings of the corpus), their scoring, the reference points
 * and the scikit-learn baseline: shared by bench/quality/grouping.ts and bench/quality/grouping-variants.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readText } from '../../src/ingest/readers/text.ts';
import { restitutionParser } from '../../src/ingest/parsers/restitution.ts';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import type { DocumentParser } from '../../src/ingest/parsers/types.ts';
import type { HumanSynthesisItem } from '../../src/domain/synthesis.ts';
import type { GroupInput } from '../../src/analysis/grouping/model.ts';
import { adjustedRandIndex, normalizedMutualInformation, pairwiseF1 } from '../../src/analysis/grouping/metrics.ts';
import { vectorizeOne, vectorizeTexts } from '../../src/analysis/grouping/matrix.ts';
import { dot } from '../../src/analysis/text/index.ts';

export const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');

export function parse(file: string, p: DocumentParser) {
  const bytes = readFileSync(join(CORPUS, file));
  return p.parse(readText(bytes, file), { documentId: 'bench', fileName: file, mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench' });
}

export interface Task { name: string; items: GroupInput[]; gold: string[]; k: number; /** evaluate on these ids only (default all) */ evalIds?: string[]; evalGold?: string[] }


/** The tasks: Lot (dev), Occitanie and Nouvelle-Aquitaine (held out); `devOnly` = the Lot tasks alone. */
export function buildTasks(devOnly = false): Task[] {
  const tasks: Task[] = [];
  for (const [file, tag] of ([['cnr-sante-lot-synthese-restitution.txt', 'Lot'], ['cnr-sante-occitanie-synthese-restitution.txt', 'Occitanie']] as const).filter(([, t]) => !devOnly || t === 'Lot')) {
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
  if (!devOnly) {
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
  
  return tasks;
}

// ours
export interface Scores { ari: number; nmi: number; f1: number; tp: number; predPairs: number; goldPairs: number }
export function score(gold: string[], pred: (string | number)[]): Scores {
  const p = pairwiseF1(gold, pred);
  // pair counts for the pooled F1 (sum over tasks), recovered from precision / recall
  const pairsOf = (ls: readonly (string | number)[]) => { const c = new Map<string | number, number>(); for (const l of ls) c.set(l, (c.get(l) ?? 0) + 1); let s = 0; for (const v of c.values()) s += (v * (v - 1)) / 2; return s; };
  const goldPairs = pairsOf(gold), predPairs = pairsOf(pred);
  return { ari: adjustedRandIndex(gold, pred), nmi: normalizedMutualInformation(gold, pred), f1: p.f1, tp: p.recall * goldPairs, predPairs, goldPairs };
}
export function evalOf(t: Task, labelOf: (id: string) => string | number): Scores {
  const ids = t.evalIds ?? t.items.map((i) => i.id);
  const gold = t.evalGold ?? t.gold;
  return score(gold, ids.map(labelOf));
}
/** largest share of the task's items in one top group ("Autres" excluded), and the share left in "Autres" */
export function shares(t: Task, labels: readonly (string | number)[], othersLabel?: string | number): { max: number; others: number } {
  const c = new Map<string | number, number>();
  let others = 0;
  for (const l of labels) { if (othersLabel !== undefined && l === othersLabel) { others++; continue; } c.set(l, (c.get(l) ?? 0) + 1); }
  return { max: Math.max(0, ...c.values()) / Math.max(1, t.items.length), others: others / Math.max(1, t.items.length) };
}

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
export function chanceF1(gold: readonly string[]): number {
  const c = new Map<string, number>(); for (const g of gold) c.set(g, (c.get(g) ?? 0) + 1);
  let s = 0; for (const v of c.values()) s += (v * (v - 1)) / 2;
  const n = gold.length; return n < 2 ? 1 : s / ((n * (n - 1)) / 2);
}
export function lexicalCeiling(t: Task): Scores {
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

export const BASES = ['agglo', 'kmeans', 'kmeans_auto'] as const;
export type Base = (typeof BASES)[number];
/** scikit-learn labels per task (bench/quality/grouping_baseline.py), same items, run now; null if it cannot run. */
export function runBaselines(tasks: readonly Task[]): Record<string, Record<Base, number[]>> | null {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-gq-'));
  try {
    const f = join(dir, 'tasks.json');
    writeFileSync(f, JSON.stringify({ tasks: tasks.map((t) => ({ name: t.name, texts: t.items.map((i) => i.text), k: t.k })) }));
    return JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, 'grouping_baseline.py'), f], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<string, Record<Base, number[]>>;
  } catch (e) {
    console.log(`baseline skipped: ${(e as Error).message.split('\n')[0]}`);
    return null;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
/** Pairwise F1 pooled over tasks (pair counts summed). */
export const pooledF1 = (ss: readonly Scores[]): number => { const tp = ss.reduce((a, s) => a + s.tp, 0), pp = ss.reduce((a, s) => a + s.predPairs, 0), gp = ss.reduce((a, s) => a + s.goldPairs, 0); const p = pp ? tp / pp : 0, rc = gp ? tp / gp : 0; return p + rc ? (2 * p * rc) / (p + rc) : 0; };
