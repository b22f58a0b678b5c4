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
  // Chart text grows with the page's (a wall screen's root font is larger than a laptop's).
  const base = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const fontSize = Math.round(base * 0.8);
  // The page's font by name: ECharts measures text to lay out legends and labels ('inherit' it cannot).
  const fontFamily = getComputedStyle(document.documentElement).fontFamily;
  const axisLabel = { color: TEXT, fontSize };
  const common = {
    color: PALETTE,
    backgroundColor: 'transparent',
    textStyle: { color: TEXT, fontFamily, fontSize },
    animation: false,
    aria: { enabled: true, decal: { show: spec.series.length > 1 || spec.kind === 'pie' } },
    tooltip: { trigger: spec.kind === 'pie' ? ('item' as const) : ('axis' as const) },
    legend: {
      show: spec.series.length > 1 || spec.kind === 'pie',
      type: 'scroll' as const,
      pageTextStyle: { color: TEXT },
      textStyle: { color: TEXT, fontSize },
      top: 0,
    },
  };
  if (spec.kind === 'pie') {
    chart.setOption({
      ...common,
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          top: 24,
          label: { color: TEXT, fontSize, formatter: '{b}: {c}' },
          data: spec.categories.map((name, i) => ({ name, value: spec.series[0]?.values[i] ?? 0 })),
        },
      ],
    });
    return chart;
  }
  const horizontal = spec.kind === 'bar-horizontal';
  // Room for the longest category name beside a horizontal bar; under a vertical one, names wrap.
  const textWidth = (text: string) =>
    [...text].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? fontSize : fontSize * 0.6), 0);
  const longest = Math.max(0, ...spec.categories.map(textWidth));
  const slot = (element.clientWidth - 80) / Math.max(1, spec.categories.length);
  const categoryAxis = {
    type: 'category' as const,
    data: [...spec.categories],
    axisLabel: horizontal
      ? { ...axisLabel, interval: 0 }
      : {
          ...axisLabel,
          interval: 0,
          hideOverlap: true,
          width: Math.max(40, slot - 8),
          overflow: 'break' as const,
        },
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
    grid: {
      left: horizontal ? Math.min(element.clientWidth * 0.45, longest + 16) : fontSize * 3,
      right: fontSize * 2.5,
      top: fontSize * 3,
      bottom: horizontal ? fontSize * 2 : fontSize * 3.5,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s, i) => ({
      type: spec.kind === 'line' || (spec.kind === 'bar-line' && i > 0) ? 'line' : 'bar',
      name: s.name,
      data: [...s.values],
      label: {
        show: spec.categories.length <= 12,
        position: horizontal ? 'right' : 'top',
        color: TEXT,
        fontSize,
      },
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
