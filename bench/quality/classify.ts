/**
 * Quality benchmark of theme (and kind) classification, Fabrique's TextClassifier beside the scikit-learn
 * baseline (bench/quality/baseline.py: TF-IDF word 1–2-grams + char_wb 3–5-grams, LinearSVC
 * class_weight='balanced') on the same splits, in the same run.
 *
 *   node --import tsx bench/quality/classify.ts [--kind] [--no-baseline] [--datasets DIR] [--only NAME] [--opts JSON]
 *
 * Sets:
 * - corpus: the Nouvelle-Aquitaine CNR Santé workshop contributions found by the real parser (../shared/corpus,
 *   read at run time); label = the "Thématique N" heading (`--kind`: the block kind). Protocol:
 *   leave-one-département-out (train on 7, test on the 8th).
 * - demo (DEV SET): the demo's online contributions (themes from their « Thème » column) or, with `--kind`, the
 *   demo workshop reports (kinds from their sections); 5-fold cross-validation.
 * - every labelled set of bench/quality/datasets (written by the team; `--datasets DIR` to read them elsewhere):
 *   5-fold cross-validation on its items with a theme (`--kind`: a kind).
 * With `--kind`, also the built-in kind model (no label of the set used) against scikit-learn trained on the same
 * built-in examples; without, the zero-shot fallback and its « hors sujet » outcome (share of texts it leaves
 * without a theme) on each set, the non-health one included.
 *
 * Hyper-parameters are the classifier's defaults (C = 1 as LinearSVC; the theme-prior weight chosen by inner
 * validation on each training fold): nothing is chosen on the reported folds. `--opts` exists to try options on
 * the dev set (`--only demo`), not to tune on the others.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CNR_SANTE_THEMES, type Theme } from '../../src/domain/theme.ts';
import { readText } from '../../src/ingest/readers/text.ts';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import { parseBytes } from '../../src/ingest/import-file.ts';
import { TextClassifier, type ClassifierOptions } from '../../src/analysis/classify/classifier.ts';
import { BUILTIN_KIND_EXAMPLES } from '../../src/analysis/classify/builtin-kinds.data.ts';
import { builtinKindClassifier, KIND_ANALYZER } from '../../src/analysis/classify/kind.ts';
import { shuffledIndices, mulberry32 } from '../../src/analysis/classify/linear.ts';
import { ZeroShotClassifier } from '../../src/analysis/classify/zeroshot.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, '../shared/corpus/cnr-sante-nouvelle-aquitaine-ateliers.txt');
const argv = process.argv.slice(2);
const args = new Set(argv);
const argValue = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const KIND = args.has('--kind');
const DATASETS = resolve(argValue('--datasets') ?? join(import.meta.dirname, 'datasets'));
const ONLY = argValue('--only');
const EXTRA_OPTS = JSON.parse(argValue('--opts') ?? '{}') as ClassifierOptions;

interface Item { id: string; text: string; label: string; fold: string }
interface Task { name: string; protocol: string; items: Item[]; themes: readonly Theme[] | null }

function corpusTask(): Task | null {
  if (!existsSync(CORPUS)) { console.log(`corpus not found at ${CORPUS}: corpus set skipped`); return null; }
  const bytes = readFileSync(CORPUS);
  const doc = cnrAteliersParser.parse(readText(bytes, 'cnr-sante-nouvelle-aquitaine-ateliers.txt'), {
    documentId: 'bench', fileName: 'cnr-sante-nouvelle-aquitaine-ateliers.txt', mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench',
  });
  const items: Item[] = [];
  for (const c of doc.contributions) {
    const label = KIND ? c.kind : c.themes[0]?.theme;
    if (!label || !c.territory || !c.text.trim()) continue;
    if (!KIND && !/^[1-4]$/.test(label)) continue;
    items.push({ id: c.id, text: c.text, label, fold: `dep${c.territory}` });
  }
  return { name: 'corpus', protocol: 'leave-one-département-out', items, themes: CNR_SANTE_THEMES };
}

/** Deterministic k-fold assignment (seeded shuffle, position modulo k). */
function kFold<T extends { id: string; text: string; label: string }>(rows: T[], k = 5): Item[] {
  const order = shuffledIndices(rows.length, mulberry32(1234));
  const fold = new Array<string>(rows.length);
  order.forEach((r, pos) => { fold[r] = `f${pos % k}`; });
  return rows.map((r, i) => ({ id: r.id, text: r.text, label: r.label, fold: fold[i] as string }));
}

async function demoTask(): Promise<Task> {
  const rows: { id: string; text: string; label: string }[] = [];
  if (KIND) {
    for (const name of ['atelier-espalion.md', 'atelier-laissac.md', 'atelier-requista.md']) {
      const doc = await parseBytes(readFileSync(join(ROOT, 'demo/ateliers', name)), name, { consultation: 'demo', themes: [...CNR_SANTE_THEMES] });
      for (const c of doc.contributions) if (c.kind) rows.push({ id: c.id, text: c.text, label: c.kind });
    }
  } else {
    for (const name of ['contributions-en-ligne.csv', 'contributions-en-ligne.xlsx']) {
      const doc = await parseBytes(readFileSync(join(ROOT, 'demo', name)), name, { consultation: 'demo', themes: [...CNR_SANTE_THEMES] });
      for (const c of doc.contributions) if (c.themes[0] && c.text.trim()) rows.push({ id: c.id, text: c.text, label: c.themes[0].theme });
    }
  }
  return { name: 'demo (dev)', protocol: '5-fold', items: kFold(rows), themes: CNR_SANTE_THEMES };
}

interface DatasetItem { id: string; text: string; theme?: string | null; kind?: string | null }
interface Dataset { name: string; split?: string; themes?: { code: string; label: string }[]; items: DatasetItem[] }

function loadDatasets(): Dataset[] {
  if (!existsSync(DATASETS)) return [];
  return readdirSync(DATASETS).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(DATASETS, f), 'utf8')) as Dataset);
}

function datasetThemes(d: Dataset): Theme[] {
  return (d.themes ?? []).map((t) => CNR_SANTE_THEMES.find((c) => c.code === t.code) ?? { code: t.code, label: t.label, keywords: [] } as unknown as Theme);
}

function datasetTask(d: Dataset): Task | null {
  const rows = d.items.filter((i) => i.text.trim() && (KIND ? i.kind : i.theme)).map((i) => ({ id: i.id, text: i.text, label: String(KIND ? i.kind : i.theme) }));
  if (new Set(rows.map((r) => r.label)).size < 2 || rows.length < 20) return null;
  return { name: `${d.name}${d.split === 'dev' ? ' (dev)' : ''}`, protocol: '5-fold', items: kFold(rows), themes: d.themes ? datasetThemes(d) : null };
}

interface Scores { acc: number; macroF1: number; perLabel: Map<string, number> }

function evaluate(gold: readonly string[], pred: readonly string[], labels: readonly string[]): Scores {
  let ok = 0;
  const perLabel = new Map<string, number>();
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) ok++;
  let sum = 0, counted = 0;
  for (const l of labels) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === l && gold[i] === l) tp++;
      else if (pred[i] === l) fp++;
      else if (gold[i] === l) fn++;
    }
    if (tp + fn === 0) continue; // label absent from this fold's gold: not counted (as for both systems)
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    perLabel.set(l, f1);
    sum += f1; counted++;
  }
  return { acc: gold.length ? ok / gold.length : 0, macroF1: counted ? sum / counted : 0, perLabel };
}

const f3 = (x: number) => x.toFixed(3);
const ratio = (a: number, b: number | undefined) => (b === undefined ? '   - ' : b === 0 ? '  inf' : (a / b).toFixed(2).padStart(5));

interface TaskResult { name: string; n: number; ours: Scores; base: Scores | null; ms: number; folds: number }

function runTask(t: Task, baseline: Record<string, Record<string, string>> | null): TaskResult {
  const folds = [...new Set(t.items.map((i) => i.fold))].sort();
  const labels = [...new Set(t.items.map((i) => i.label))].sort();
  const opts: ClassifierOptions = { ...(KIND ? { cues: 'kind' as const, analyzer: KIND_ANALYZER } : t.themes ? { themes: t.themes } : {}), ...EXTRA_OPTS };
  const gold: string[] = [], ours: string[] = [], base: string[] = [];
  const perFold: { fold: string; n: number; ours: Scores; base: Scores | null }[] = [];
  const t0 = Date.now();
  for (const f of folds) {
    const train = t.items.filter((i) => i.fold !== f), test = t.items.filter((i) => i.fold === f);
    const clf = TextClassifier.train(train.map((i) => ({ id: i.id, text: i.text, labels: [i.label] })), { ...opts, calibration: 'none' });
    const g = test.map((i) => i.label);
    const o = test.map((i) => clf.predict(i.text, { explain: 0 }).labels[0]?.label ?? '');
    const b = baseline ? test.map((i) => baseline[`${t.name}::${f}`]?.[i.id] ?? '') : null;
    gold.push(...g); ours.push(...o); if (b) base.push(...b);
    perFold.push({ fold: f, n: test.length, ours: evaluate(g, o, labels), base: b && evaluate(g, b, labels) });
  }
  const ms = Date.now() - t0;
  if (t.name === 'corpus') {
    console.log(`\n${t.name}: per fold (${t.protocol})`);
    console.log('fold       n | ours F1  acc  | sklearn F1  acc | ratio F1  acc');
    for (const r of perFold) console.log(`${r.fold.padEnd(8)} ${String(r.n).padStart(4)} | ${f3(r.ours.macroF1)} ${f3(r.ours.acc)} | ${r.base ? `${f3(r.base.macroF1)}   ${f3(r.base.acc)}` : '   -       -  '} | ${ratio(r.ours.macroF1, r.base?.macroF1)} ${ratio(r.ours.acc, r.base?.acc)}`);
  }
  return { name: t.name, n: t.items.length, ours: evaluate(gold, ours, labels), base: baseline ? evaluate(gold, base, labels) : null, ms, folds: folds.length };
}

function writeSplits(dir: string, tasks: readonly Task[], extra: { name: string; train: Item[]; test: Item[] }[]): void {
  const names: string[] = [];
  const row = (i: Item) => JSON.stringify({ id: i.id, text: i.text, label: i.label });
  for (const t of tasks) {
    for (const f of [...new Set(t.items.map((i) => i.fold))].sort()) {
      const name = `${t.name}::${f}`;
      names.push(name);
      writeFileSync(join(dir, `${names.length - 1}.train.jsonl`), t.items.filter((i) => i.fold !== f).map(row).join('\n') + '\n');
      writeFileSync(join(dir, `${names.length - 1}.test.jsonl`), t.items.filter((i) => i.fold === f).map(row).join('\n') + '\n');
    }
  }
  for (const e of extra) {
    names.push(e.name);
    writeFileSync(join(dir, `${names.length - 1}.train.jsonl`), e.train.map(row).join('\n') + '\n');
    writeFileSync(join(dir, `${names.length - 1}.test.jsonl`), e.test.map(row).join('\n') + '\n');
  }
  writeFileSync(join(dir, 'folds.json'), JSON.stringify(names.map((n, i) => ({ name: n, file: String(i) }))));
}

async function main(): Promise<void> {
  const datasets = loadDatasets();
  const tasks: Task[] = [];
  const c = corpusTask(); if (c) tasks.push(c);
  tasks.push(await demoTask());
  for (const d of datasets) { const t = datasetTask(d); if (t) tasks.push(t); }
  const chosen = ONLY ? tasks.filter((t) => t.name.startsWith(ONLY)) : tasks;
  console.log(`${KIND ? 'kind' : 'theme'} classification; sets: ${chosen.map((t) => `${t.name} (${t.items.length}, ${t.protocol})`).join(', ')}`);
  if (!existsSync(DATASETS)) console.log(`(no labelled set folder at ${DATASETS})`);
  if (Object.keys(EXTRA_OPTS).length) console.log(`options: ${JSON.stringify(EXTRA_OPTS)}`);

  // built-in kind model: tested on every set's kinds without using them; sklearn trained on the same examples
  const builtinTrain: Item[] = BUILTIN_KIND_EXAMPLES.map(([k, text], i) => ({ id: `builtin-${i}`, text, label: k, fold: 'builtin' }));
  const builtinSets = KIND ? chosen.filter((t) => !t.name.startsWith('demo')) : [];

  const dir = mkdtempSync(join(tmpdir(), 'fabrique-bench-'));
  writeSplits(dir, chosen, builtinSets.map((t) => ({ name: `builtin::${t.name}`, train: builtinTrain, test: t.items })));
  let baseline: Record<string, Record<string, string>> | null = null;
  let baseMs = 0;
  if (!args.has('--no-baseline')) {
    try {
      const t0 = Date.now();
      baseline = JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'bench/quality/baseline.py'), dir], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      baseMs = Date.now() - t0;
    } catch (e) {
      console.log(`baseline unavailable (needs /usr/bin/python3 with scikit-learn): ${(e as Error).message.split('\n')[0]}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const results = chosen.map((t) => runTask(t, baseline));
  console.log(`\n${KIND ? 'kinds' : 'themes'}: macro-F1 and accuracy of all held-out predictions pooled`);
  console.log('set                          n  folds | ours F1  acc  | sklearn F1  acc | ratio F1  acc');
  for (const r of results) {
    console.log(`${r.name.padEnd(26)} ${String(r.n).padStart(4)} ${String(r.folds).padStart(5)}  | ${f3(r.ours.macroF1)} ${f3(r.ours.acc)} | ${r.base ? `${f3(r.base.macroF1)}   ${f3(r.base.acc)}` : '   -       -  '} | ${ratio(r.ours.macroF1, r.base?.macroF1)} ${ratio(r.ours.acc, r.base?.acc)}`);
  }
  const corpus = results.find((r) => r.name === 'corpus');
  if (corpus) {
    console.log(`\ncorpus per ${KIND ? 'kind' : 'theme'} F1:`);
    for (const [l, o] of corpus.ours.perLabel) console.log(`  ${l.padEnd(14)} ours ${f3(o)}  sklearn ${corpus.base?.perLabel.has(l) ? f3(corpus.base.perLabel.get(l)!) : '  -  '}`);
  }
  console.log(`\nours: ${results.reduce((a, r) => a + r.folds, 0)} trainings + predictions in ${(results.reduce((a, r) => a + r.ms, 0) / 1000).toFixed(1)} s; scikit-learn (all its fits, built-in baseline included, Python start-up included) ${(baseMs / 1000).toFixed(1)} s`);

  if (KIND && builtinSets.length > 0) {
    const clf = builtinKindClassifier();
    console.log(`\nbuilt-in kind model (${BUILTIN_KIND_EXAMPLES.length} examples of the project, no label of the set used) vs scikit-learn trained on the same examples`);
    console.log('set                          n | ours F1  acc  | sklearn F1  acc | ratio F1  acc');
    for (const t of builtinSets) {
      const labels = [...new Set(t.items.map((i) => i.label))].sort();
      const gold = t.items.map((i) => i.label);
      const ours = t.items.map((i) => clf.predict(i.text, { explain: 0 }).labels[0]?.label ?? '');
      const o = evaluate(gold, ours, labels);
      const bp = baseline ? t.items.map((i) => baseline![`builtin::${t.name}`]?.[i.id] ?? '') : null;
      const b = bp ? evaluate(gold, bp, labels) : null;
      console.log(`${t.name.padEnd(26)} ${String(t.items.length).padStart(4)} | ${f3(o.macroF1)} ${f3(o.acc)} | ${b ? `${f3(b.macroF1)}   ${f3(b.acc)}` : '   -       -  '} | ${ratio(o.macroF1, b?.macroF1)} ${ratio(o.acc, b?.acc)}`);
    }
    console.log('  (the built-in model knows constat, proposition, levier_frein, temoignage: other gold kinds count as errors)');
  }

  if (!KIND) offTopicReport(datasets, chosen);
}

/** Zero-shot fallback on every set: macro-F1 where themes exist, and the share it calls « hors sujet ». */
function offTopicReport(datasets: readonly Dataset[], tasks: readonly Task[]): void {
  console.log('\nzero-shot fallback (no training label): macro-F1 on the themed items, share of all texts left « hors sujet »');
  console.log('set                          n | zero-shot F1  acc | hors sujet: themed  unthemed');
  const sets: { name: string; texts: { text: string; label: string | null }[]; themes: readonly Theme[] }[] = [];
  const corpus = tasks.find((t) => t.name === 'corpus');
  if (corpus) sets.push({ name: 'corpus', texts: corpus.items.map((i) => ({ text: i.text, label: i.label })), themes: CNR_SANTE_THEMES });
  const demo = tasks.find((t) => t.name.startsWith('demo'));
  if (demo) sets.push({ name: demo.name, texts: demo.items.map((i) => ({ text: i.text, label: i.label })), themes: CNR_SANTE_THEMES });
  for (const d of datasets) {
    if (ONLY && !d.name.startsWith(ONLY)) continue;
    // a set without themes is a non-health consultation classified with the health themes, as a user would
    sets.push({ name: d.name, texts: d.items.filter((i) => i.text.trim()).map((i) => ({ text: i.text, label: i.theme ? String(i.theme) : null })), themes: d.themes ? datasetThemes(d) : CNR_SANTE_THEMES });
  }
  for (const s of sets) {
    const zs = new ZeroShotClassifier(s.themes);
    const preds = zs.predictMany(s.texts.map((t) => t.text));
    const themed = s.texts.map((t, i) => ({ gold: t.label, pred: preds[i]!.offTopic ? '' : preds[i]!.labels[0]?.label ?? '' }));
    const withGold = themed.filter((t) => t.gold !== null);
    const labels = [...new Set(withGold.map((t) => t.gold as string))].sort();
    const sc = withGold.length ? evaluate(withGold.map((t) => t.gold as string), withGold.map((t) => t.pred), labels) : null;
    const share = (xs: typeof themed) => (xs.length ? `${(100 * xs.filter((t) => t.pred === '').length / xs.length).toFixed(0).padStart(3)} % of ${String(xs.length).padStart(4)}` : '      -     ');
    console.log(`${s.name.padEnd(26)} ${String(s.texts.length).padStart(4)} | ${sc ? `${f3(sc.macroF1)}      ${f3(sc.acc)}` : '  -          -  '} | ${share(withGold)}  ${share(themed.filter((t) => t.gold === null))}`);
  }
}

await main();
