import { useEffect, useId, useRef, type ReactNode } from 'react';
import { DataTable } from './DataTable.tsx';
import { nf } from '../labels.ts';

const compact = new Intl.NumberFormat('fr-FR', { notation: 'compact', maximumFractionDigits: 1 });

/** A bar; `value: null` is a missing figure, shown as « donnée manquante » (never as 0). */
export interface Bar { label: string; value: number | null }

export const MISSING = 'donnée manquante';

/**
 * A horizontal bar chart (ECharts, SVG) exposed as one image with a text summary, followed by the
 * same data as a table (the accessible alternative, always present). By default it shows counts;
 * `summary`, `headers` and `note` adapt it to other figures (e.g. indicators compared between territories).
 */
export function BarChart({ title, bars, unit = 'contributions', summary: givenSummary, headers, note }: {
  title: string;
  bars: Bar[];
  unit?: string;
  /** text alternative of the chart; by default a summary of counts */
  summary?: string;
  /** table headers; by default « Catégorie », « Nombre de {unit} » */
  headers?: [string, string];
  /** shown under the table (source, unit…) */
  note?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const total = bars.reduce((s, b) => s + (b.value ?? 0), 0);
  const top = [...bars].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))[0];
  const summary = givenSummary ?? (bars.length === 0
    ? `${title} : aucune donnée.`
    : `${title} : ${bars.length} catégories, ${nf.format(total)} ${unit} au total ; la plus fréquente est « ${top!.label} » (${top!.value === null ? MISSING : nf.format(top!.value)}). Détail dans le tableau qui suit.`);
  useEffect(() => {
    const el = ref.current;
    if (!el || bars.length === 0) return;
    // the charting library is loaded with the first chart shown (the table below is there meanwhile)
    let dispose: (() => void) | null = null;
    let cancelled = false;
    void import('./echarts-bar.ts').then(({ echarts }) => {
      if (!cancelled) dispose = drawBars(echarts, el, bars);
    });
    return () => { cancelled = true; dispose?.(); };
  }, [bars]);
  const height = Math.max(120, bars.length * 34 + 40);
  return (
    <figure className="chart fr-mb-4w" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`} className="fr-h5">{title}</h3>
      <div ref={ref} role="img" aria-label={summary} style={{ width: '100%', height }} />
      <DataTable
        caption={`${title} (tableau de données)`}
        headers={headers ?? ['Catégorie', `Nombre de ${unit}`]}
        rows={bars.map((b) => [b.label, b.value === null ? <em>{MISSING}</em> : nf.format(b.value)])}
        className="fr-mt-2w"
      />
      {note ? <figcaption className="fr-text--sm fr-mt-1w fr-mb-0">{note}</figcaption> : null}
    </figure>
  );
}

/** Draws the bars into `el`; returns what removes the chart. */
function drawBars(echarts: typeof import('./echarts-bar.ts').echarts, el: HTMLDivElement, bars: Bar[]): () => void {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  const rev = [...bars].reverse();
  chart.setOption({
    animation: false,
    aria: { enabled: false },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', axisLabel: { color: '#3a3a3a', formatter: (v: number) => compact.format(v) } },
    yAxis: {
      type: 'category',
      data: rev.map((b) => (b.label.length > 38 ? b.label.slice(0, 36) + '…' : b.label)),
      axisLabel: { color: '#161616', fontSize: 12 },
    },
    series: [{
      type: 'bar',
      data: rev.map((b) => (b.value === null
        ? { value: 0, label: { formatter: MISSING, color: '#3a3a3a', fontStyle: 'italic' } }
        : b.value)),
      itemStyle: { color: '#000091' },
      label: { show: true, position: 'right', color: '#161616', formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? nf.format(p.value) : '') },
    }],
  });
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    chart.dispose();
  };
}
