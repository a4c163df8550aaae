/**
 * One size of the scale benchmark, run in its own process by bench/scale/run.ts so that peak memory is per size.
 *   node --import tsx bench/scale/stage.ts N [--jsonl PATH]
 * Prints one JSON line: per stage, seconds and peak RSS (process.resourceUsage().maxRSS) after the stage.
 */
import { writeFileSync } from 'node:fs';
import { generateContributions } from './generate.ts';
import { vectorizeTexts } from '../../src/analysis/grouping/matrix.ts';
import { groupContributions } from '../../src/analysis/grouping/model.ts';
import { findDuplicates } from '../../src/analysis/duplicates/minhash.ts';

const n = Number(process.argv[2] ?? 10_000);
const jsonlAt = process.argv.indexOf('--jsonl');
const stages: { stage: string; seconds: number; peakRssMB: number; note?: string }[] = [];
const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
async function time<T>(stage: string, f: () => T | Promise<T>, note?: string): Promise<T> {
  const t = performance.now();
  const r = await f();
  stages.push({ stage, seconds: Number(((performance.now() - t) / 1000).toFixed(2)), peakRssMB: peak(), ...(note ? { note } : {}) });
  return r;
}

const data = await time('generate', () => generateContributions(n, 1));
if (jsonlAt > 0) writeFileSync(process.argv[jsonlAt + 1] as string, data.map((c) => JSON.stringify({ id: c.id, text: c.text, theme: c.theme })).join('\n') + '\n');
const texts = data.map((c) => c.text);
await time('tokenise + vectorise (TF-IDF stems + bigrams)', () => { const { matrix } = vectorizeTexts(texts); return matrix.indices.length; });

// classification: the other engineer's classifier when present
let classifyNote = '';
const trained = Math.min(5000, Math.floor(n / 2));
try {
  const mod = await import('../../src/analysis/classify/classifier.ts');
  const train = data.slice(0, trained).map((c) => ({ id: c.id, text: c.text, labels: [c.theme] }));
  const model = await time(`classify: train (${trained.toLocaleString('en')} labelled)`, () => mod.TextClassifier.train(train, {}));
  let ok = 0;
  await time(`classify: predict ${n}`, () => { for (const c of data) if (model.predict(c.text, { explain: 0 }).labels[0]?.label === c.theme) ok++; });
  classifyNote = `accuracy on generated themes ${(ok / n).toFixed(3)}`;
} catch (e) {
  classifyNote = `classifier not available, skipped (${(e as Error).message.split('\n')[0]})`;
}

const items = data.map((c) => ({ id: c.id, text: c.text }));
const model = await time('group (incl. its own vectorisation)', () => groupContributions(items, { seed: 1, byTheme: false, at: '2024-01-01T00:00:00Z' }));
const tops = model.groups.filter((g) => g.parent === null).length, subs = model.groups.length - tops;
const dup = await time('duplicates (exact + MinHash/LSH + campaigns)', () => findDuplicates(items));
console.log(JSON.stringify({ n, stages, groups: tops, subIdeas: subs, duplicateGroups: dup.duplicates.length, campaigns: dup.campaigns.length, distinctTexts: dup.stats.distinctTexts, classifyNote, trained }));
