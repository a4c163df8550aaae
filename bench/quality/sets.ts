// Quality bench on the team-written datasets of bench/quality/datasets (short answers, long paragraphs, several
// questions mixed, a non-health consultation, texts without kinds, plus one dev set). For each set, in one run:
// - Fabrique's grouping (groupContributions, default options = automatic k, without the gold themes) against the
//   human grouping: ARI / NMI / pairwise F1, largest-group share, number of groups, label checks, non-answers;
// - the scikit-learn baseline on the same texts (sets_baseline.py): TF-IDF + KMeans and average-linkage
//   agglomerative with the human k, and KMeans with k chosen by silhouette;
// - where the gold has themes or kinds: 5-fold cross-validated classification, Fabrique's TextClassifier vs
//   TF-IDF + LinearSVC on the same folds (macro-F1, accuracy);
// - on the non-health set: the share of texts the zero-shot classifier forces into a health theme.
// The five test sets are held out: no hyper-parameter may be chosen on them (tune on the dev set only).
// Run: nice -n 10 node --import tsx bench/quality/sets.ts [--set NAME] [--no-baseline]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupContributions, type GroupingModel } from '../../src/analysis/grouping/model.ts';
import { adjustedRandIndex, normalizedMutualInformation, pairwiseF1 } from '../../src/analysis/grouping/metrics.ts';
import { TextClassifier } from '../../src/analysis/classify/classifier.ts';
import { builtinKindClassifier, trainKindClassifier } from '../../src/analysis/classify/kind.ts';
import { labelQuality } from '../../src/analysis/grouping/labels.ts';
import { isNonAnswer } from '../../src/domain/non-answers.ts';
import { ZeroShotClassifier } from '../../src/analysis/classify/zeroshot.ts';
import { CNR_SANTE_THEMES } from '../../src/domain/theme.ts';

export interface DatasetItem {
  id: string; text: string; idea: string; theme?: string; kind?: string; question?: string; nonAnswer?: boolean;
}
export interface Dataset {
  name: string; shape: string; split: 'dev' | 'test'; description: string;
  themes?: { code: string; label: string }[]; questions?: { code: string; text: string }[];
  items: DatasetItem[];
}

export const DATASET_DIR = resolve(import.meta.dirname, 'datasets');
export function loadDatasets(): Dataset[] {
  return readdirSync(DATASET_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(DATASET_DIR, f), 'utf8')) as Dataset);
}

const argValue = (k: string) => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1] : undefined; };
const NO_BASELINE = process.argv.includes('--no-baseline');
const ONLY = argValue('--set');
const AT = '2024-01-01T00:00:00Z';
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : ' nan').padStart(5);
const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(4);

// the built-in kind model, the label measure and the non-answer rule are Fabrique's own (src/analysis, src/domain)

// ----------------------------------------------------------------------------------------------- metrics
interface Scores { ari: number; nmi: number; f1: number; largest: number; groups: number }
function score(gold: readonly string[], pred: readonly (string | number)[]): Scores {
  const sizes = new Map<string | number, number>();
  for (const p of pred) sizes.set(p, (sizes.get(p) ?? 0) + 1);
  return {
    ari: adjustedRandIndex(gold, pred), nmi: normalizedMutualInformation(gold, pred), f1: pairwiseF1(gold, pred).f1,
    largest: Math.max(...sizes.values()) / pred.length, groups: sizes.size,
  };
}
function macroF1(gold: readonly string[], pred: readonly string[]): { f1: number; acc: number } {
  const labels = [...new Set(gold)];
  let sum = 0;
  for (const l of labels) {
    let tp = 0, fp = 0, fn = 0;
    gold.forEach((g, i) => { const p = pred[i]; if (p === l && g === l) tp++; else if (p === l) fp++; else if (g === l) fn++; });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { f1: sum / labels.length, acc: gold.filter((g, i) => g === pred[i]).length / gold.length };
}

function topOf(m: GroupingModel): Map<string, string> {
  const byId = new Map(m.groups.map((g) => [g.id, g]));
  const out = new Map<string, string>();
  for (const [cid, gid] of Object.entries(m.membership)) {
    let g = byId.get(gid);
    while (g && g.parent) g = byId.get(g.parent);
    out.set(cid, g?.id ?? gid);
  }
  return out;
}

interface LabelReport { labels: number; supportedShare: number; parentChild: number; siblings: number; salutations: number; allCaps: number; examples: string[] }
/** The labels module's own measure (`labelQuality`), with up to 3 unsupported labels to read. */
function labelReport(m: GroupingModel, items: readonly { id: string; text: string }[]): LabelReport {
  const q = labelQuality(m, items);
  const examples = q.faulty.filter((f) => f.endsWith('(non étayé)')).slice(0, 3)
    .map((f) => f.slice(f.indexOf(': ') + 2, -' (non étayé)'.length)).map((l) => (l.length > 60 ? `${l.slice(0, 60)}…` : l));
  return { labels: q.labels, supportedShare: q.supportedShare, parentChild: q.parentChildDuplicates, siblings: q.siblingDuplicates, salutations: q.salutations, allCaps: q.allCaps, examples };
}

// ------------------------------------------------------------------------------------------------ folds
/** 5 folds, stratified by label, from a seeded shuffle: the same folds for Fabrique and scikit-learn. */
function foldsOf(labels: readonly string[], k = 5, seed = 7): number[] {
  let s = seed >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const order = labels.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [order[i], order[j]] = [order[j] as number, order[i] as number]; }
  order.sort((a, b) => ((labels[a] as string) < (labels[b] as string) ? -1 : (labels[a] as string) > (labels[b] as string) ? 1 : 0));
  const f = new Array<number>(labels.length);
  order.forEach((i, pos) => { f[i] = pos % k; });
  return f;
}

// -------------------------------------------------------------------------------------------------- run
const sets = loadDatasets().filter((d) => !ONLY || d.name === ONLY);
interface ClusterTask { name: string; texts: string[]; k: number; gold: string[] }
interface ClassifyTask { name: string; set: string; what: 'theme' | 'kind'; texts: string[]; labels: string[]; folds: number[]; ours: string[]; noPrior?: string[] }
const clusterTasks: ClusterTask[] = [];
const classifyTasks: ClassifyTask[] = [];
const transferTasks: { name: string; train_texts: string[]; train_labels: string[]; texts: string[]; gold: string[]; ours: string[] }[] = [];
const rows: { set: string; variant: string; n: number; kHuman: number; ours: Scores; largestInScope: number; sub: Scores; labels: LabelReport; nonAnswers: string; ms: number }[] = [];
const offTopic: string[] = [];

const t0 = performance.now();
for (const d of sets) {
  const gold = d.items.map((i) => i.idea);
  const kHuman = new Set(gold).size;
  const variants: { variant: string; opts: { byTheme: boolean }; theme: (i: DatasetItem) => string | undefined }[] = [
    { variant: 'tout', opts: { byTheme: false }, theme: () => undefined },
  ];
  // a questionnaire keeps each answer's question at import: grouping within each question is what it would do
  if (d.items.every((i) => i.question)) variants.push({ variant: 'par question', opts: { byTheme: true }, theme: (i) => i.question });
  // a restitution groups within each theme: with the gold themes (no classification error), non-answers in scope ""
  if (d.themes && d.items.some((i) => i.theme)) variants.push({ variant: 'par thème', opts: { byTheme: true }, theme: (i) => i.theme ?? '' });
  for (const v of variants) {
    const s = performance.now();
    const m = groupContributions(d.items.map((i) => ({ id: i.id, text: i.text, theme: v.theme(i) })), { seed: 1, at: AT, ...v.opts });
    const ms = performance.now() - s;
    const top = topOf(m);
    // largest top-level group as a share of its scope (the whole set, a question or a theme): the 25 % rule
    const scopeOf = new Map(d.items.map((i) => [i.id, v.theme(i) ?? '']));
    const inScope = new Map<string, number>(), inGroup = new Map<string, number>();
    for (const it of d.items) {
      const sc = scopeOf.get(it.id) as string, g = `${sc}/${top.get(it.id) ?? '?'}`;
      inScope.set(sc, (inScope.get(sc) ?? 0) + 1); inGroup.set(g, (inGroup.get(g) ?? 0) + 1);
    }
    let largestInScope = 0;
    // scopes of fewer than 10 texts (e.g. the non-answers' empty theme) say nothing about balance
    for (const [g, n] of inGroup) {
      const size = inScope.get(g.slice(0, g.indexOf('/'))) as number;
      if (size >= 10) largestInScope = Math.max(largestInScope, n / size);
    }
    const others = new Set(m.groups.filter((g) => g.others).map((g) => g.id));
    const na = d.items.filter((i) => i.nonAnswer);
    const falsePos = d.items.filter((i) => !i.nonAnswer && isNonAnswer(i.text)).length;
    let nonAnswers = `isNonAnswer: ${falsePos} false`;
    if (na.length > 0) {
      const inOthers = na.filter((i) => others.has(top.get(i.id) ?? '')).length;
      nonAnswers = `isNonAnswer ${na.filter((i) => isNonAnswer(i.text)).length}/${na.length} (+${falsePos} false), ${inOthers}/${na.length} in Autres`;
    }
    rows.push({
      set: d.name, variant: v.variant, n: d.items.length, kHuman, largestInScope,
      ours: score(gold, d.items.map((i) => top.get(i.id) ?? '?')),
      sub: score(gold, d.items.map((i) => m.membership[i.id] ?? '?')),
      labels: labelReport(m, d.items), nonAnswers, ms,
    });
  }
  clusterTasks.push({ name: d.name, texts: d.items.map((i) => i.text), k: kHuman, gold });
  // the baseline per question too, with each question's human k, to compare with Fabrique's "par question"
  if (d.items.every((i) => i.question)) {
    for (const q of [...new Set(d.items.map((i) => i.question as string))].sort()) {
      const its = d.items.filter((i) => i.question === q);
      clusterTasks.push({ name: `${d.name}#${q}`, texts: its.map((i) => i.text), k: new Set(its.map((i) => i.idea)).size, gold: its.map((i) => i.idea) });
    }
  }

  // classification by 5-fold cross-validation, where the gold has the labels
  for (const what of ['theme', 'kind'] as const) {
    const items = d.items.filter((i) => !i.nonAnswer && i[what]);
    if (items.length < 20 || items.length < d.items.filter((i) => !i.nonAnswer).length * 0.8) continue;
    const labels = items.map((i) => i[what] as string);
    if (new Set(labels).size < 2) continue;
    const folds = foldsOf(labels);
    const ours = new Array<string>(items.length);
    // themes: Fabrique adds the zero-shot prior of the CNR themes (as `analyze` does); also shown without it
    const withPrior = what === 'theme' && d.themes !== undefined;
    const noPrior = withPrior ? new Array<string>(items.length) : undefined;
    for (let f = 0; f < 5; f++) {
      const train = items.map((it, i) => ({ id: it.id, text: it.text, labels: [labels[i] as string] })).filter((_, i) => folds[i] !== f);
      const clf = what === 'kind'
        ? trainKindClassifier(train, { calibration: 'none', seed: 1 })
        : TextClassifier.train(train, { calibration: 'none', seed: 1, ...(withPrior ? { themes: CNR_SANTE_THEMES } : {}) });
      const plain = noPrior ? TextClassifier.train(train, { calibration: 'none', seed: 1 }) : null;
      items.forEach((it, i) => {
        if (folds[i] !== f) return;
        ours[i] = clf.predict(it.text, { explain: 0 }).labels[0]?.label ?? '?';
        if (plain && noPrior) noPrior[i] = plain.predict(it.text, { explain: 0 }).labels[0]?.label ?? '?';
      });
    }
    classifyTasks.push({ name: `${d.name}/${what}`, set: d.name, what, texts: items.map((i) => i.text), labels, folds, ours, ...(noPrior ? { noPrior } : {}) });
  }

  // a consultation without any health content: how many texts does the zero-shot fallback force into a theme?
  if (d.shape === 'non-health') {
    const zs = new ZeroShotClassifier(CNR_SANTE_THEMES);
    const preds = zs.predictMany(d.items.map((i) => i.text), { explain: 0 });
    const health = new Set(CNR_SANTE_THEMES.map((t) => t.code));
    const forced = preds.filter((p) => !p.offTopic && health.has(p.labels[0]?.label ?? '')).length;
    offTopic.push(`${d.name}: zero-shot (CNR Santé themes) gives a health theme to ${forced}/${preds.length} texts (${((100 * forced) / preds.length).toFixed(0)} %); 0 % is the target (« hors sujet »)`);
  }
}

// kinds for a consultation imported without any: a model trained elsewhere (the dev set) predicts them
const dev = sets.find((d) => d.split === 'dev');
const devKinds = dev?.items.filter((i) => i.kind && !i.nonAnswer) ?? [];
for (const d of sets.filter((x) => x.shape === 'no-kinds')) {
  if (devKinds.length < 20) break;
  const items = d.items.filter((i) => i.kind && !i.nonAnswer);
  const clf = trainKindClassifier(devKinds.map((i) => ({ id: i.id, text: i.text, labels: [i.kind as string] })), { calibration: 'none', seed: 1 });
  transferTasks.push({
    name: `${d.name}/kind trained on ${dev?.name}`, train_texts: devKinds.map((i) => i.text), train_labels: devKinds.map((i) => i.kind as string),
    texts: items.map((i) => i.text), gold: items.map((i) => i.kind as string), ours: items.map((i) => clf.predict(i.text, { explain: 0 }).labels[0]?.label ?? '?'),
  });
}
// the built-in kind model (no training on any bench set), on every set with kinds
const builtinRows: string[] = [];
{
  const model = builtinKindClassifier();
  for (const d of sets) {
    const items = d.items.filter((i) => i.kind && !i.nonAnswer);
    if (items.length < 20) continue;
    const gold = items.map((i) => i.kind as string);
    const r = macroF1(gold, items.map((i) => model.predict(i.text, { explain: 0 }).labels[0]?.label ?? '?'));
    builtinRows.push(`  ${d.name} [${d.split}]: n=${items.length}  built-in kinds F1 ${f2(r.f1)} acc ${f2(r.acc)}`);
  }
}
const oursMs = performance.now() - t0;

// ------------------------------------------------------------------------------------------ baseline
type BaseOut = {
  cluster: Record<string, { kmeans: number[]; agglo: number[]; silhouette: number[]; k_sil: number }>;
  classify: Record<string, string[]>; transfer: Record<string, string[]>;
};
let base: BaseOut | null = null;
let baseMs = 0;
if (!NO_BASELINE) {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-sets-'));
  try {
    const f = join(dir, 'spec.json');
    writeFileSync(f, JSON.stringify({
      cluster: clusterTasks.map(({ name, texts, k }) => ({ name, texts, k })),
      classify: classifyTasks.map(({ name, texts, labels, folds }) => ({ name, texts, labels, folds })),
      transfer: transferTasks.map(({ name, train_texts, train_labels, texts }) => ({ name, train_texts, train_labels, texts })),
    }));
    const s = performance.now();
    base = JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, 'sets_baseline.py'), f], { encoding: 'utf8', maxBuffer: 1 << 28 })) as BaseOut;
    baseMs = performance.now() - s;
  } catch (e) {
    console.log(`baseline skipped: ${(e as Error).message.split('\n')[0]}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

// ------------------------------------------------------------------------------------------------ print
console.log(`Quality bench on the team-written sets (${sets.map((d) => `${d.name} [${d.split}, ${d.items.length}]`).join(', ')})`);
console.log('label measure: labelQuality (src/analysis/grouping/labels.ts); non-answers: isNonAnswer (src/domain/non-answers.ts)');
console.log('\nGrouping vs the human ideas (Fabrique: default options, automatic k, seed 1; "tout" = one scope, no themes; "par question" / "par thème" = grouped within each question / gold theme)');
console.log('top level; "larg" = largest top-level group / all texts, "scope" = / its question or theme (scopes of ≥ 10 texts); "leaf" = deepest groups; labels: supp = supported phrase, p/c = same label as its parent, sib = as a sibling, sal = salutation or thanks, caps = all caps');
console.log(`${'set'.padEnd(26)} ${'variant'.padEnd(12)} ${'n'.padStart(4)} ${'k'.padStart(3)} | ${'groups'.padStart(6)} ARI   NMI   F1   larg/scope | leaf ARI  F1  | labels supp  p/c sib sal caps | non-answers`);
for (const r of rows) {
  const l = r.labels;
  console.log(`${r.set.padEnd(26)} ${r.variant.padEnd(12)} ${String(r.n).padStart(4)} ${String(r.kHuman).padStart(3)} | ${String(r.ours.groups).padStart(6)} ${f2(r.ours.ari)} ${f2(r.ours.nmi)} ${f2(r.ours.f1)} ${pct(r.ours.largest)}/${pct(r.largestInScope)}  | ${f2(r.sub.ari)} ${f2(r.sub.f1)} | ${String(l.labels).padStart(6)} ${pct(l.supportedShare)} ${String(l.parentChild).padStart(4)} ${String(l.siblings).padStart(3)} ${String(l.salutations).padStart(3)} ${String(l.allCaps).padStart(4)} | ${r.nonAnswers}`);
}
console.log('\nunsupported label examples:');
for (const r of rows) if (r.labels.examples.length) console.log(`  ${r.set} (${r.variant}): ${r.labels.examples.map((e) => `« ${e} »`).join(' ; ')}`);

if (base) {
  console.log('\nscikit-learn baseline, same texts (TF-IDF word 1-2-grams; KMeans and agglomerative with the human k; KMeans k by silhouette)');
  console.log(`${'set'.padEnd(26)} | Fabrique ARI  NMI   F1  | kmeans ARI NMI  F1  | agglo ARI  NMI  F1  | silh k  ARI  NMI  F1   larg | F1 ratio Fab/best`);
  // per-question tasks are joined into one labelling of the whole set (question:cluster)
  const joined: { name: string; gold: string[]; b: { kmeans: string[]; agglo: string[]; silhouette: string[]; k_sil: number } }[] = [];
  for (const t of clusterTasks) {
    const b = base.cluster[t.name]; if (!b) continue;
    const [set, q] = t.name.split('#');
    if (!q) { joined.push({ name: t.name, gold: t.gold, b: { kmeans: b.kmeans.map(String), agglo: b.agglo.map(String), silhouette: b.silhouette.map(String), k_sil: b.k_sil } }); continue; }
    let j = joined.find((x) => x.name === `${set}#`);
    if (!j) { j = { name: `${set}#`, gold: [], b: { kmeans: [], agglo: [], silhouette: [], k_sil: 0 } }; joined.push(j); }
    j.gold.push(...t.gold); j.b.k_sil += b.k_sil;
    j.b.kmeans.push(...b.kmeans.map((v) => `${q}:${v}`)); j.b.agglo.push(...b.agglo.map((v) => `${q}:${v}`)); j.b.silhouette.push(...b.silhouette.map((v) => `${q}:${v}`));
  }
  for (const t of joined) {
    const b = t.b;
    const perQuestion = t.name.endsWith('#');
    const ours = rows.find((r) => `${r.set}${perQuestion ? '#' : ''}` === t.name && r.variant === (perQuestion ? 'par question' : 'tout'))?.ours as Scores;
    // the metrics do not depend on item order: the baseline's per-question labels are scored in question order
    const km = score(t.gold, b.kmeans), ag = score(t.gold, b.agglo), si = score(t.gold, b.silhouette);
    const best = Math.max(km.f1, ag.f1, si.f1);
    const label = perQuestion ? `${t.name.slice(0, -1)} (par q.)` : t.name;
    console.log(`${label.padEnd(26)} |   ${f2(ours.ari)} ${f2(ours.nmi)} ${f2(ours.f1)} | ${f2(km.ari)} ${f2(km.nmi)} ${f2(km.f1)} | ${f2(ag.ari)} ${f2(ag.nmi)} ${f2(ag.f1)} | ${String(b.k_sil).padStart(3)} ${f2(si.ari)} ${f2(si.nmi)} ${f2(si.f1)} ${pct(si.largest)} | ${(ours.f1 / best).toFixed(2).padStart(5)}${ours.f1 < best ? '  scikit-learn wins' : ''}`);
  }
}

if (classifyTasks.length) {
  console.log('\nClassification, 5-fold cross-validation, same stratified folds (Fabrique TextClassifier, kinds via trainKindClassifier; scikit-learn TF-IDF + LinearSVC)');
  console.log('(themes: Fabrique with the zero-shot prior of the CNR themes, as in `analyze`; "no prior" = the same classifier without it)');
  console.log(`${'set/labels'.padEnd(34)} ${'n'.padStart(4)} | Fabrique F1  acc | no prior F1 acc | sklearn F1  acc | ratio F1`);
  for (const t of classifyTasks) {
    const o = macroF1(t.labels, t.ours);
    const np = t.noPrior ? macroF1(t.labels, t.noPrior) : null;
    const bp = base?.classify[t.name];
    const b = bp ? macroF1(t.labels, bp) : null;
    console.log(`${t.name.padEnd(34)} ${String(t.labels.length).padStart(4)} |    ${f2(o.f1)} ${f2(o.acc)} | ${np ? `  ${f2(np.f1)} ${f2(np.acc)}` : '       –      '} | ${b ? `  ${f2(b.f1)} ${f2(b.acc)}` : '       –      '} | ${b ? (o.f1 / b.f1).toFixed(2).padStart(5) : '   – '}${b && o.f1 < b.f1 ? '  scikit-learn wins' : ''}${b && np && np.f1 < b.f1 && o.f1 >= b.f1 ? '  (sklearn wins without the prior)' : ''}`);
  }
}
if (transferTasks.length) {
  console.log('\nKinds of a set imported without kinds, predicted by a model trained on the dev set only (Fabrique trainKindClassifier vs LinearSVC)');
  for (const t of transferTasks) {
    const o = macroF1(t.gold, t.ours);
    const bp = base?.transfer[t.name];
    const b = bp ? macroF1(t.gold, bp) : null;
    console.log(`  ${t.name}: n=${t.gold.length}  Fabrique F1 ${f2(o.f1)} acc ${f2(o.acc)}${b ? ` | sklearn F1 ${f2(b.f1)} acc ${f2(b.acc)}` : ''}`);
  }
}
console.log(`\nBuilt-in kind model (builtinKindClassifier, trained on none of these sets), macro-F1 over the kinds present\n${builtinRows.join('\n')}`);
if (offTopic.length) { console.log('\nOff-topic'); for (const l of offTopic) console.log(`  ${l}`); }
console.log(`\nFabrique: ${(oursMs / 1000).toFixed(1)} s for all grouping + classification; scikit-learn: ${(baseMs / 1000).toFixed(1)} s (noisy: shared machine)`);
