/**
 * The end-to-end section of the combined report: the gateway bench's result normalised
 * (endToEndSection), the lines `npm run bench` prints (endToEndLines), and the report blocks for
 * issue 14's figures: the layout, the goals, the model alone, the CPU per detected frame, the batch
 * sizes per camera count and the memory soak. Everything past the ramps is optional: reports written
 * before it existed render as they did.
 */
import { COST_PART_LABELS, COST_PARTS, type CostPart } from '../gateway/costs';
import { E2E_GOALS } from '../gateway/goals';
import type { Efficiency, GatewayBenchResult, Step } from '../gateway/run';
import type { BarChart, Block } from './document';
import { num } from './format';
import type { EndToEndRamp, EndToEndSection, EndToEndStep } from './types';

function rampOf(steps: Step[]): EndToEndRamp {
  const mapped: EndToEndStep[] = steps.map((s) => ({
    cameras: s.cameras,
    staticCameras: s.staticCameras,
    minFps: s.minDetectFps,
    latencyP50Ms: s.latencyP50Ms,
    latencyP99Ms: s.latencyP99Ms,
    cpuCores: s.cpuCores,
    rssMiB: s.rssEndMiB,
    skipRatio: s.motionSkipRatio,
    sustained: s.sustained,
    detectionsPerSecond: s.detectionsPerSecond,
    rssMaxMiB: s.rssMaxMiB,
    nodeCores: s.nodeCores,
    ffmpegCores: s.ffmpegCores,
    batchSizes: s.batchSizes,
    layout: s.layout,
    costs: s.costs,
  }));
  const ok = mapped.filter((s) => s.sustained);
  const best = ok.length ? ok.reduce((a, b) => (b.cameras > a.cameras ? b : a)) : (mapped[0] ?? null);
  return { sustained: ok.length ? best!.cameras : 0, at: best, steps: mapped };
}

export function endToEndSection(r: GatewayBenchResult): EndToEndSection {
  return {
    measureSeconds: r.measureSeconds,
    everyFrame: rampOf(r.full),
    motionGate: rampOf(r.gated),
    layout: r.pool,
    modelOnly: r.modelOnly,
    ffmpegCalibration: r.ffmpegCalibration,
    efficiency: r.efficiency,
    gatedVsEveryFrame: r.gatedVsEveryFrame,
    soak: r.soak,
    goals: { ...E2E_GOALS },
  };
}

/** The every-frame step that delivered the most, when it is not the one at the limit. */
const peakNote = (e: Efficiency): string =>
  e.peak && e.peak.cameras !== e.cameras ? `; flat out ${num(e.peak.ratio)} (${num(e.peak.detectionsPerSecond, 1)}/s at ${e.peak.cameras} cameras, not sustained)` : '';

const partsOf = (perFrameMs: Partial<Record<CostPart, number | null>>): CostPart[] => COST_PARTS.filter((p) => p in perFrameMs);
const labelOf = (part: string): string => COST_PART_LABELS[part as CostPart] ?? part;

/** What `npm run bench` prints for the section: efficiency, the breakdown at the limit, RSS and its slope. */
export function endToEndLines(e: EndToEndSection): string[] {
  const goals = e.goals ?? E2E_GOALS;
  const lines: string[] = [];
  if (e.layout) lines.push(`inference pool: ${e.layout.workers} worker(s) x ${e.layout.threadsPerWorker} ORT thread(s), batches up to ${e.layout.maxBatch}`);
  if (e.modelOnly) lines.push(`model alone at that layout: best ${num(e.modelOnly.best.inferencesPerSecond, 1)} inf/s (batch ${e.modelOnly.best.batch}, ${num(e.modelOnly.best.coreMsPerInference, 1)} core-ms/inf)`);
  if (e.efficiency !== undefined) {
    lines.push(
      e.efficiency
        ? `pipeline efficiency: ${num(e.efficiency.ratio)} (${num(e.efficiency.detectionsPerSecond, 1)} detections/s at ${e.efficiency.cameras} cameras / ${num(e.efficiency.modelOnlyPerSecond, 1)} inf/s model alone; goal >= ${goals.efficiency})${peakNote(e.efficiency)}`
        : 'pipeline efficiency: not measured (no every-frame step sustained, or no model-only run)',
    );
  }
  if (e.gatedVsEveryFrame !== undefined && e.gatedVsEveryFrame !== null) lines.push(`motion gate (half static) vs every frame: ${num(e.gatedVsEveryFrame)}x sustained cameras (goal >= ${goals.gatedVsEveryFrame}x)`);
  const at = e.everyFrame.at;
  if (at?.costs) {
    const c = at.costs;
    const parts = partsOf(c.perFrameMs).flatMap((p) => (c.perFrameMs[p] === null ? [] : [`${p} ${num(c.perFrameMs[p], 1)}`]));
    if (c.perFrameMs.ffmpegDecode === null) parts.unshift(`ffmpeg ${num(c.ffmpegMs, 1)}`);
    lines.push(`core-ms per detected frame at ${at.cameras} cameras: total ${num(c.totalMs, 1)}; ${parts.join(', ')}`);
    if (c.threads) {
      const t = c.threads;
      lines.push(`  by thread: main ${num(t.mainMs, 1)} (${num(t.mainUnaccountedMs, 1)} not in a stage), workers/ORT/libuv ${num(t.workersMs, 1)} (${num(t.workersUnaccountedMs, 1)} not in a stage), ffmpeg ${num(c.ffmpegMs, 1)}`);
    }
  } else if (at && at.costs === null) {
    lines.push(`core-ms per detected frame at ${at.cameras} cameras: not measured (no frame detected in the window)`);
  }
  if (e.soak) {
    const s = e.soak;
    lines.push(`memory soak, ${s.cameras} cameras, ${num(s.minutes, 1)} min: RSS ${s.rssStartMiB} -> ${s.rssEndMiB} MiB, max ${s.rssMaxMiB} (goal <= ${goals.soakRssMiB}), slope ${num(s.slopeMiBPerMinute)} MiB/min`);
  }
  return lines;
}

/** Bars of the breakdown at the limit, the model alone beside them (html.ts draws it; chartsOf lists it). */
export function frameCostChart(e: EndToEndSection): BarChart | null {
  const c = e.everyFrame.at?.costs;
  if (!c) return null;
  const parts = partsOf(c.perFrameMs).filter((p) => c.perFrameMs[p] !== null);
  return {
    id: 'frame-cost',
    title: `CPU per detected frame, ${e.everyFrame.at!.cameras} cameras, every frame detected`,
    unit: 'core-ms',
    better: 'lower',
    series: ['core-ms'],
    groups: [
      { label: 'total (process + ffmpeg)', values: [c.totalMs] },
      ...(c.perFrameMs.ffmpegDecode === null ? [{ label: 'ffmpeg', values: [c.ffmpegMs] }] : []),
      ...parts.map((p) => ({ label: labelOf(p), values: [c.perFrameMs[p] ?? null] })),
      ...(e.modelOnly ? [{ label: `the model alone, batch ${e.modelOnly.best.batch} (per inference)`, values: [e.modelOnly.best.coreMsPerInference] }] : []),
    ],
  };
}

function table(head: string[], rows: string[][], align?: Array<'left' | 'right'>): Block {
  return { kind: 'table', head, rows, align: align ?? head.map((_, i) => (i === 0 ? 'left' : 'right')) };
}

/** **met**, or **missed** by how much. */
function verdict(value: number | null | undefined, goal: number, better: 'higher' | 'lower', unit = '', digits = 2): string {
  if (value === null || value === undefined) return 'not measured';
  const met = better === 'higher' ? value >= goal : value <= goal;
  return met ? '**met**' : `**missed** by ${num(Math.abs(value - goal), digits)}${unit}`;
}

/** The layout and issue 14's goals: after the section's intro, before the ramp tables. */
export function endToEndGoalBlocks(e: EndToEndSection): Block[] {
  const out: Block[] = [];
  if (e.layout) {
    out.push({ kind: 'paragraph', text: `Inference pool as the gateway chose it here: **${e.layout.workers} worker${e.layout.workers > 1 ? 's' : ''} x ${e.layout.threadsPerWorker} ORT thread${e.layout.threadsPerWorker === 1 ? '' : 's'}**, batches of up to ${e.layout.maxBatch} frame${e.layout.maxBatch === 1 ? '' : 's'}.` });
  }
  const issue14 = e.efficiency !== undefined || e.soak !== undefined || e.modelOnly !== undefined;
  if (!issue14) return out;
  const goals = e.goals ?? E2E_GOALS;
  const eff = e.efficiency;
  const soak = e.soak;
  const at = e.everyFrame.sustained > 0 ? e.everyFrame.at : null;
  const rows: string[][] = [
    [
      'Pipeline efficiency: detections/s at the most cameras sustained (every frame) / the model alone, best batch, same layout, same run',
      eff ? `${num(eff.ratio)} (${num(eff.detectionsPerSecond, 1)} / ${num(eff.modelOnlyPerSecond, 1)} at ${eff.cameras} cameras)${peakNote(eff)}` : 'not measured',
      `>= ${goals.efficiency}`,
      verdict(eff?.ratio, goals.efficiency, 'higher'),
    ],
    [`RSS at ${soak?.cameras ?? goals.soakCameras} cameras, every frame detected (soak, max)`, soak ? `${num(soak.rssMaxMiB, 0)} MiB` : 'not measured', `<= ${goals.soakRssMiB} MiB`, verdict(soak?.rssMaxMiB, goals.soakRssMiB, 'lower', ' MiB', 0)],
    [
      `RSS slope over the soak (${soak ? `${num(soak.minutes, 1)} min` : '—'}, least squares)`,
      soak ? `${num(soak.slopeMiBPerMinute)} MiB/min` : 'not measured',
      `within ±${goals.soakSlopeMiBPerMinute} MiB/min`,
      soak?.slopeMiBPerMinute === null || soak?.slopeMiBPerMinute === undefined ? 'not measured' : verdict(Math.abs(soak.slopeMiBPerMinute), goals.soakSlopeMiBPerMinute, 'lower', ' MiB/min'),
    ],
    [
      'Motion gate with half the scenes static vs every frame detected (sustained cameras)',
      e.gatedVsEveryFrame !== null && e.gatedVsEveryFrame !== undefined ? `${num(e.gatedVsEveryFrame)}x (${e.motionGate.sustained} vs ${e.everyFrame.sustained})` : 'not measured',
      `>= ${goals.gatedVsEveryFrame}x`,
      verdict(e.gatedVsEveryFrame, goals.gatedVsEveryFrame, 'higher', 'x'),
    ],
    ['p99 frame-to-rules latency at the most cameras sustained', at ? `${num(at.latencyP99Ms, 0)} ms` : 'not measured', '< 1000 ms', at ? verdict(at.latencyP99Ms, 1000, 'lower', ' ms', 0) : 'not measured'],
  ];
  out.push({ kind: 'heading', level: 3, text: 'Goals (issue 14)' });
  out.push(table(['goal', 'measured', 'target', 'result'], rows, ['left', 'right', 'right', 'left']));
  return out;
}

/** The model alone, the CPU per detected frame, the batch sizes and the soak: after the ramp tables. */
export function endToEndDetailBlocks(e: EndToEndSection): Block[] {
  const out: Block[] = [];
  const mo = e.modelOnly;
  if (mo) {
    out.push({ kind: 'heading', level: 3, text: `The person model alone: ${mo.workers} worker${mo.workers > 1 ? 's' : ''} x ${mo.threadsPerWorker} thread${mo.threadsPerWorker === 1 ? '' : 's'}, same run` });
    out.push({
      kind: 'paragraph',
      text:
        `Every worker saturated at once for ${num(mo.measureSeconds, 0)} s per row, in the bench process. \`prepared\`: the model on an already filled input tensor (\`Detector.runPrepared\`); ` +
        `\`detect\`: ${mo.frame.width}x${mo.frame.height} camera frames through \`Detector.detect\` (resize to the model's input, inference, output decoding). Core-ms: process CPU over the window / inferences.` +
        (mo.frameOverheadCoreMs !== null ? ` A camera frame costs **${num(mo.frameOverheadCoreMs, 1)} core-ms** more than a prepared input.` : ''),
    });
    out.push(table(['input', 'batch', 'inferences/s', 'core-ms per inference', 'CPU cores'], mo.rows.map((r) => [r.mode, String(r.batch), num(r.inferencesPerSecond, 1), num(r.coreMsPerInference, 1), num(r.cores)]), ['left', 'right', 'right', 'right', 'right']));
  }
  const at = e.everyFrame.at;
  if (at?.costs) {
    const c = at.costs;
    const cal = e.ffmpegCalibration;
    out.push({ kind: 'heading', level: 3, text: `Where a detected frame's CPU goes: ${at.cameras} cameras, every frame detected` });
    out.push({
      kind: 'paragraph',
      text:
        `Core-milliseconds per detected frame over the step's window (${num(c.detectedFrames, 0)} frames${at.sustained ? ', the most cameras sustained' : ', the first step: none was sustained'}). ` +
        'Each gateway stage is timed with the CPU clock of the one thread that runs it (waiting for a core is not counted; ORT with one thread computes on its worker\'s thread), except the resize, which sharp runs on its own threads while the worker waits: its wall time; ffmpeg is its processes\' CPU' +
        (cal ? `, split by a calibration on the same camera (decode only ${num(cal.decodeOnlyCores, 3)} cores vs the gateway's arguments ${num(cal.gatewayArgsCores, 3)} cores over ${num(cal.seconds, 0)} s: decode share ${num(c.decodeShare, 3)})` : '') +
        '; "other" is the process and ffmpeg CPU no stage accounts for (garbage collection, libuv, receiving messages, ffmpeg\'s stderr).' +
        (mo ? ` The model alone: ${num(mo.best.coreMsPerInference, 1)} core-ms per inference at batch ${mo.best.batch}.` : ''),
    });
    const rows = partsOf(c.perFrameMs).map((p) => {
      const v = c.perFrameMs[p] ?? null;
      return [labelOf(p), num(v, 2), v === null ? '—' : `${num((100 * v) / c.totalMs, 0)}%`];
    });
    if (c.perFrameMs.ffmpegDecode === null) rows.unshift(['ffmpeg (not split: no calibration)', num(c.ffmpegMs, 2), `${num((100 * c.ffmpegMs) / c.totalMs, 0)}%`]);
    rows.push(['**total** (process + ffmpeg CPU / detected frames)', `**${num(c.totalMs, 2)}**`, '100%']);
    out.push(table(['part', 'core-ms per detected frame', 'share'], rows, ['left', 'right', 'right']));
    const chart = frameCostChart(e);
    if (chart) out.push({ kind: 'chart', chart });
    const t = c.threads;
    if (t) {
      out.push({ kind: 'paragraph', text: 'The same CPU by thread: the main thread\'s own CPU time (from /proc), the rest of the gateway process, and ffmpeg; "not in a stage" is what that thread used beyond the stages timed on it.' });
      out.push(
        table(
          ['thread', 'core-ms per detected frame', 'in its stages', 'not in a stage'],
          [
            ['main thread: motion, transfer, tracking, rules, store', num(t.mainMs), num(t.mainMs - t.mainUnaccountedMs), num(t.mainUnaccountedMs)],
            ['inference workers, ORT and libuv threads: prepare, inference, outputs', num(t.workersMs), num(t.workersMs - t.workersUnaccountedMs), num(t.workersUnaccountedMs)],
            ['ffmpeg processes', num(c.ffmpegMs), num(c.ffmpegMs), '0'],
          ],
          ['left', 'right', 'right', 'right'],
        ),
      );
    }
  }
  const withBatches = [...e.everyFrame.steps.map((s) => ['off', s] as const), ...e.motionGate.steps.map((s) => ['on', s] as const)].filter(([, s]) => s.batchSizes && Object.keys(s.batchSizes).length);
  if (withBatches.length) {
    const sizes = [...new Set(withBatches.flatMap(([, s]) => Object.keys(s.batchSizes!).map(Number)))].sort((a, b) => a - b);
    out.push({ kind: 'heading', level: 3, text: 'Batches the inference pool formed, per camera count' });
    out.push({ kind: 'paragraph', text: 'Model runs by frames per run over each step (a fresh pool per step, warm-up included).' });
    out.push(
      table(
        ['cameras', 'motion gate', ...sizes.map((n) => `runs of ${n}`), 'frames per run'],
        withBatches.map(([gate, s]) => {
          const runs = sizes.map((n) => s.batchSizes![n] ?? 0);
          const total = runs.reduce((a, b) => a + b, 0);
          const frames = sizes.reduce((a, n, i) => a + n * runs[i]!, 0);
          return [String(s.cameras), gate, ...runs.map((r) => num(r, 0)), num(total ? frames / total : null, 2)];
        }),
        ['right', 'left', ...sizes.map(() => 'right' as const), 'right'],
      ),
    );
  }
  const soak = e.soak;
  if (soak) {
    out.push({ kind: 'heading', level: 3, text: `Memory soak: ${soak.cameras} cameras, ${num(soak.minutes, 1)} min` });
    out.push({
      kind: 'paragraph',
      text:
        `Every frame detected, after warm-up; RSS of the gateway process every ${num(soak.sampleSeconds, 0)} s (${soak.samples.length} samples): ` +
        `start ${num(soak.rssStartMiB, 0)} MiB, end ${num(soak.rssEndMiB, 0)} MiB, **max ${num(soak.rssMaxMiB, 0)} MiB**; least-squares slope **${num(soak.slopeMiBPerMinute)} MiB/min**. ` +
        `Slowest camera: ${num(soak.minDetectFps)} detected fps.`,
    });
  }
  return out;
}
