import { useEffect, useId, useRef } from 'react';
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

const shortDay = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** « 15 nov. 2026 »: short enough for a bar's label on a phone (the table prints the full date). */
function shortDate(d: string): string {
  if (/^\d{4}$/.test(d)) return d;
  const t = new Date(`${d.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t.getTime()) ? d : shortDay.format(t).replace(/^1 /, '1ᵉʳ ');
}

/** The target as a number on the chart's axis: a value, or a range's far bound; none for a direction. */
function targetValue(i: FollowupIndicator): number | null {
  if (i.target.kind === 'value') return i.target.value;
  if (i.target.kind === 'range') return i.target.max;
  return null;
}

/**
 * One follow-up indicator: horizontal bars for the baseline, each measurement and the target (ECharts, loaded on
 * demand), every value printed with its unit beside its bar; the same figures as a table after it (the alternative
 * for screen readers, and what a phone reader reads when the bars are small), and the progress in words.
 */
export function IndicatorChart({ indicator: i, level = 4 }: { indicator: FollowupIndicator; level?: 3 | 4 | 5 }) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const target = targetValue(i);
  const rows: { label: string; value: number; kind: 'baseline' | 'measure' | 'target' }[] = [
    { label: i.baseline.date ? `Départ, ${shortDate(i.baseline.date)}` : 'Départ', value: i.baseline.value, kind: 'baseline' },
    ...i.measurements.map((m) => ({ label: shortDate(m.date), value: m.value, kind: 'measure' as const })),
    ...(target !== null ? [{ label: i.dueDate ? `Cible, ${shortDate(i.dueDate)}` : 'Cible', value: target, kind: 'target' as const }] : []),
  ];
  const summary = `${indicatorLabel(i)} : départ ${withUnit(i.baseline.value, i.unit)}, cible ${targetText(i)}`
    + `${i.progress.latest ? `, dernière mesure ${withUnit(i.progress.latest.value, i.unit)} le ${dayOrYear(i.progress.latest.date)}` : ', aucune mesure'} ; ${i.progress.label}.`;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let live = true;
    let dispose = () => { live = false; };
    // the charting library is loaded with the first chart shown (echarts-bar.ts, its own chunk)
    void import('./echarts-bar.ts').then(({ echarts }) => {
      if (!live) return;
      const chart = echarts.init(el, undefined, { renderer: 'svg' });
      const rev = [...rows].reverse();
      const color = { baseline: '#929292', measure: '#000091', target: '#18753c' };
      chart.setOption({
        animation: false,
        aria: { enabled: false },
        grid: { left: 4, right: 96, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: 'value', min: 0, axisLabel: { show: false }, splitLine: { show: false } },
        yAxis: { type: 'category', data: rev.map((r) => r.label), axisLabel: { color: '#161616', fontSize: 12 } },
        series: [{
          type: 'bar', barMaxWidth: 22,
          data: rev.map((r) => ({ value: r.value, itemStyle: { color: color[r.kind] } })),
          label: { show: true, position: 'right', color: '#161616', formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? withUnit(p.value, i.unit) : '') },
        }],
      });
      const onResize = () => chart.resize();
      window.addEventListener('resize', onResize);
      dispose = () => {
        window.removeEventListener('resize', onResize);
        chart.dispose();
      };
    });
    return () => dispose();
  }, [i]);
  const H = `h${level}` as const;
  return (
    <figure className="followup-indicator fr-mb-4w" aria-labelledby={`${id}-t`}>
      <H id={`${id}-t`} className="fr-text--lg fr-mb-1w">{indicatorLabel(i)}</H>
      <p className="fr-text--sm fr-mb-1w">
        <strong>{i.progress.label}</strong> — {i.progress.statusLabel}. Départ {withUnit(i.baseline.value, i.unit)}, cible {targetText(i)}
        {i.dueDate ? <> (échéance {dayOrYear(i.dueDate)})</> : null}.
      </p>
      <div ref={ref} role="img" aria-label={summary} className="followup-indicator__chart" style={{ width: '100%', height: rows.length * 36 + 12 }} />
      {/* two columns, the source under each value: it stays readable at 375 px */}
      <DataTable
        className="table--wrap followup-indicator__table fr-mt-1w"
        caption={`${indicatorLabel(i)} : départ, mesures et cible (tableau de données)`}
        hideCaption
        headers={['Repère', 'Valeur et source']}
        rows={[
          [`Départ${i.baseline.date ? ` (${dayOrYear(i.baseline.date)})` : ''}`, <>{withUnit(i.baseline.value, i.unit)}<br /><span className="fr-text--xs">{i.baseline.source}</span></>],
          ...i.measurements.map((m) => [`Mesure du ${dayOrYear(m.date)}`, <>{withUnit(m.value, i.unit)}<br /><span className="fr-text--xs">{m.source}</span></>]),
          [`Cible${i.dueDate ? ` (échéance ${dayOrYear(i.dueDate)})` : ''}`, targetText(i)],
        ]}
      />
    </figure>
  );
}
