// CPU cores and memory of the gateway since this page opened (uPlot, global `uPlot` from /ui/vendor/uplot.js).
import { fmtNumber, fmtTime, t } from './app.js';

const HEIGHT = 200;
/** Samples kept: 10 minutes at one per 3 s. */
const MAX_POINTS = 200;
/** The time axis spans at least this much, so the first samples do not fill it. */
const WINDOW_SECONDS = 300;

export class SystemChart {
  constructor(target) {
    this.target = target;
    this.data = [[], [], [], []];
    this.plot = undefined;
    window.addEventListener('resize', () => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
  }

  width() {
    return Math.max(300, this.target.clientWidth || 600);
  }

  /** Adds one sample: time (ms), process cores, ffmpeg cores (or null), RSS in MiB. */
  add(at, processCores, ffmpegCores, rssMiB) {
    const series = [at / 1000, processCores, ffmpegCores, Math.round(rssMiB)];
    series.forEach((v, i) => this.data[i].push(v));
    if (this.data[0].length > MAX_POINTS) for (const s of this.data) s.shift();
    // uPlot cannot scale a time axis on a single point: wait for the second.
    if (typeof uPlot === 'undefined' || this.data[0].length < 2) return;
    if (!this.plot) {
      this.target.replaceChildren();
      this.plot = new uPlot(this.options(), this.data, this.target);
    }
    else this.plot.setData(this.data);
  }

  options() {
    const cores = (u, v) => (v === null || v === undefined ? '—' : fmtNumber(v, 2));
    return {
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: true, range: (u, min, max) => [Math.min(min, max - WINDOW_SECONDS), max] }, c: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.2 * 10) / 10)] }, m: { range: (u, min, max) => [0, Math.max(64, Math.ceil((max ?? 0) * 1.2))] } },
      series: [
        { label: t('ops.chart.time'), value: (u, v) => (v === null || v === undefined ? '—' : fmtTime(v * 1000)) },
        { label: t('ops.chart.processCores'), scale: 'c', stroke: '#0b62c4', width: 2, value: cores },
        { label: t('ops.chart.ffmpegCores'), scale: 'c', stroke: '#1a7f37', width: 2, value: cores },
        { label: t('ops.chart.rss'), scale: 'm', stroke: '#b7791f', width: 2, dash: [6, 4], value: (u, v) => (v === null || v === undefined ? '—' : `${fmtNumber(v)} MiB`) },
      ],
      axes: [{}, { scale: 'c', label: t('ops.chart.coresAxis') }, { scale: 'm', side: 1, grid: { show: false }, label: 'MiB' }],
    };
  }
}
