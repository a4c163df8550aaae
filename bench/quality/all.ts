// The analysis quality benchmark in one command: theme (and kind) classification, then grouping (both on the
// corpus), then the team-written datasets of bench/quality/datasets (sets.ts), each against the scikit-learn
// baseline run in the same command on the same data.
// Run: npm run bench:quality   (needs ../shared/corpus; the baseline needs Debian's python3-sklearn)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const script of ['classify.ts', 'grouping.ts', 'sets.ts', 'labels.ts']) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  console.log(`\n===== bench/quality/${script} =====\n`);
  execFileSync(process.execPath, ['--import', 'tsx', path, ...process.argv.slice(2)], { stdio: 'inherit' });
}
