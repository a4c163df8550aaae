/**
 * Calibrates the « hors sujet » threshold of the zero-shot fallback on DEV data only: the demo's health texts
 * (classified with the CNR Santé themes, on topic) and OFF_TOPIC_DEV (a non-health consultation classified with
 * the same themes). Prints both distributions of the best zero-shot score and, for candidate thresholds, the
 * share of each side left without a theme.
 *
 * With the team's dev set (bench/quality/datasets, split "dev"; `--datasets DIR` elsewhere), its themed texts count
 * as health texts too.
 *
 *   node --import tsx bench/quality/offtopic-calibrate.ts [--datasets DIR]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CNR_SANTE_THEMES, type Theme } from '../../src/domain/theme.ts';
import { parseBytes } from '../../src/ingest/import-file.ts';
import { OFF_TOPIC_THRESHOLD, ZeroShotClassifier } from '../../src/analysis/classify/zeroshot.ts';
import { OFF_TOPIC_DEV } from './offtopic-dev.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const health: string[] = [];
for (const name of ['contributions-en-ligne.csv', 'contributions-en-ligne.xlsx']) {
  const doc = await parseBytes(readFileSync(join(ROOT, 'demo', name)), name, { consultation: 'demo', themes: [...CNR_SANTE_THEMES] });
  for (const c of doc.contributions) if (c.text.trim()) health.push(c.text);
}
// the team's dev set of bench/quality/datasets (split "dev"), its themed texts: health texts too
const dsDir = process.argv.includes('--datasets') ? process.argv[process.argv.indexOf('--datasets') + 1]! : join(ROOT, 'bench/quality/datasets');
if (existsSync(dsDir)) {
  for (const f of readdirSync(dsDir).filter((x) => x.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dsDir, f), 'utf8')) as { split?: string; items: { text: string; theme?: string | null }[] };
    if (d.split === 'dev') for (const i of d.items) if (i.theme && i.text.trim()) health.push(i.text);
  }
}
const demo = JSON.parse(readFileSync(join(ROOT, 'demo/consultation.json'), 'utf8')) as { consultation: { localThemes: Theme[] } };
const themes: Theme[] = [...CNR_SANTE_THEMES, ...demo.consultation.localThemes];
const h = new ZeroShotClassifier(themes).bestScores(health), o = new ZeroShotClassifier(themes).bestScores(OFF_TOPIC_DEV);
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
console.log(`best zero-shot score, health (demo + dev set, ${h.length}): p05 ${q(h, 0.05).toFixed(3)} p10 ${q(h, 0.1).toFixed(3)} median ${q(h, 0.5).toFixed(3)}`);
console.log(`best zero-shot score, off-topic (dev, ${o.length}): median ${q(o, 0.5).toFixed(3)} p90 ${q(o, 0.9).toFixed(3)} max ${q(o, 1).toFixed(3)}`);
console.log('\n« hors sujet » = best score < threshold and no word of the health lexicon');
console.log('threshold | health left out | off-topic left out | balanced accuracy');
for (const t of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35]) {
  const left = (texts: string[]) => new ZeroShotClassifier(themes, { offTopicThreshold: t }).predictMany(texts).filter((p) => p.offTopic).length / texts.length;
  const hl = left(health), ol = left([...OFF_TOPIC_DEV]);
  console.log(`${t.toFixed(2).padStart(9)} | ${(100 * hl).toFixed(1).padStart(13)} % | ${(100 * ol).toFixed(1).padStart(16)} % | ${((1 - hl + ol) / 2).toFixed(3)}`);
}
const left = new ZeroShotClassifier(themes).predictMany(health).map((p, i) => (p.offTopic ? health[i] : null)).filter((t): t is string => t !== null);
console.log(`\ndemo texts left out at the default threshold ${OFF_TOPIC_THRESHOLD}: ${left.length}`);
for (const t of left.slice(0, 10)) console.log(`  ${t.slice(0, 100).replace(/\s+/g, ' ')}`);
