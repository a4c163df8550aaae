/** ECharts on demand: one download, shared by every chart of the page (see echarts-setup.ts). */
type Setup = typeof import('./echarts-setup.ts');

let loading: Promise<Setup> | null = null;

export function loadECharts(): Promise<Setup> {
  loading ??= import('./echarts-setup.ts');
  return loading;
}
