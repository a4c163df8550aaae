/**
 * Speed of theme classification at scale, Fabrique's TextClassifier beside the scikit-learn baseline
 * (bench/quality/baseline.py --speed: the same model as the quality bench) in the same run, on the scale
 * generator's texts (bench/scale/generate.ts): train on the first half (themes as labels, with the theme prior as
 * the analysis uses it), predict the second half. Both sides include their feature extraction.
 *
 *   nice -n 10 node --import tsx bench/quality/classify-speed.ts [N=100000] [--no-prior] [--no-baseline]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateContributions } from '../scale/generate.ts';
import { TextClassifier } from '../../src/analysis/classify/classifier.ts';
import { CNR_SANTE_THEMES } from '../../src/domain/theme.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const data = generateContributions(n, 1);
const half = Math.floor(n / 2);
const train = data.slice(0, half), test = data.slice(half);
const themes = new Set(CNR_SANTE_THEMES.map((t) => t.code));
const usePrior = !process.argv.includes('--no-prior') && data.every((c) => themes.has(c.theme));

const t0 = performance.now();
const clf = TextClassifier.train(train.map((c) => ({ id: c.id, text: c.text, labels: [c.theme] })), usePrior ? { themes: CNR_SANTE_THEMES } : {});
const t1 = performance.now();
let ok = 0;
for (const c of test) if (clf.predict(c.text, { explain: 0 }).labels[0]?.label === c.theme) ok++;
const t2 = performance.now();
const ours = { train: (t1 - t0) / 1000, predict: (t2 - t1) / 1000, acc: ok / test.length };
console.log(`${n.toLocaleString('en')} generated contributions: train on ${train.length.toLocaleString('en')}, predict ${test.length.toLocaleString('en')}${usePrior ? ' (theme prior, weight by inner validation)' : ''}`);
console.log(`ours          train ${ours.train.toFixed(1)} s  predict ${ours.predict.toFixed(1)} s  total ${(ours.train + ours.predict).toFixed(1)} s  accuracy ${ours.acc.toFixed(3)}`);
const p = clf.metadata.params as { themeWeight?: number; themeWeightChosenBy?: string };
console.log(`              theme weight ${p.themeWeight} (${p.themeWeightChosenBy})`);

if (!process.argv.includes('--no-baseline')) {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-speed-'));
  const row = (c: (typeof data)[number]) => JSON.stringify({ id: c.id, text: c.text, label: c.theme });
  writeFileSync(join(dir, 'train.jsonl'), train.map(row).join('\n') + '\n');
  writeFileSync(join(dir, 'test.jsonl'), test.map(row).join('\n') + '\n');
  try {
    const b = JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'bench/quality/baseline.py'), dir, '--speed'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { train_s: number; predict_s: number; accuracy: number };
    const tb = b.train_s + b.predict_s, to = ours.train + ours.predict;
    console.log(`scikit-learn  train ${b.train_s.toFixed(1)} s  predict ${b.predict_s.toFixed(1)} s  total ${tb.toFixed(1)} s  accuracy ${b.accuracy.toFixed(3)}`);
    console.log(`ratio ours / scikit-learn (time): ${(to / tb).toFixed(2)}×`);
  } catch (e) {
    console.log(`baseline unavailable: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
