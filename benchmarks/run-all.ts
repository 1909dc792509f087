/**
 * `npm run bench`: every benchmark in one go (models, decode, end to end, central, the OpenCV and
 * tfjs-wasm baselines, and the accuracy evaluation of `npm run eval`, run once), with a progress bar
 * on stderr, then one report in three forms: benchmarks/results/<date>-<host>.json, .md and .html
 * (self-contained, SVG charts). With `--skip eval` the report shows the latest
 * benchmarks/results/eval-*.json instead, with its own date and commit.
 *
 *   --quick          seconds per section instead of minutes (figures indicative only; files get -quick)
 *   --runs N         run each section N times and report medians (default 3; 1 when --quick)
 *   --only a,b       just these sections: models, decode, endToEnd, central, opencv, eval
 *   --skip a,b       all but these
 *   --out DIR        where to write (default benchmarks/results)
 *   --soak-minutes M the end-to-end memory soak (default 10; 0.5 when --quick; 0 skips it)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pino from 'pino';
import { setModelsLogger } from '../models/runtime/log';
import { setStreamsLogger } from '../streams/log';
import { isMain, runBenchmark } from './lib/results';
import { collect, SECTION_WEIGHTS } from './report/collect';
import { renderHtml } from './report/html';
import { renderMarkdown } from './report/markdown';
import { endToEndLines } from './report/end-to-end';
import { createProgress } from './report/progress';
import { SECTIONS, type BenchReport, type SectionName } from './report/types';

export interface RunAllArgs {
  quick: boolean;
  runs: number;
  sections: SectionName[];
  out: string;
  soakMinutes?: number;
}

export function parseArgs(argv: readonly string[]): RunAllArgs {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string): SectionName[] | undefined => {
    const v = flag(name);
    if (v === undefined) return undefined;
    const names = v.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
    if (bad.length) throw new Error(`--${name}: unknown section ${bad.join(', ')} (sections: ${SECTIONS.join(', ')})`);
    return names as SectionName[];
  };
  const quick = argv.includes('--quick');
  const runs = Number(flag('runs') ?? (quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${flag('runs')}`);
  const only = list('only');
  const skip = list('skip') ?? [];
  const sections = SECTIONS.filter((s) => (only ? only.includes(s) : true) && !skip.includes(s));
  if (sections.length === 0) throw new Error('no section left to run');
  const soak = flag('soak-minutes');
  const soakMinutes = soak === undefined ? undefined : Number(soak);
  if (soakMinutes !== undefined && !(soakMinutes >= 0)) throw new Error(`--soak-minutes must be a number >= 0, got ${soak}`);
  return { quick, runs, sections, out: flag('out') ?? join(import.meta.dirname, 'results'), ...(soakMinutes !== undefined ? { soakMinutes } : {}) };
}

/** Writes the three report files and returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; markdown: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${report.date.slice(0, 10)}-${report.host}${report.options.quick ? '-quick' : ''}`);
  const files = { json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.markdown, renderMarkdown(report));
  writeFileSync(files.html, renderHtml(report));
  return files;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Library warnings (a missing CUDA provider, say) would tear through the progress bar.
  process.env.LOG_LEVEL ??= 'error';
  setModelsLogger(pino({ name: 'models', level: process.env.LOG_LEVEL }));
  setStreamsLogger(pino({ name: 'streams', level: process.env.LOG_LEVEL }));
  // The eval runs once whatever --runs says (collect.ts).
  // The end-to-end memory soak runs in the first run only (collect.ts).
  const soakSeconds = (args.soakMinutes ?? (args.quick ? 0.5 : 10)) * 60 + 20;
  const plan = Array.from({ length: args.runs }, (_, run) =>
    args.sections.filter((s) => s !== 'eval' || run === 0).map((s) => ({ section: s, seconds: SECTION_WEIGHTS[s][args.quick ? 'quick' : 'full'] + (s === 'endToEnd' && run === 0 ? soakSeconds : 0) })),
  ).flat();
  const progress = createProgress({ plan });
  const report = await collect({ quick: args.quick, runs: args.runs, sections: args.sections, progress, ...(args.soakMinutes !== undefined ? { soakMinutes: args.soakMinutes } : {}) });
  progress.finish();
  const files = writeReport(report, args.out);
  const s = report.summary;
  const e2e = report.endToEnd;
  console.log(`\nbenchmark report${args.quick ? ' (quick: indicative only)' : ''}, ${report.durationSeconds} s`);
  if (e2e) {
    console.log(`  gateway: ${e2e.everyFrame.sustained} cameras at 5 fps with every frame detected, ${e2e.motionGate.sustained} with the motion gate (half static)`);
    for (const line of endToEndLines(e2e)) console.log(`  ${line}`);
  }
  if (s.cameras.opencv !== null) console.log(`  OpenCV pipeline: ${s.cameras.opencv} cameras; ratio ${s.cameras.ratio ?? 'n/a'}`);
  if (s.detectFpsVsOpenCv !== null) console.log(`  detector frames/s ours vs OpenCV: ${s.detectFpsVsOpenCv}x; equal accuracy: ${s.equalAccuracy}`);
  if (s.ortVsTfjsWasm !== null) console.log(`  ORT vs tfjs-wasm (same CenterNet): ${s.ortVsTfjsWasm}x`);
  if (s.goalMet !== null) console.log(`  goal (>= 2x OpenCV cameras at equal accuracy): ${s.goalMet ? 'met' : 'not met'}`);
  if (report.eval) {
    const ev = report.eval.report;
    const met = ev.targets.overall.filter((t) => t.met === true).length;
    console.log(`  accuracy (${report.eval.origin === 'run' ? 'run now' : `latest eval, ${ev.date.slice(0, 10)}, commit ${ev.commit}`}): ${met} of ${ev.targets.overall.length} targets met on ${ev.groundTruth.video}`);
  }
  for (const n of s.notes) console.log(`  note: ${n}`);
  for (const e of report.errors) console.log(`  ERROR ${e.section}: ${e.message}`);
  for (const f of Object.values(files)) console.log(`wrote ${relative(process.cwd(), f)}`);
  if (report.errors.length) process.exitCode = 1;
}

if (isMain(import.meta.url)) runBenchmark(main);
