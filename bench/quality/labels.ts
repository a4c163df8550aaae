/**
 * Quality of idea labels (src/analysis/grouping/labels.ts `labelQuality`) on every bench set:
 *
 *   nice -n 10 node --import tsx bench/quality/labels.ts [--show]
 *
 * Sets: the corpus (Lot and Occitanie restitutions, Nouvelle-Aquitaine ateliers, read through the parsers from
 * ../shared/corpus, skipped when absent), the demo contributions (demo/), the scale generator (bench/scale) and
 * the team's datasets under bench/quality/datasets/*.json when the folder exists. For each: labels, share of
 * supported phrases (occurring in ≥ 2 members, or ≥ 30 % of a small group), parent/child and sibling duplicates,
 * salutations, all caps, truncated labels, and whether labels and groups are identical across two runs.
 * `--show` prints every label with its group size.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readText } from '../../src/ingest/readers/text.ts';
import { restitutionParser } from '../../src/ingest/parsers/restitution.ts';
import { cnrAteliersParser } from '../../src/ingest/parsers/cnr-ateliers.ts';
import type { DocumentParser } from '../../src/ingest/parsers/types.ts';
import { parseTabular } from '../../src/ingest/tabular/index.ts';
import { loadConsultationFile } from '../../src/ingest/consultation-file.ts';
import { groupContributions, groupsOutput, type GroupInput } from '../../src/analysis/grouping/model.ts';
import { labelQuality } from '../../src/analysis/grouping/labels.ts';
import { generateContributions } from '../scale/generate.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const CORPUS = resolve(ROOT, '../shared/corpus');
export const DATASETS = resolve(ROOT, 'bench/quality/datasets');

export interface LabelSet { name: string; items: GroupInput[] }

function parse(file: string, p: DocumentParser) {
  const bytes = readFileSync(join(CORPUS, file));
  return p.parse(readText(bytes, file), { documentId: 'bench', fileName: file, mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'bench' });
}

const withTheme = (id: string, text: string, theme: string | undefined): GroupInput => (theme ? { id, text, theme } : { id, text });

/** Corpus sets through the parsers (empty when ../shared/corpus is absent). */
export async function corpusSets(): Promise<LabelSet[]> {
  if (!existsSync(CORPUS)) return [];
  const out: LabelSet[] = [];
  for (const [file, name, p] of [
    ['cnr-sante-lot-synthese-restitution.txt', 'corpus Lot', restitutionParser],
    ['cnr-sante-occitanie-synthese-restitution.txt', 'corpus Occitanie', restitutionParser],
    ['cnr-sante-nouvelle-aquitaine-ateliers.txt', 'corpus Nouvelle-Aquitaine', cnrAteliersParser],
  ] as const) {
    if (!existsSync(join(CORPUS, file))) continue;
    const doc = await parse(file, p);
    out.push({ name, items: doc.contributions.filter((c) => c.text.trim()).map((c) => withTheme(c.id, c.text, c.themes[0]?.theme)) });
  }
  return out;
}

/** The demo's online and paper contributions (demo/), with their themes. */
export async function demoSets(): Promise<LabelSet[]> {
  const { consultation } = await loadConsultationFile(join(ROOT, 'demo/consultation.json'));
  const opts = { consultation: 'demo', themes: consultation.themes };
  const online = await parseTabular(readFileSync(join(ROOT, 'demo/contributions-en-ligne.csv')), 'contributions-en-ligne.csv', opts);
  const paper = await parseTabular(readFileSync(join(ROOT, 'demo/contributions-en-ligne.xlsx')), 'contributions-en-ligne.xlsx', opts);
  const items = [...online.contributions, ...paper.contributions].map((c, i) => withTheme(`d${i}`, c.text, c.themes[0]?.theme));
  return [{ name: 'démo', items }];
}

/** Texts of the scale generator (made-up phrase pieces), small n. */
export function scaleSets(n = 600): LabelSet[] {
  return [{ name: `échelle (${n})`, items: generateContributions(n, 11).map((c) => ({ id: c.id, text: c.text, theme: c.theme })) }];
}

/** The team's bench datasets (bench/quality/datasets/*.json, `items: [{ id, text, theme? }]`) when present. */
export function datasetSets(): LabelSet[] {
  if (!existsSync(DATASETS)) return [];
  return readdirSync(DATASETS).filter((f) => f.endsWith('.json')).sort().flatMap((f) => {
    const d = JSON.parse(readFileSync(join(DATASETS, f), 'utf8')) as { items?: { id: string; text: string; theme?: string }[] };
    if (!Array.isArray(d.items)) return [];
    return [{ name: `jeu ${f.replace(/\.json$/, '')}`, items: d.items.filter((i) => typeof i.text === 'string').map((i) => withTheme(String(i.id), i.text, i.theme)) }];
  });
}

export async function allLabelSets(): Promise<LabelSet[]> {
  return [...await corpusSets(), ...await demoSets(), ...scaleSets(), ...datasetSets()];
}

/** Groups a set twice (seed 1, fixed date) and measures its labels. */
export function measure(set: LabelSet) {
  const byTheme = set.items.length > 0 && set.items.every((i) => i.theme);
  const o = { seed: 1, byTheme, at: '2026-01-01T00:00:00.000Z' };
  const m1 = groupContributions(set.items, o);
  const m2 = groupContributions(set.items, o);
  const stable = JSON.stringify(groupsOutput(m1)) === JSON.stringify(groupsOutput(m2));
  return { model: m1, quality: labelQuality(m1, set.items), stable };
}

async function main(): Promise<void> {
  const show = process.argv.includes('--show');
  if (!existsSync(CORPUS)) console.log(`corpus absent (${CORPUS}): corpus sets skipped`);
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  console.log('set                                  n  labels  supported   parent=child  siblings  salut.  caps  « … »  rerun');
  const tot = { labels: 0, supported: 0, pc: 0, sib: 0, sal: 0, caps: 0, cut: 0 };
  for (const set of await allLabelSets()) {
    const { model, quality: q, stable } = measure(set);
    tot.labels += q.labels; tot.supported += q.supported; tot.pc += q.parentChildDuplicates; tot.sib += q.siblingDuplicates;
    tot.sal += q.salutations; tot.caps += q.allCaps; tot.cut += q.truncated;
    console.log(`${set.name.padEnd(32)} ${String(set.items.length).padStart(5)} ${String(q.labels).padStart(7)}  ${pct(q.supportedShare).padStart(9)}  ${String(q.parentChildDuplicates).padStart(12)}  ${String(q.siblingDuplicates).padStart(8)}  ${String(q.salutations).padStart(6)}  ${String(q.allCaps).padStart(4)}  ${String(q.truncated).padStart(5)}  ${stable ? 'identique' : 'DIFFÉRENT'}`);
    if (show) {
      const out = groupsOutput(model);
      for (const g of out) console.log(`   ${g.parent ? '    ' : ''}${g.id.padEnd(10)} ${String(g.count).padStart(4)}  ${g.label}`);
      for (const f of q.faulty) console.log(`   ! ${f}`);
    }
  }
  console.log(`${'TOTAL'.padEnd(38)} ${String(tot.labels).padStart(7)}  ${pct(tot.labels ? tot.supported / tot.labels : 1).padStart(9)}  ${String(tot.pc).padStart(12)}  ${String(tot.sib).padStart(8)}  ${String(tot.sal).padStart(6)}  ${String(tot.caps).padStart(4)}  ${String(tot.cut).padStart(5)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
