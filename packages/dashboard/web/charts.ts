import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the page draws: a smaller bundle than all of ECharts.
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
]);

/** A chart as data: categories along one axis, one or more series of values. */
export interface ChartSpec {
  readonly kind: 'bar' | 'line' | 'pie' | 'bar-horizontal' | 'bar-line';
  readonly categories: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
}

/** Colours with at least 3:1 contrast on the page's dark background, told apart by decal patterns too. */
const PALETTE = ['#4cc9f0', '#f9c74f', '#90be6d', '#f9844a', '#c77dff', '#f94144', '#43aa8b', '#ffafcc'];

const TEXT = '#e8eef6';

/** Draws `spec` into `element` (SVG, so that text stays text), replacing what was there. */
export const drawChart = (element: HTMLElement, spec: ChartSpec, locale: 'ZH' | 'EN'): echarts.ECharts => {
  echarts.getInstanceByDom(element)?.dispose();
  const chart = echarts.init(element, null, { renderer: 'svg', locale });
  const axisLabel = { color: TEXT, fontSize: 13 };
  const common = {
    color: PALETTE,
    backgroundColor: 'transparent',
    textStyle: { color: TEXT, fontFamily: 'inherit' },
    animation: false,
    aria: { enabled: true, decal: { show: spec.series.length > 1 || spec.kind === 'pie' } },
    tooltip: { trigger: spec.kind === 'pie' ? ('item' as const) : ('axis' as const) },
    legend: { show: spec.series.length > 1 || spec.kind === 'pie', textStyle: { color: TEXT }, top: 0 },
  };
  if (spec.kind === 'pie') {
    chart.setOption({
      ...common,
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          top: 24,
          label: { color: TEXT, formatter: '{b}: {c}' },
          data: spec.categories.map((name, i) => ({ name, value: spec.series[0]?.values[i] ?? 0 })),
        },
      ],
    });
    return chart;
  }
  const horizontal = spec.kind === 'bar-horizontal';
  const categoryAxis = {
    type: 'category' as const,
    data: [...spec.categories],
    axisLabel: { ...axisLabel, interval: 0, hideOverlap: true },
    inverse: horizontal,
  };
  const valueAxis = {
    type: 'value' as const,
    minInterval: 1,
    axisLabel,
    splitLine: { lineStyle: { color: 'rgba(232,238,246,0.15)' } },
  };
  chart.setOption({
    ...common,
    grid: { left: horizontal ? 140 : 48, right: 24, top: 40, bottom: 32, containLabel: false },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s, i) => ({
      type: spec.kind === 'line' || (spec.kind === 'bar-line' && i > 0) ? 'line' : 'bar',
      name: s.name,
      data: [...s.values],
      label: { show: spec.categories.length <= 12, position: horizontal ? 'right' : 'top', color: TEXT },
      barMaxWidth: 36,
    })),
  });
  return chart;
};

export const disposeChart = (element: HTMLElement): void => echarts.getInstanceByDom(element)?.dispose();

/** Fits every chart under `root` to its box again (after the window changed size). */
export const resizeCharts = (root: ParentNode): void => {
  for (const element of root.querySelectorAll<HTMLElement>('.chart'))
    echarts.getInstanceByDom(element)?.resize();
};
