/**
 * `npm run bench:compare -- a.json b.json [--threshold 5] [--out file.md] [--fail-on-regression]`:
 * every figure two combined reports share, old (a) against new (b), with the change flagged when it
 * is beyond the threshold (percent, default 5) in the direction that matters: lower is better for
 * milliseconds, CPU and memory, higher for frames/s, records/s and sustained cameras. Prints the
 * table and writes it as Markdown (next to b unless --out).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMain } from '../lib/results';
import { num } from './document';
import type { BenchReport } from './types';

export interface Metric {
  key: string;
  unit: string;
  better: 'lower' | 'higher';
  value: number;
}

export type ChangeStatus = 'regression' | 'improvement' | 'same' | 'added' | 'removed';

export interface Change {
  key: string;
  unit: string;
  better: 'lower' | 'higher';
  a: number | null;
  b: number | null;
  /** (b - a) / |a| in percent; null when a is 0 or missing. */
  changePct: number | null;
  status: ChangeStatus;
}

/** The comparable figures of a report, each with its unit and direction. */
export function metricsOf(r: BenchReport): Metric[] {
  const out: Metric[] = [];
  const add = (key: string, unit: string, better: Metric['better'], value: number | null | undefined) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ key, unit, better, value });
  };
  for (const m of r.models?.rows ?? []) {
    const k = `models: ${m.model} [${m.provider}, ${m.threads} thr]`;
    add(`${k} batch-1 p50`, 'ms', 'lower', m.batch1.p50Ms);
    add(`${k} batch-1 p99`, 'ms', 'lower', m.batch1.p99Ms);
    add(`${k} best inf/s`, 'inf/s', 'higher', m.best.perSecond);
  }
  for (const s of r.models?.stages ?? []) add(`stage: ${s.name} p50`, 'ms', 'lower', s.p50Ms);
  const tf = r.baselines.tfjsWasm;
  if (tf) add('baseline: tfjs-wasm CenterNet p50', 'ms', 'lower', tf.p50Ms);
  for (const d of r.decode?.rows ?? []) add(`decode: ${d.resolution} ${d.mode}`, 'core-s/s', 'lower', d.coreSecondsPerCamera);
  if (r.decode?.capacity720p) add('decode: 720p cameras sustained', 'cameras', 'higher', r.decode.capacity720p.sustained);
  for (const [name, ramp] of [['every frame', r.endToEnd?.everyFrame], ['motion gate', r.endToEnd?.motionGate]] as const) {
    if (!ramp) continue;
    add(`end to end (${name}): cameras sustained`, 'cameras', 'higher', ramp.sustained);
    for (const s of ramp.steps) {
      const k = `end to end (${name}), ${s.cameras} cameras:`;
      add(`${k} min handled fps`, 'fps', 'higher', s.minFps);
      add(`${k} latency p50`, 'ms', 'lower', s.latencyP50Ms);
      add(`${k} latency p99`, 'ms', 'lower', s.latencyP99Ms);
      add(`${k} CPU`, 'cores', 'lower', s.cpuCores);
      add(`${k} RSS`, 'MiB', 'lower', s.rssMiB);
      add(`${k} detections/s`, 'detections/s', 'higher', s.detectionsPerSecond);
    }
  }
  const e2e = r.endToEnd;
  if (e2e) {
    add('end to end: pipeline efficiency (vs the model alone)', 'ratio', 'higher', e2e.efficiency?.ratio);
    add('end to end: model alone, best inf/s', 'inf/s', 'higher', e2e.modelOnly?.best.inferencesPerSecond);
    add('end to end: CPU per detected frame at the limit', 'core-ms', 'lower', e2e.everyFrame.at?.costs?.totalMs);
    add('end to end: motion gate vs every frame', 'x', 'higher', e2e.gatedVsEveryFrame);
    add('end to end: soak RSS max', 'MiB', 'lower', e2e.soak?.rssMaxMiB);
  }
  for (const b of r.central?.backends ?? []) {
    for (const i of b.ingest) {
      add(`central ${b.backend}, ${i.gateways} gateways: ingest`, 'records/s', 'higher', i.recordsPerSec);
      add(`central ${b.backend}, ${i.gateways} gateways: batch p99`, 'ms', 'lower', i.p99Ms);
    }
    if (b.drain) add(`central ${b.backend}: backlog drain`, 's', 'lower', b.drain.seconds);
  }
  const cv = r.baselines.opencv;
  if (cv?.fps) {
    add('detector on the same frames: ours', 'frames/s', 'higher', cv.fps.ours.detectFps);
    add('detector on the same frames: OpenCV', 'frames/s', 'higher', cv.fps.opencv.detectFps);
  }
  if (cv?.cameras) add('OpenCV pipeline: cameras sustained', 'cameras', 'higher', cv.cameras.sustained);
  add('ratio: ours vs OpenCV detector frames/s', 'x', 'higher', r.summary.detectFpsVsOpenCv);
  add('ratio: ours vs OpenCV sustained cameras', 'x', 'higher', r.summary.cameras.ratio);
  add('ratio: ORT vs tfjs-wasm', 'x', 'higher', r.summary.ortVsTfjsWasm);
  const ev = r.eval?.report.figures.overall;
  if (ev) {
    add('accuracy: detector precision', 'ratio', 'higher', ev.detection.precision);
    add('accuracy: detector recall', 'ratio', 'higher', ev.detection.recall);
    add('accuracy: count MAE', '% of mean', 'lower', ev.count.maePct);
    add('accuracy: tracks per person', 'tracks', 'lower', ev.tracking.tracksPerPerson);
    add('accuracy: IDF1', 'ratio', 'higher', ev.tracking.idf1);
  }
  return out;
}

/** Figures of a (old) and b (new) side by side; a change beyond `thresholdPct` is flagged by direction. */
export function compareReports(a: BenchReport, b: BenchReport, { thresholdPct = 5 } = {}): Change[] {
  const ma = new Map(metricsOf(a).map((m) => [m.key, m]));
  const mb = new Map(metricsOf(b).map((m) => [m.key, m]));
  const keys = [...new Set([...ma.keys(), ...mb.keys()])];
  return keys.map((key): Change => {
    const x = ma.get(key);
    const y = mb.get(key);
    const meta = (y ?? x)!;
    if (!x || !y) return { key, unit: meta.unit, better: meta.better, a: x?.value ?? null, b: y?.value ?? null, changePct: null, status: x ? 'removed' : 'added' };
    const diff = y.value - x.value;
    const changePct = x.value !== 0 ? (100 * diff) / Math.abs(x.value) : null;
    const beyond = changePct === null ? diff !== 0 : Math.abs(changePct) > thresholdPct;
    const worse = meta.better === 'lower' ? diff > 0 : diff < 0;
    return { key, unit: meta.unit, better: meta.better, a: x.value, b: y.value, changePct, status: !beyond ? 'same' : worse ? 'regression' : 'improvement' };
  });
}

const ORDER: Record<ChangeStatus, number> = { regression: 0, improvement: 1, same: 2, added: 3, removed: 4 };
const FLAG: Record<ChangeStatus, string> = { regression: 'REGRESSION', improvement: 'better', same: '', added: 'new', removed: 'gone' };

function pct(c: Change): string {
  if (c.changePct === null) return c.a === null || c.b === null ? '' : c.a === c.b ? '0%' : 'n/a';
  return `${c.changePct > 0 ? '+' : ''}${c.changePct.toFixed(1)}%`;
}

function rowsOf(changes: Change[]): string[][] {
  return [...changes]
    .sort((x, y) => ORDER[x.status] - ORDER[y.status])
    .map((c) => [c.key, c.unit, c.better, num(c.a, 3), num(c.b, 3), pct(c), FLAG[c.status]]);
}

const HEAD = ['figure', 'unit', 'better', 'a', 'b', 'change', 'flag'];

export function changesToMarkdown(changes: Change[], a: { name: string; report: BenchReport }, b: { name: string; report: BenchReport }, thresholdPct: number): string {
  const count = (s: ChangeStatus) => changes.filter((c) => c.status === s).length;
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `# Benchmark comparison: ${a.name} → ${b.name}`,
    '',
    `a: ${a.report.host}, ${a.report.date}, commit \`${a.report.device.gitCommit}\`${a.report.options.quick ? ' (quick)' : ''}  `,
    `b: ${b.report.host}, ${b.report.date}, commit \`${b.report.device.gitCommit}\`${b.report.options.quick ? ' (quick)' : ''}`,
    '',
    `Threshold ${thresholdPct}%: **${count('regression')} regression(s)**, ${count('improvement')} improvement(s), ${count('same')} within the threshold${count('added') + count('removed') ? `, ${count('added')} new, ${count('removed')} gone` : ''}.`,
    ...(a.report.device.cpuModel !== b.report.device.cpuModel || a.report.device.cores !== b.report.device.cores ? ['', `Note: different machines (${a.report.device.cpuModel} x${a.report.device.cores} vs ${b.report.device.cpuModel} x${b.report.device.cores}).`] : []),
    ...(a.report.options.quick !== b.report.options.quick ? ['', 'Note: one of the two is a quick run; its figures are not comparable to a full run.'] : []),
    '',
    `| ${HEAD.join(' | ')} |`,
    '| --- | --- | --- | ---: | ---: | ---: | --- |',
    ...rowsOf(changes).map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function changesToText(changes: Change[]): string {
  const rows = [HEAD, ...rowsOf(changes)];
  const widths = HEAD.map((_, i) => Math.min(i === 0 ? 90 : 14, Math.max(...rows.map((r) => r[i]!.length))));
  // Long figure names lose their middle, not the end that says which figure it is.
  const fit = (s: string, w: number, right: boolean) => (s.length > w ? `${s.slice(0, Math.floor(w / 2) - 1)}…${s.slice(s.length - Math.ceil(w / 2))}` : right ? s.padStart(w) : s.padEnd(w));
  return rows.map((r) => r.map((c, i) => fit(c, widths[i]!, i >= 3 && i <= 5)).join('  ')).join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const files = args.filter((x, i) => !x.startsWith('--') && !['--threshold', '--out'].includes(args[i - 1] ?? ''));
  if (files.length !== 2) {
    console.error('usage: npm run bench:compare -- old.json new.json [--threshold 5] [--out compare.md] [--fail-on-regression]');
    process.exitCode = 2;
    return;
  }
  const thresholdPct = Number(flag('threshold') ?? 5);
  const [fa, fb] = files as [string, string];
  const a = JSON.parse(readFileSync(fa, 'utf8')) as BenchReport;
  const b = JSON.parse(readFileSync(fb, 'utf8')) as BenchReport;
  for (const [f, r] of [[fa, a], [fb, b]] as const) {
    if (r.schema !== 1 || !r.summary) throw new Error(`${f} is not a combined report (npm run bench writes those)`);
  }
  const changes = compareReports(a, b, { thresholdPct });
  const out = flag('out') ?? join(dirname(fb), `compare-${basename(fa, '.json')}-vs-${basename(fb, '.json')}.md`);
  writeFileSync(out, changesToMarkdown(changes, { name: basename(fa), report: a }, { name: basename(fb), report: b }, thresholdPct));
  const regressions = changes.filter((c) => c.status === 'regression').length;
  console.log(changesToText(changes));
  console.log(`\n${regressions} regression(s), ${changes.filter((c) => c.status === 'improvement').length} improvement(s) beyond ${thresholdPct}%; wrote ${out}`);
  if (regressions && args.includes('--fail-on-regression')) process.exitCode = 1;
}

if (isMain(import.meta.url)) main();
