// Time to build, verify and render the regional roll-up of the Nouvelle-Aquitaine report (target:
// build + render including the PDF under 10 s). Run: npx tsx bench/synthesis.ts [--runs N]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { Store } from '../src/store/store.ts';
import { buildSynthesis, chromiumAvailable, launchBrowser, renderUnverified, verifySynthesis, type SynthesisFormat } from '../src/synthesis/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILE = join(ROOT, '..', 'shared', 'corpus', 'cnr-sante-nouvelle-aquitaine-ateliers.txt');
if (!existsSync(FILE)) {
  // nothing measured is a failure, not a pass: a CI reading the exit code must see it
  console.error(`corpus absent (${FILE}) : rien à mesurer`);
  process.exit(1);
}
// `--runs` without a number, or a number below 1, is refused: a benchmark that measures nothing must not print a pass
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt < 0 ? 3 : Number(process.argv[runsAt + 1]);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs attend un nombre entier de passes ≥ 1 (reçu : ${process.argv[runsAt + 1] ?? 'rien'})`);
  process.exit(2);
}
const { parseDocument } = await import('../src/ingest/parsers/index.ts');

const store = await Store.open({ sqlitePath: ':memory:' });
await store.upsertConsultation({ slug: 'bench', title: 'CNR Santé Nouvelle-Aquitaine', territory: '75', status: 'closed', themes: [...CNR_SANTE_THEMES] });
let t = performance.now();
const bytes = readFileSync(FILE);
await store.importParsed('bench', await parseDocument(bytes, 'cnr-sante-nouvelle-aquitaine-ateliers.txt', { consultation: 'bench' }), { publishBy: 'bench' });
const importMs = performance.now() - t;
const stats = await store.stats('bench');
console.log(`bench/synthesis — synthèse régionale, ${stats.contributions} contributions, ${stats.meetings} réunions, ${runs} passes, Node ${process.version}`);
console.log(`import du rapport (lecture + analyse + écriture) : ${importMs.toFixed(0)} ms\n`);

const hasBrowser = chromiumAvailable();
if (!hasBrowser) console.log('chromium absent : PDF et graphiques du DOCX non mesurés\n');
t = performance.now();
const browser = hasBrowser ? await launchBrowser() : undefined;
const launchMs = performance.now() - t;

const formats: SynthesisFormat[] = ['html', 'md', 'json', 'docx', ...(hasBrowser ? ['pdf' as const] : [])];
const rows: Record<string, number[]> = {};
const add = (k: string, v: number) => (rows[k] ??= []).push(v);
let sizes: Record<string, number> = {};
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const doc = await buildSynthesis(store, { consultation: 'bench', level: 'region' });
  const tBuild = performance.now();
  add('construction', tBuild - t0);
  const v = await verifySynthesis(store, doc, { documentText: () => bytes.toString('utf8') });
  if (!v.ok) throw new Error(`vérification en échec : ${v.failures.length}`);
  const tVerify = performance.now();
  add('vérification', tVerify - tBuild);
  sizes = { chiffres: doc.figures.length, citations: doc.quotes.length };
  let renderTotal = 0;
  for (const f of formats) {
    const s = performance.now();
    const r = await renderUnverified(doc, f, browser ? { browser } : {});
    const ms = performance.now() - s;
    renderTotal += ms;
    add(`rendu ${f}`, ms);
    sizes[f] = r.bytes.length;
  }
  add('construction + vérification + tous les rendus', tBuild - t0 + (tVerify - tBuild) + renderTotal);
}
await browser?.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log('étape'.padEnd(50) + 'première'.padStart(10) + 'médiane'.padStart(10));
for (const [k, v] of Object.entries(rows)) console.log(k.padEnd(50) + `${v[0]!.toFixed(0)} ms`.padStart(10) + `${median(v).toFixed(0)} ms`.padStart(10));
if (hasBrowser) console.log(`${'lancement de chromium (une fois)'.padEnd(50)}${`${launchMs.toFixed(0)} ms`.padStart(10)}`);
console.log(`\ntailles : ${Object.entries(sizes).map(([k, v]) => `${k} ${v.toLocaleString('fr-FR')}`).join(' ; ')}`);
const measured = rows['construction + vérification + tous les rendus'] ?? [];
if (measured.length !== runs || measured.some((v) => !Number.isFinite(v))) {
  console.error(`mesure en échec : ${measured.length} passe(s) mesurée(s) sur ${runs} attendues`);
  process.exit(1);
}
const total = median(measured) + (hasBrowser ? launchMs : 0);
console.log(`objectif < 10 s (construction + rendus dont PDF, lancement de chromium compris) : ${(total / 1000).toFixed(1)} s ${total < 10_000 ? '✓' : '✗'}`);
await store.close();
