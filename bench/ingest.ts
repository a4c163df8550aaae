// Time and peak memory to parse each corpus document. Run: npx tsx bench/ingest.ts [--runs N]
// Each document is parsed in a fresh child process so peak RSS belongs to that document alone.
// A schéma territorial de santé is parsed by the plan parsers, then imported (importPlan, the CLI's path) into
// a fresh in-memory SQLite database per pass: its line gives the parse, and the line under it the import. For a
// plan, « première » comes after the detection pass (which loads the modules): it does not include their loading.
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
  const { readFileSync } = await import('node:fs');
  const { basename } = await import('node:path');
  const { parsePlanBytes } = await import('../src/ingest/plan/index.ts');
  const bytes = new Uint8Array(readFileSync(file));
  if (await parsePlanBytes(bytes, basename(file)).catch(() => null)) {
    const { Store } = await import('../src/store/index.ts');
    const { CLI_ACTOR, context } = await import('../src/usecases/context.ts');
    const { importPlan } = await import('../src/usecases/plan.ts');
    const imports: number[] = [];
    let plan = null;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      plan = (await parsePlanBytes(bytes, basename(file)))!;
      times.push(performance.now() - t0);
    }
    const parsed = plan!;
    for (let i = 0; i < runs; i++) {
      const store = await Store.open({ sqlitePath: ':memory:' });
      try {
        const t0 = performance.now();
        const r = await importPlan(context(store, CLI_ACTOR), { bytes, fileName: basename(file) }, async () => structuredClone(parsed));
        imports.push(performance.now() - t0);
        const c = r.counts;
        summary = `${parsed.parser}: ${c.engagements} engagements, ${c.defis} défis, ${c.objectives} objectifs, ${c.actions} actions, ${c.oqos} lignes OQOS, ${c.warnings} anomalies`;
      } finally {
        await store.close();
      }
    }
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ times, rss, summary, imports }));
    process.exit(0);
  }
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
  const { times, rss, summary, imports } = JSON.parse(out.trim().split('\n').pop()!) as { times: number[]; rss: number; summary: string; imports?: number[] };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(f.padEnd(48) + `${times[0]!.toFixed(0)} ms`.padStart(10) + `${median(times).toFixed(0)} ms`.padStart(10) + `${rss.toFixed(0)} Mo`.padStart(10) + `  ${summary}`);
  // the plan's import (write of every row, the indicators and the audit entry, in one transaction): its own line
  if (imports) {
    console.log(`  └ import (SQLite en mémoire)`.padEnd(48) + `${imports[0]!.toFixed(0)} ms`.padStart(10) + `${median(imports).toFixed(0)} ms`.padStart(10) + ''.padStart(10)
      + `  ${(median(imports) / median(times)).toFixed(2)} × la lecture`);
  }
}
