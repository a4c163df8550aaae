/**
 * The territory's indicators (« data repère », src/store/indicators.ts) in the context section: the same
 * values as the public page /indicators, with the région and France values beside them and their source.
 */
import type { Indicator } from '../domain/plan.ts';
import type { SynthesisLevel } from '../domain/synthesis.ts';
import { listIndicators } from '../store/indicators.ts';
import type { Store } from '../store/store.ts';
import type { Block, TableCell, TableRow } from './model.ts';

function cell(v: number | null | undefined): TableCell {
  return v === null || v === undefined ? { nc: true } : { text: v.toLocaleString('fr-FR', { maximumFractionDigits: 2 }) };
}

export function indicatorRows(indicators: Indicator[]): TableRow[] {
  return indicators.map((i) => ({
    header: i.unit ? `${i.label} (${i.unit})` : i.label,
    cells: [cell(i.value), cell(i.regionValue), cell(i.franceValue), { text: i.year !== undefined ? String(i.year) : '—' }, { text: i.source ?? 'non précisée' }],
  }));
}

/** The indicators table of a territory, or a line saying there is none. */
export async function indicatorBlocks(store: Store, level: SynthesisLevel, territory: string, name: string): Promise<Block[]> {
  const indicators = await listIndicators(store, territory, level);
  if (indicators.length === 0) return [{ type: 'slot', key: 'contexte.indicateurs', text: 'Indicateurs du territoire : aucun indicateur n’est encore importé pour ce territoire.' }];
  const columns = ['Indicateur', name, ...(level === 'departement' ? ['Région'] : []), 'France', 'Année', 'Source'];
  const rows = indicatorRows(indicators).map((r) => (level === 'departement' ? r : { ...r, cells: [r.cells[0]!, ...r.cells.slice(2)] }));
  return [
    { type: 'table', key: 'contexte.indicateurs', caption: `Indicateurs du territoire (${indicators.length})`, columns, rows },
    { type: 'note', level: 'info', content: ['« non communiqué » : valeur absente de la source. Les indicateurs sont repris tels qu’importés avec la consultation, avec leur source.'] },
  ];
}
