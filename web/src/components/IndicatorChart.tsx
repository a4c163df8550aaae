import { useId } from 'react';
import { BarCell, barScale, stackedValues } from './BarChart.tsx';
import { DataTable } from './DataTable.tsx';
import { formatDate } from '../labels.ts';
import type { FollowupIndicator } from '../types.ts';

const num = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/**
 * A value with its unit, as printed everywhere on the page (« 3 implantations »), agreed in number: French puts 0 and 1
 * in the singular (« 1 implantation »). Only a one-word plural unit is agreed (« implantations »); « % » or
 * « places pour 1 000 habitants » are printed as entered.
 */
export function withUnit(v: number, unit: string): string {
  if (!unit) return num.format(v);
  const u = Math.abs(v) < 2 && /^\p{L}+s$/u.test(unit) ? unit.slice(0, -1) : unit;
  return `${num.format(v)} ${u}`;
}

/** The target in words, agreed with its value (the server's label is used for a direction). */
export function targetText(i: FollowupIndicator): string {
  if (i.target.kind === 'value') return withUnit(i.target.value, i.unit);
  if (i.target.kind === 'range') return `entre ${num.format(i.target.min)} et ${withUnit(i.target.max, i.unit)}`;
  return i.targetLabel;
}

/** A label as printed, without the list punctuation the document left at its end (« … ; »). */
export function indicatorLabel(i: FollowupIndicator): string {
  return i.label.replace(/\s*[;:,]\s*$/u, '');
}

/** A date that may be a year only (« 2028 ») or a day (« 1ᵉʳ décembre 2026 »). */
export function dayOrYear(d: string | null): string {
  if (!d) return 'non datée';
  return /^\d{4}$/.test(d) ? d : formatDate(d);
}

/** The target as a number on the chart's scale: a value, or a range's far bound; none for a direction. */
function targetValue(i: FollowupIndicator): number | null {
  if (i.target.kind === 'value') return i.target.value;
  if (i.target.kind === 'range') return i.target.max;
  return null;
}

/**
 * One follow-up indicator: horizontal bars for the baseline, each measurement and the target, on the indicator's own
 * scale from 0, every value printed with its unit at the end of its bar and its source under it. The bars are a table
 * (BarChart's BarCell in a DataTable): the same structure for the eye, a screen reader and a phone (a card a row),
 * with the progress in words above.
 */
export function IndicatorChart({ indicator: i, level = 4 }: { indicator: FollowupIndicator; level?: 3 | 4 | 5 }) {
  const id = useId();
  const target = targetValue(i);
  const max = barScale([i.baseline.value, ...i.measurements.map((m) => m.value), target]);
  const H = `h${level}` as const;
  const stacked = stackedValues([withUnit(i.baseline.value, i.unit), ...i.measurements.map((m) => withUnit(m.value, i.unit)), targetText(i)]);
  return (
    <figure className="followup-indicator fr-mb-4w" aria-labelledby={`${id}-t`}>
      <H id={`${id}-t`} className="fr-text--lg fr-mb-1w">{indicatorLabel(i)}</H>
      <p className="fr-text--sm fr-mb-1w">
        <strong>{i.progress.label}</strong> — {i.progress.statusLabel}. Départ {withUnit(i.baseline.value, i.unit)}, cible {targetText(i)}
        {i.dueDate ? <> (échéance {dayOrYear(i.dueDate)})</> : null}.
      </p>
      <DataTable
        className={`chart__table${stacked ? ' chart__table--stacked' : ''} followup-indicator__chart fr-mt-1w`}
        caption={`${indicatorLabel(i)} : départ, mesures et cible`}
        hideCaption
        headers={['Repère', 'Valeur et source']}
        rows={[
          [`Départ${i.baseline.date ? ` (${dayOrYear(i.baseline.date)})` : ''}`,
            <BarCell value={i.baseline.value} max={max} tone="baseline" text={withUnit(i.baseline.value, i.unit)} detail={i.baseline.source} />],
          ...i.measurements.map((m) => [`Mesure du ${dayOrYear(m.date)}`,
            <BarCell value={m.value} max={max} text={withUnit(m.value, i.unit)} detail={m.source} />]),
          [`Cible${i.dueDate ? ` (échéance ${dayOrYear(i.dueDate)})` : ''}`,
            // a direction (« en baisse ») has no value: its words, no bar
            target !== null ? <BarCell value={target} max={max} tone="target" text={targetText(i)} /> : targetText(i)],
        ]}
      />
    </figure>
  );
}
