/**
 * Quality benchmark of theme (and kind) classification on the Nouvelle-Aquitaine CNR Santé workshops.
 *
 *   node --import tsx bench/quality/classify.ts [--kind] [--no-baseline]
 *
 * Items: the workshop contributions found by the real parser (`cnrAteliersParser`); label = the number of
 * the "Thématique N" heading they sit under (`--kind`: the block kind instead). Protocol:
 * leave-one-département-out (train on 7 départements, test on the 8th). The scikit-learn baseline
 * (bench/quality/baseline.py: TF-IDF word + char n-grams, LinearSVC class_weight='balanced') runs in the same
 * command on the same splits, written as JSONL to a temporary directory. Also reported: the zero-shot
 * fallback (themes only, no training labels).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CNR_SANTE_THEMES } from '../../src/domain/theme.ts';
import { readText } from '../../src/ingest/readers/text.ts';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import { TextClassifier, type ClassifierOptions } from '../../src/analysis/classify/classifier.ts';
import { ZeroShotClassifier } from '../../src/analysis/classify/zeroshot.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, '../shared/corpus/cnr-sante-nouvelle-aquitaine-ateliers.txt');
const argv = process.argv.slice(2);
const args = new Set(argv);
const argValue = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const KIND = args.has('--kind');

interface Item { id: string; text: string; label: string; dep: string }

function loadItems(): Item[] {
  const bytes = readFileSync(CORPUS);
  const doc = cnrAteliersParser.parse(readText(bytes, 'cnr-sante-nouvelle-aquitaine-ateliers.txt'), {
    documentId: 'bench', fileName: 'cnr-sante-nouvelle-aquitaine-ateliers.txt', mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench',
  });
  const items: Item[] = [];
  for (const c of doc.contributions) {
    const label = KIND ? c.kind : c.themes[0]?.theme;
    if (!label || !c.territory || !c.text.trim()) continue;
    if (!KIND && !/^[1-4]$/.test(label)) continue;
    items.push({ id: c.id, text: c.text, label, dep: c.territory });
  }
  return items;
}

interface Scores { acc: number; macroF1: number; perLabel: Map<string, number> }

function evaluate(gold: string[], pred: string[], labels: string[]): Scores {
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

function main(): void {
  if (!existsSync(CORPUS)) { console.log(`SKIP: corpus not found at ${CORPUS}`); return; }
  const items = loadItems();
  const deps = [...new Set(items.map((i) => i.dep))].sort();
  const labels = [...new Set(items.map((i) => i.label))].sort();
  console.log(`${items.length} items, ${deps.length} départements, labels ${labels.join(' ')} (${KIND ? 'kind' : 'theme'})`);

  const dir = mkdtempSync(join(tmpdir(), 'fabrique-bench-'));
  const folds = deps.map((d) => `dep${d}`);
  writeFileSync(join(dir, 'folds.json'), JSON.stringify(folds));
  for (const d of deps) {
    const row = (i: Item) => JSON.stringify({ id: i.id, text: i.text, label: i.label });
    writeFileSync(join(dir, `dep${d}.train.jsonl`), items.filter((i) => i.dep !== d).map(row).join('\n') + '\n');
    writeFileSync(join(dir, `dep${d}.test.jsonl`), items.filter((i) => i.dep === d).map(row).join('\n') + '\n');
  }

  let baseline: Record<string, Record<string, string>> | null = null;
  if (!args.has('--no-baseline')) {
    try {
      baseline = JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'bench/quality/baseline.py'), dir], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    } catch (e) {
      console.log(`baseline unavailable (needs /usr/bin/python3 with scikit-learn): ${(e as Error).message.split('\n')[0]}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const opts: ClassifierOptions = { ...(KIND ? { cues: 'kind' as const } : { themes: CNR_SANTE_THEMES }), ...JSON.parse(argValue('--opts') ?? '{}') };
  console.log(`options: ${JSON.stringify({ ...opts, themes: opts.themes ? opts.themes.map((t) => t.code) : undefined })}`);
  const zs = KIND ? null : new ZeroShotClassifier(CNR_SANTE_THEMES);
  type Row = { name: string; ours: Scores; base: Scores | null; zero: Scores | null; n: number };
  const rows: Row[] = [];
  const allGold: string[] = [], allOurs: string[] = [], allBase: string[] = [], allZero: string[] = [];
  const t0 = Date.now();
  for (const d of deps) {
    const train = items.filter((i) => i.dep !== d), test = items.filter((i) => i.dep === d);
    const clf = TextClassifier.train(train.map((i) => ({ id: i.id, text: i.text, labels: [i.label] })), { ...opts, calibration: 'none' });
    const gold = test.map((i) => i.label);
    const ours = test.map((i) => clf.predict(i.text, { explain: 0 }).labels[0]?.label ?? '');
    const base = baseline ? test.map((i) => baseline[`dep${d}`]?.[i.id] ?? '') : null;
    const zero = zs ? zs.predictMany(test.map((i) => i.text)).map((p) => p.labels[0]?.label ?? '') : null;
    allGold.push(...gold); allOurs.push(...ours); if (base) allBase.push(...base); if (zero) allZero.push(...zero);
    rows.push({ name: d, n: test.length, ours: evaluate(gold, ours, labels), base: base && evaluate(gold, base, labels), zero: zero && evaluate(gold, zero, labels) });
  }
  const ms = Date.now() - t0;

  const f = (x: number) => x.toFixed(3);
  const ratio = (a: number, b: number | undefined) => (b === undefined ? '   - ' : b === 0 ? '  inf' : (a / b).toFixed(2).padStart(5));
  console.log('\nfold     n   | ours F1  acc  | sklearn F1  acc | ratio F1  acc' + (zs ? ' | zero-shot F1  acc' : ''));
  const line = (name: string, n: number | string, o: Scores, b: Scores | null, z: Scores | null) =>
    console.log(`${name.padEnd(6)} ${String(n).padStart(5)} | ${f(o.macroF1)} ${f(o.acc)} | ${b ? `${f(b.macroF1)}   ${f(b.acc)}` : '   -       -  '} | ${ratio(o.macroF1, b?.macroF1)} ${ratio(o.acc, b?.acc)}` + (z ? ` | ${f(z.macroF1)}      ${f(z.acc)}` : ''));
  for (const r of rows) line(r.name, r.n, r.ours, r.base, r.zero);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const avg = (k: 'ours' | 'base' | 'zero'): Scores | null => {
    const rs = rows.map((r) => r[k]).filter((s): s is Scores => s !== null);
    return rs.length ? { macroF1: mean(rs.map((s) => s.macroF1)), acc: mean(rs.map((s) => s.acc)), perLabel: new Map() } : null;
  };
  console.log('-'.repeat(70));
  line('mean', '', avg('ours') as Scores, avg('base'), avg('zero'));
  console.log(`\nper ${KIND ? 'kind' : 'theme'} F1 (all held-out predictions pooled):`);
  const po = evaluate(allGold, allOurs, labels), pb = baseline ? evaluate(allGold, allBase, labels) : null, pz = zs ? evaluate(allGold, allZero, labels) : null;
  for (const l of labels) {
    const o = po.perLabel.get(l) ?? 0, b = pb?.perLabel.get(l);
    console.log(`  ${l.padEnd(14)} n=${String(allGold.filter((g) => g === l).length).padStart(4)}  ours ${f(o)}  sklearn ${b === undefined ? '  -  ' : f(b)}  ratio ${ratio(o, b)}` + (pz ? `  zero-shot ${f(pz.perLabel.get(l) ?? 0)}` : ''));
  }
  console.log(`  pooled macro-F1  ours ${f(po.macroF1)}  sklearn ${pb ? f(pb.macroF1) : '-'}; accuracy ours ${f(po.acc)}  sklearn ${pb ? f(pb.acc) : '-'}`);
  console.log(`\nours: ${deps.length} trainings + predictions in ${(ms / 1000).toFixed(1)} s`);
}

main();
