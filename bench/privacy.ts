// Pseudonymisation quality and speed, current implementation against the previous one, in the same run.
// Run: npm run bench:privacy [-- --texts 100000] [--set test|dev|previous-misses] [--errors]
// Quality: span-level recall, precision and F1 per kind on a team-written gold set (test/fixtures/privacy,
// README there: a prediction matches a gold span of the same kind that it overlaps; one-to-one).
// Speed: texts/s over N texts cycled from the set (warm-up first; single thread).
import { parseArgs } from 'node:util';
import { evaluate, readGold, type Pseudonymiser, type Score } from './privacy-eval.ts';
import { pseudonymise as previous } from './privacy-baseline.ts';
import { pseudonymise as current } from '../src/privacy/pseudonymise.ts';

const { values } = parseArgs({ options: { texts: { type: 'string', default: '100000' }, set: { type: 'string', default: 'test' }, errors: { type: 'boolean' } } });
const set = readGold(new URL(`../test/fixtures/privacy/${values.set}.jsonl`, import.meta.url));
const texts = set.map((s) => s.text);
const n = Number(values.texts);

const pct = (x: number) => x.toFixed(3);
const row = (label: string, s: Score) =>
  `  ${label.padEnd(10)} ${String(s.gold).padStart(5)} ${String(s.predicted).padStart(6)} ${String(s.matched).padStart(6)}   ${pct(s.recall)}     ${pct(s.precision)}   ${pct(s.f1)}   ${pct(s.maskedRecall)}`;

function throughput(fn: Pseudonymiser): number {
  for (let i = 0; i < Math.min(5000, n); i++) fn(texts[i % texts.length]!);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(texts[i % texts.length]!);
  return n / ((performance.now() - t0) / 1000);
}

console.log(`Jeu « ${values.set} » : ${set.length} phrases, ${set.reduce((a, s) => a + s.spans.length, 0)} passages personnels annotés.`);
for (const [label, fn] of [['actuelle', current], ['précédente', previous]] as const) {
  const { overall, byKind, errors } = evaluate(set, fn);
  console.log(`\nImplémentation ${label}`);
  console.log('  nature      gold  prédit  justes   rappel    précision F1      masqué (toute nature)');
  for (const [kind, s] of byKind) console.log(row(kind, s));
  console.log(row('TOTAL', overall));
  console.log(`  débit : ${Math.round(throughput(fn)).toLocaleString('fr-FR')} textes/s (${n.toLocaleString('fr-FR')} textes)`);
  if (values.errors && label === 'actuelle') for (const e of errors) console.log(`  ${e.type === 'missed' ? 'manqué ' : 'en trop'} ${e.kind.padEnd(9)} « ${e.text} » — ${e.id}`);
}
