import { useId, type CSSProperties, type ReactNode } from 'react';
import { DataTable } from './DataTable.tsx';
import { count } from '../labels.ts';

/** A bar; `value: null` is a missing figure, shown as « donnée manquante » (never as 0). */
export interface Bar { label: string; value: number | null }

export const MISSING = 'donnée manquante';

/** The colour of a bar: a plain value, a starting point (grey) or a target (green). */
export type BarTone = 'value' | 'baseline' | 'target';

/** The longest bar's value: every bar of one chart is drawn against it, from 0 (a chart's own scale). */
export function barScale(values: (number | null)[]): number {
  return Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
}

/**
 * Whether a chart prints its values under the bars rather than at their end: when one of them is too long to sit
 * beside a bar on a phone (« 392 pour 1 000 habitants »). One choice a chart, so that all its bars keep one scale.
 */
export function stackedValues(texts: string[]): boolean {
  return texts.some((t) => t.length > 18);
}

/**
 * One bar drawn in HTML and CSS, its value and unit printed at its end (`text`): the bar is for the eye only, the
 * text is what is read. Drawn only when `max` is given (a chart whose figures are comparable); a missing value is
 * written « donnée manquante » with no bar; 0 or a negative value has no bar either.
 */
export function BarCell({ value, max, text, tone = 'value', detail }: {
  value: number | null;
  /** the chart's scale (barScale); null: the values are printed without bars */
  max: number | null;
  text: ReactNode;
  tone?: BarTone;
  /** printed under the value (a source…) */
  detail?: ReactNode;
}) {
  const share = value !== null && max !== null && max > 0 && value > 0 ? Math.min(1, value / max) : 0;
  return (
    <>
      <span className="bar">
        {share > 0 ? <span className={`bar__fill bar__fill--${tone}`} style={{ '--share': share.toFixed(4) } as CSSProperties} aria-hidden="true" /> : null}
        <span className="bar__value">{value === null ? <em>{MISSING}</em> : text}</span>
      </span>
      {detail ? <span className="bar__detail fr-text--xs">{detail}</span> : null}
    </>
  );
}

/**
 * A horizontal bar chart as a table (HTML and CSS, no charting library): one row a bar, its label in the row header
 * (it wraps, above the bar on a phone), the bar and its value with the unit in the second cell, all bars on the
 * chart's own scale from 0. The table is the chart: a screen reader reads it as a table, a phone shows a card per
 * bar. By default it shows counts of contributions; `format`, `headers` and `note` adapt it to other figures;
 * `drawBars={false}` prints the values alone (figures of very different sizes, which no common scale can compare).
 */
export function BarChart({ title, bars, format = (v) => count(v, 'contribution', 'contributions'), headers, note, drawBars = true }: {
  title: string;
  bars: Bar[];
  /** a value as printed at the end of its bar, with its unit */
  format?: (v: number) => string;
  /** table headers; by default « Catégorie », « Nombre de contributions » */
  headers?: [string, string];
  /** shown under the table (source, unit…) */
  note?: ReactNode;
  drawBars?: boolean;
}) {
  const id = useId();
  const max = drawBars ? barScale(bars.map((b) => b.value)) : null;
  const texts = bars.map((b) => (b.value === null ? '' : format(b.value)));
  return (
    <figure className="chart fr-mb-4w" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`} className="fr-h5">{title}</h3>
      {bars.length === 0 ? <p>Aucune donnée.</p> : (
        <DataTable
          caption={title}
          hideCaption
          headers={headers ?? ['Catégorie', 'Nombre de contributions']}
          rows={bars.map((b, i) => [b.label, <BarCell value={b.value} max={max} text={texts[i]} />])}
          className={`chart__table${drawBars ? '' : ' chart__table--numbers'}${stackedValues(texts) ? ' chart__table--stacked' : ''} fr-mt-1w fr-mb-1w`}
        />
      )}
      {note ? <figcaption className="fr-text--sm fr-mt-1w fr-mb-0">{note}</figcaption> : null}
    </figure>
  );
}
