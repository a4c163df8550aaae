// Time and peak memory to parse each corpus document. Run: npx tsx bench/ingest.ts [--runs N]
// Each document is parsed in a fresh child process so peak RSS belongs to that document alone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

if (process.argv[2] === '--child') {
  const { parseFile } = await import('../src/ingest/import-file.ts');
  const { CNR_SANTE_THEMES } = await import('../src/domain/theme.ts');
  const file = process.argv[3]!;
  const runs = Number(process.argv[4] ?? 3);
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    try {
      const p = await parseFile(file, { consultation: 'bench', themes: [...CNR_SANTE_THEMES] });
      summary = `${p.parser}: ${p.meetings.length} réunions, ${p.contributions.length} contributions, ${p.syntheses.length} synthèses, ${p.warnings.length} anomalies`;
    } catch (e) {
      summary = `refusé : ${(e as Error).message}`;
    }
    times.push(performance.now() - t0);
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ times, rss, summary }));
  process.exit(0);
}

if (!existsSync(CORPUS)) {
  console.log(`corpus absent (${CORPUS}) : rien à mesurer`);
  process.exit(0);
}
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
console.log(`bench/ingest — ${runs} passes par document, Node ${process.version}\n`);
console.log('(« première » inclut le chargement des modules : lecteurs PDF/DOCX compris)\n');
console.log('document'.padEnd(48) + 'première'.padStart(10) + 'médiane'.padStart(10) + 'RSS max'.padStart(10) + '  résultat');
for (const f of readdirSync(CORPUS).filter((f) => f !== 'README.md').sort()) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', join(CORPUS, f), String(runs)], { encoding: 'utf8' });
  const { times, rss, summary } = JSON.parse(out.trim().split('\n').pop()!) as { times: number[]; rss: number; summary: string };
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(f.padEnd(48) + `${times[0]!.toFixed(0)} ms`.padStart(10) + `${median.toFixed(0)} ms`.padStart(10) + `${rss.toFixed(0)} Mo`.padStart(10) + `  ${summary}`);
}
