/**
 * Scale benchmark: synthetic French contributions (bench/scale/generate.ts) through every analysis stage, one
 * child process per size (so peak RSS is per size), plus the scikit-learn baseline on the 100k set in the same run.
 *   node --import tsx bench/scale/run.ts [--sizes 10k,100k,1m] [--no-baseline]
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const sizesArg = argv[argv.indexOf('--sizes') + 1];
const sizes = (argv.includes('--sizes') && sizesArg ? sizesArg : '10k,100k').split(',').map((s) => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--sizes: cannot read "${s}"`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
});
const dir = mkdtempSync(join(tmpdir(), 'fabrique-scale-'));
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}`);
try {
  for (const n of sizes) {
    const args = ['--max-old-space-size=4096', '--import', 'tsx', resolve(import.meta.dirname, 'stage.ts'), String(n)];
    const jsonl = join(dir, `${n}.jsonl`);
    if (n === 100_000) args.push('--jsonl', jsonl);
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as { n: number; stages: { stage: string; seconds: number; peakRssMB: number }[]; groups: number; subIdeas: number; duplicateGroups: number; campaigns: number; distinctTexts: number; classifyNote: string; trained: number };
    console.log(`\n== ${n.toLocaleString('en')} contributions (${r.distinctTexts} distinct texts): ${r.groups} groups, ${r.subIdeas} sub-ideas, ${r.duplicateGroups} duplicate groups, ${r.campaigns} campaigns; ${r.classifyNote}`);
    for (const s of r.stages) console.log(`  ${s.stage.padEnd(48)} ${s.seconds.toFixed(1).padStart(7)} s   peak RSS ${String(s.peakRssMB).padStart(5)} MB`);
    const sum = (re: RegExp) => r.stages.filter((s) => re.test(s.stage)).reduce((a, s) => a + s.seconds, 0);
    console.log(`  classified + grouped (sequential): ${(sum(/^classify/) + sum(/^group/)).toFixed(1)} s; all stages but generation: ${sum(/^(?!generate)/).toFixed(1)} s`);
    if (n === 100_000 && !argv.includes('--no-baseline')) {
      // the same work for scikit-learn, in the same run: classification (fit on the same 5k, predict all) and a
      // two-level grouping with as many groups and sub-ideas per group as Fabrique found
      const sub = Math.max(2, Math.round(r.subIdeas / Math.max(1, r.groups)));
      const fabClassify = sum(/^classify/), fabGroup = sum(/^group/);
      try {
        const b = JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, '../quality/grouping_baseline.py'), jsonl,
          '--pipeline', String(r.groups), '--sub', String(sub), '--train', String(r.trained)], { encoding: 'utf8' })) as Record<string, number>;
        const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
        console.log(`  scikit-learn on the same 100k (TF-IDF words + char n-grams, LinearSVC fit ${r.trained.toLocaleString('en')} predict all; TF-IDF + MiniBatchKMeans k=${r.groups} then ${sub} per group):`);
        console.log(`    classification ${b.classify_s!.toFixed(1)} s (Fabrique ${fabClassify.toFixed(1)} s, ratio ${ratio(fabClassify, b.classify_s!)}); ` +
          `grouping ${b.group_s!.toFixed(1)} s (Fabrique ${fabGroup.toFixed(1)} s, ratio ${ratio(fabGroup, b.group_s!)})`);
        console.log(`    classification + grouping: Fabrique ${(fabClassify + fabGroup).toFixed(1)} s, scikit-learn ${b.total_s!.toFixed(1)} s, ratio Fabrique / scikit-learn ${ratio(fabClassify + fabGroup, b.total_s!)} (target ≤ 1)`);
      } catch (e) { console.log(`  scikit-learn baseline skipped: ${(e as Error).message.split('\n')[0]}`); }
    }
  }
} finally { rmSync(dir, { recursive: true, force: true }); }
