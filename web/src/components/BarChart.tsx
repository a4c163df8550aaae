import { useEffect, useId, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart as EBar } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { DataTable } from './DataTable.tsx';
import { nf } from '../labels.ts';

echarts.use([EBar, GridComponent, TooltipComponent, SVGRenderer]);

export interface Bar { label: string; value: number }

/**
 * A horizontal bar chart (ECharts, SVG) exposed as one image with a text summary, followed by the
 * same data as a table (the accessible alternative, always present).
 */
export function BarChart({ title, bars, unit = 'contributions' }: { title: string; bars: Bar[]; unit?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const total = bars.reduce((s, b) => s + b.value, 0);
  const top = [...bars].sort((a, b) => b.value - a.value)[0];
  const summary = bars.length === 0
    ? `${title} : aucune donnée.`
    : `${title} : ${bars.length} catégories, ${nf.format(total)} ${unit} au total ; la plus fréquente est « ${top!.label} » (${nf.format(top!.value)}). Détail dans le tableau qui suit.`;
  useEffect(() => {
    const el = ref.current;
    if (!el || bars.length === 0) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    const rev = [...bars].reverse();
    chart.setOption({
      animation: false,
      aria: { enabled: false },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', axisLabel: { color: '#3a3a3a' } },
      yAxis: {
        type: 'category',
        data: rev.map((b) => (b.label.length > 38 ? b.label.slice(0, 36) + '…' : b.label)),
        axisLabel: { color: '#161616', fontSize: 12 },
      },
      series: [{
        type: 'bar',
        data: rev.map((b) => b.value),
        itemStyle: { color: '#000091' },
        label: { show: true, position: 'right', color: '#161616' },
      }],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [bars]);
  const height = Math.max(120, bars.length * 34 + 40);
  return (
    <figure className="chart fr-mb-4w" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`} className="fr-h5">{title}</h3>
      <div ref={ref} role="img" aria-label={summary} style={{ width: '100%', height }} />
      <DataTable
        caption={`${title} (tableau de données)`}
        headers={['Catégorie', `Nombre de ${unit}`]}
        rows={bars.map((b) => [b.label, nf.format(b.value)])}
        className="fr-mt-2w"
      />
    </figure>
  );
}
