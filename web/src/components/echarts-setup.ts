/**
 * The parts of ECharts the app draws with (horizontal bars, SVG). Loaded only through loadECharts (a dynamic
 * import), so that pages without a chart — the citizen's home page first — do not download it.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export { echarts };
