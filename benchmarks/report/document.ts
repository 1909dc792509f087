/**
 * The report as a list of neutral blocks (headings, paragraphs, tables, charts), built once from a
 * BenchReport and rendered by markdown.ts and html.ts, so both always say the same thing.
 * Inline markup in text: **bold** and `code` only.
 */
import { evalBlocks } from '../eval/document';
import { E2E_GOALS } from '../gateway/goals';
import { endToEndDetailBlocks, endToEndGoalBlocks, frameCostChart } from './end-to-end';
import { num } from './format';
import type { BenchReport, EndToEndRamp, EvalSection } from './types';

export interface BarChart {
  id: string;
  title: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Legend entries; one bar per series in each group. */
  series: string[];
  groups: Array<{ label: string; values: Array<number | null> }>;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; align: Array<'left' | 'right'> }
  | { kind: 'chart'; chart: BarChart };

export { num };

const yesNo = (v: boolean | null | undefined): string => (v === null || v === undefined ? '—' : v ? 'yes' : 'no');
const ratio = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${num(v)}x`);

function table(head: string[], rows: string[][], align?: Array<'left' | 'right'>): Block {
  return { kind: 'table', head, rows, align: align ?? head.map((_, i) => (i === 0 ? 'left' : 'right')) };
}

function rampTable(r: EndToEndRamp): Block {
  // Detections/s and the RSS peak exist in reports written since issue 14.
  const extra = r.steps.some((s) => s.detectionsPerSecond !== undefined);
  return table(
    ['cameras', 'static', 'min handled fps', ...(extra ? ['detections/s'] : []), 'latency p50 ms', 'latency p99 ms', 'CPU cores', 'RSS MiB', ...(extra ? ['RSS max MiB'] : []), 'skipped', 'result'],
    r.steps.map((s) => [
      String(s.cameras),
      String(s.staticCameras),
      num(s.minFps),
      ...(extra ? [num(s.detectionsPerSecond, 1)] : []),
      num(s.latencyP50Ms, 0),
      num(s.latencyP99Ms, 0),
      s.nodeCores !== undefined && s.ffmpegCores !== undefined ? `${num(s.cpuCores)} (${num(s.nodeCores)} + ffmpeg ${num(s.ffmpegCores)})` : num(s.cpuCores),
      num(s.rssMiB, 0),
      ...(extra ? [num(s.rssMaxMiB, 0)] : []),
      `${num(s.skipRatio * 100, 0)}%`,
      s.sustained ? 'sustained' : 'not sustained',
    ]),
  );
}

/** The charts of a report (each needs its data present); html.ts draws them, tests count them. */
export function chartsOf(r: BenchReport): BarChart[] {
  const charts: BarChart[] = [];
  const cv = r.baselines.opencv;
  if (r.endToEnd || cv?.cameras) {
    charts.push({
      id: 'cameras',
      title: 'Sustained cameras at 5 detected fps',
      unit: 'cameras',
      better: 'higher',
      series: ['cameras'],
      groups: [
        ...(r.endToEnd
          ? [
              { label: 'gateway, every frame detected', values: [r.endToEnd.everyFrame.sustained] },
              { label: 'gateway, motion gate (half static)', values: [r.endToEnd.motionGate.sustained] },
            ]
          : []),
        ...(cv?.cameras ? [{ label: 'OpenCV pipeline (Python, cv2.dnn)', values: [cv.cameras.sustained] }] : []),
      ],
    });
  }
  if (cv?.fps || r.baselines.tfjsWasm) {
    charts.push({
      id: 'detector-fps',
      title: 'CenterNet 512 frames/s, batch 1, all cores',
      unit: 'frames/s',
      better: 'higher',
      series: ['frames/s'],
      groups: [
        ...(cv?.fps
          ? [
              { label: 'ours: Detector on ORT (person head)', values: [cv.fps.ours.detectFps] },
              { label: 'OpenCV cv2.dnn (person head)', values: [cv.fps.opencv.detectFps] },
            ]
          : []),
        ...(r.baselines.tfjsWasm
          ? [
              { label: 'ours: ORT, 80 classes, best batch', values: [r.baselines.tfjsWasm.oursPerSecond] },
              { label: 'tfjs-backend-wasm, 80 classes', values: [r.baselines.tfjsWasm.perSecond] },
            ]
          : []),
      ],
    });
  }
  const frameCost = r.endToEnd ? frameCostChart(r.endToEnd) : null;
  if (frameCost) charts.push(frameCost);
  if (r.models?.rows.length) {
    const series = [...new Set(r.models.rows.map((m) => (m.provider === 'cpu' ? `cpu, ${m.threads} thread${m.threads > 1 ? 's' : ''}` : m.provider)))];
    const models = [...new Set(r.models.rows.map((m) => m.model))];
    charts.push({
      id: 'models',
      title: 'Model latency, batch 1 (p50)',
      unit: 'ms',
      better: 'lower',
      series,
      groups: models.map((model) => ({
        label: model,
        values: series.map((s) => r.models!.rows.find((m) => m.model === model && (m.provider === 'cpu' ? `cpu, ${m.threads} thread${m.threads > 1 ? 's' : ''}` : m.provider) === s)?.batch1.p50Ms ?? null),
      })),
    });
  }
  if (r.decode?.rows.length) {
    const modes = [...new Set(r.decode.rows.map((d) => d.mode))];
    const resolutions = [...new Set(r.decode.rows.map((d) => d.resolution))];
    charts.push({
      id: 'decode',
      title: 'H.264 decode CPU per camera (15 fps source, 5 fps out)',
      unit: 'core-s/s',
      better: 'lower',
      series: modes,
      groups: resolutions.map((res) => ({ label: res, values: modes.map((m) => r.decode!.rows.find((d) => d.resolution === res && d.mode === m)?.coreSecondsPerCamera ?? null) })),
    });
  }
  if (r.central?.backends.length) {
    const counts = [...new Set(r.central.backends.flatMap((b) => b.ingest.map((i) => i.gateways)))];
    charts.push({
      id: 'central',
      title: 'Central ingest',
      unit: 'records/s',
      better: 'higher',
      series: r.central.backends.map((b) => b.backend),
      groups: counts.map((n) => ({ label: `${n} gateway${n > 1 ? 's' : ''}`, values: r.central!.backends.map((b) => b.ingest.find((i) => i.gateways === n)?.recordsPerSec ?? null) })),
    });
  }
  return charts;
}

/** "3 of 5" targets met (those with a figure). */
function targetsMet(e: EvalSection): string {
  const judged = e.report.targets.overall.filter((t) => t.met !== null);
  return `${judged.filter((t) => t.met).length} of ${judged.length}`;
}

export function buildDocument(r: BenchReport): Block[] {
  const d = r.device;
  const s = r.summary;
  const cv = r.baselines.opencv;
  const charts = new Map(chartsOf(r).map((c) => [c.id, c]));
  const chart = (id: string): Block[] => (charts.has(id) ? [{ kind: 'chart', chart: charts.get(id)! }] : []);
  const out: Block[] = [];
  out.push({ kind: 'heading', level: 1, text: `Benchmark report: ${r.host}, ${r.date.slice(0, 10)}` });
  out.push({
    kind: 'paragraph',
    text:
      `${r.options.quick ? '**Quick run** (seconds per section: figures are indicative only). ' : ''}` +
      `Commit \`${d.gitCommit}\`, ${d.cpuModel}, ${d.cores} cores, ${d.memoryGiB} GiB, Node ${d.node}, onnxruntime-node ${d.ortVersion}. ` +
      `Sections: ${r.options.sections.join(', ')}; ${r.options.runs} run${r.options.runs > 1 ? 's' : ''} each; took ${num(r.durationSeconds / 60, 1)} min.`,
  });

  out.push({ kind: 'heading', level: 2, text: 'Summary' });
  const e2e = r.endToEnd;
  const headline: string[][] = [
    ['Cameras sustained at 5 fps, every frame detected (gateway)', e2e ? String(e2e.everyFrame.sustained) : '—'],
    ['Cameras sustained at 5 fps, motion gate, half the scenes static (gateway)', e2e ? String(e2e.motionGate.sustained) : '—'],
    [`Pipeline efficiency: end-to-end detections/s at the limit / the model alone (goal >= ${e2e?.goals?.efficiency ?? E2E_GOALS.efficiency})`, e2e?.efficiency ? num(e2e.efficiency.ratio) : '—'],
    ['Cameras sustained at 5 fps, OpenCV pipeline (Python, cv2.dnn)', cv?.cameras ? String(cv.cameras.sustained) : '—'],
    ['Sustained cameras, gateway vs OpenCV', s.cameras.ratio !== null ? ratio(s.cameras.ratio) : s.cameras.ours !== null && s.cameras.opencv === 0 ? `${s.cameras.ours} vs 0` : '—'],
    ['Detector frames/s on the same frames, ours vs OpenCV', ratio(s.detectFpsVsOpenCv)],
    ['Same CenterNet, ORT vs @tensorflow/tfjs-backend-wasm', ratio(s.ortVsTfjsWasm)],
    ['Equal accuracy (same persons, boxes within tolerance)', cv?.accuracy ? `${yesNo(s.equalAccuracy)} (${cv.accuracy.persons.matched} matched; max corner diff ${num(cv.accuracy.maxCornerDiffPx)} px)` : '—'],
    ['Goal: >= 2x the OpenCV pipeline’s sustained cameras at equal accuracy', s.goalMet === null ? '—' : s.goalMet ? '**met**' : '**not met**'],
    ...(r.eval ? [[`Accuracy targets met on ${r.eval.report.groundTruth.video} (npm run eval, ${r.eval.report.date.slice(0, 10)}, commit \`${r.eval.report.commit}\`)`, targetsMet(r.eval)]] : []),
  ].filter(([, v]) => v !== '—');
  out.push(headline.length ? table(['figure', 'value'], headline, ['left', 'right']) : { kind: 'paragraph', text: 'No headline figure: the sections that give them were not run.' });
  if (s.notes.length) out.push({ kind: 'list', items: s.notes });
  out.push(...chart('cameras'), ...chart('detector-fps'));

  out.push({ kind: 'heading', level: 2, text: 'Device' });
  const gpus = d.gpus.length ? d.gpus.map((g) => `${g.name} (${num(g.memoryMiB / 1024, 0)} GiB, driver ${g.driver})`).join('; ') : 'none (no nvidia-smi)';
  out.push(
    table(
      ['item', 'value'],
      [
        ['CPU', `${d.cpuModel}, ${d.cores} logical cores`],
        ['memory', `${d.memoryGiB} GiB`],
        ['GPU', gpus],
        ['platform', d.platform],
        ['Node', d.node],
        ['onnxruntime-node', `${d.ortVersion}; providers listed: ${d.ortProviders.listed.join(', ')}; usable here: ${d.ortProviders.usable.join(', ')}`],
        ['ffmpeg', `${d.ffmpeg.version.replace(/\s+Copyright.*$/, '')} (${d.ffmpeg.path})`],
        ['ffmpeg hardware decoders', `compiled in: ${d.ffmpeg.hwaccels.join(', ') || 'none'}; a device opens: ${d.ffmpeg.usableHwaccels.join(', ') || 'none'}`],
        ['git commit', `${d.gitCommit}${d.gitDirty ? ' (with uncommitted changes)' : ''}`],
        ...(cv?.python ? [['Python / OpenCV / numpy (baseline)', `${cv.python} / ${cv.opencv} / ${cv.numpy}`]] : []),
      ],
      ['left', 'left'],
    ),
  );

  out.push({ kind: 'heading', level: 3, text: 'Reproducibility' });
  out.push({
    kind: 'list',
    items: [
      `Synthetic model inputs from a fixed seed (${r.reproducibility.inputSeed}); real frames from the same video for every pipeline.`,
      `Warm-up: ${r.reproducibility.warmup}.`,
      `Aggregation: ${r.reproducibility.aggregation}.`,
      ...r.reproducibility.files.map((f) => `${f.role}: \`${f.path.replace(/^.*\/\.cache\//, '.cache/')}\` (sha256 ${f.sha256})`),
    ],
  });

  if (r.models) {
    out.push({ kind: 'heading', level: 2, text: 'Models' });
    out.push({ kind: 'paragraph', text: 'Per model: batch 1 latency and throughput, and the best batch; 1 thread and all cores on the CPU provider, CUDA where ORT can load it.' });
    out.push(
      table(
        ['model', 'provider', 'threads', 'p50 ms', 'p99 ms', 'inf/s', 'best batch', 'ms/inf', 'inf/s (best)'],
        r.models.rows.map((m) => [m.model, m.provider, String(m.threads), num(m.batch1.p50Ms), num(m.batch1.p99Ms), num(m.batch1.perSecond, 1), String(m.best.batch), num(m.best.msPerInference), num(m.best.perSecond, 1)]),
        ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
    out.push(...chart('models'));
    if (r.models.stages.length) out.push(table(['stage', 'p50 ms', 'p99 ms'], r.models.stages.map((st) => [st.name, num(st.p50Ms, 3), num(st.p99Ms)])));
  }

  if (r.decode) {
    out.push({ kind: 'heading', level: 2, text: 'Decode' });
    out.push({ kind: 'paragraph', text: `CPU per camera of ffmpeg decoding the simulated H.264 cameras (15 fps, GOP 2 s) to 5 fps 640x360 RGB, from the ffmpeg processes' own CPU time over ${num(r.decode.measureSeconds, 0)} s.` });
    out.push(table(['source', 'mode', 'core-s/s per camera', 'delivered fps'], r.decode.rows.map((x) => [`${x.resolution} H.264`, x.mode, num(x.coreSecondsPerCamera, 3), num(x.deliveredFps)]), ['left', 'left', 'right', 'right']));
    out.push(...chart('decode'));
    out.push({ kind: 'paragraph', text: r.decode.capacity720p ? `Most 720p cameras decoded at 5 fps with no drops: **${r.decode.capacity720p.sustained}**.` : '720p decode capacity ramp: not run.' });
  }

  if (e2e) {
    out.push({ kind: 'heading', level: 2, text: 'End to end' });
    out.push({
      kind: 'paragraph',
      text: `The gateway service on simulated 720p RTSP cameras, detect 5 fps each, ${num(e2e.measureSeconds, 0)} s per step after warm-up. Sustained: every camera handles >= 4.75 fps, p99 frame-to-rules latency < 1 s, RSS not growing by half. CPU counts the gateway and its ffmpeg processes (not the simulator).`,
    });
    out.push(...endToEndGoalBlocks(e2e));
    out.push({ kind: 'heading', level: 3, text: `Every frame detected (motion gate off): ${e2e.everyFrame.sustained} cameras` });
    out.push(rampTable(e2e.everyFrame));
    out.push({ kind: 'heading', level: 3, text: `Motion gate on, half the scenes static: ${e2e.motionGate.sustained} cameras` });
    out.push(rampTable(e2e.motionGate));
    out.push(...endToEndDetailBlocks(e2e));
  }

  if (r.central) {
    const c = r.central;
    out.push({ kind: 'heading', level: 2, text: 'Central' });
    out.push({ kind: 'paragraph', text: `Ingest of signed gzip batches of ${num(c.sizes.batchSize, 0)} records, ${num(c.sizes.recordsPerRun, 0)} records per run; backlog drain of ${num(c.sizes.drainRecords, 0)} records in batches of ${num(c.sizes.drainBatchSize, 0)}.` });
    out.push(
      table(
        ['store', 'gateways', 'records/s', 'p50 ms', 'p99 ms', 'server cores'],
        c.backends.flatMap((b) => b.ingest.map((i) => [b.backend, String(i.gateways), num(i.recordsPerSec, 0), num(i.p50Ms, 1), num(i.p99Ms, 1), num(i.serverCpuCores)])),
        ['left', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
    out.push(...chart('central'));
    const drains = c.backends.filter((b) => b.drain).map((b) => `${b.backend}: ${num(b.drain!.records, 0)} records in **${num(b.drain!.seconds, 1)} s** (${num(b.drain!.recordsPerSec, 0)} records/s)`);
    if (drains.length) out.push({ kind: 'list', items: drains.map((x) => `Backlog drain, ${x}`) });
    const skipped = Object.entries(c.skipped).map(([k, v]) => `${k}: skipped (${v})`);
    if (skipped.length) out.push({ kind: 'list', items: skipped });
  }

  if (r.eval) {
    out.push({ kind: 'heading', level: 2, text: 'Accuracy (npm run eval)' });
    out.push({
      kind: 'paragraph',
      text:
        r.eval.origin === 'run'
          ? `Run by this benchmark: the real pipeline over the hand-labelled video (\`${r.eval.file}\`).`
          : `Not run by this benchmark: the latest evaluation, \`${r.eval.file}\`, as measured then (its date and commit below may differ from this report's).`,
    });
    out.push(...evalBlocks(r.eval.report, 2));
  }

  out.push({ kind: 'heading', level: 2, text: 'Baselines' });
  out.push({ kind: 'heading', level: 3, text: 'OpenCV (Python, Debian python3-opencv)' });
  if (!cv) out.push({ kind: 'paragraph', text: 'Not run.' });
  else if (!cv.available && !cv.fullGraph) out.push({ kind: 'paragraph', text: `Not run: ${cv.reason ?? 'unavailable'}.` });
  else {
    out.push({
      kind: 'paragraph',
      text:
        'cv2.VideoCapture (FFmpeg backend, every frame decoded) → cv2.resize 512x512 → BGR→RGB → cv2.dnn on the converted CenterNet (uint8 NHWC in, normalisation in the graph) → peaks/wh decoded with numpy → cv2.dnn.NMSBoxes; ' +
        'one capture thread per camera keeping every third frame (5 of 15 fps, the newest replacing one not yet detected), one detector thread. Same video, same simulated cameras and the same sustained criterion as the gateway.',
    });
    const items = [
      `Full converted graph on cv2.dnn: ${cv.fullGraph?.ran ? 'runs' : `**does not run**: ${cv.fullGraph?.error ?? 'unknown'}`}`,
      ...(cv.model ? [`Model run by the baseline: ${cv.model.variant}. Decode: ${cv.model.decode}.`, `Restated for cv2.dnn's importer (same weights and numbers): ${cv.model.rewrites.join('; ')}.`] : []),
      ...(cv.reason ? [`Note: ${cv.reason}`] : []),
    ];
    out.push({ kind: 'list', items });
    if (cv.fps) {
      out.push(
        table(
          ['pipeline', 'VideoCapture.read ms/frame (file, wall, p50)', 'detect ms/frame p50', 'p99', 'frames/s'],
          [
            ['OpenCV: cv2.dnn + numpy', num(cv.fps.opencv.decodeMsP50), num(cv.fps.opencv.detectMsP50), num(cv.fps.opencv.detectMsP99), num(cv.fps.opencv.detectFps)],
            ['ours: Detector (sharp + ORT)', '(see Decode)', num(cv.fps.ours.detectMsP50), num(cv.fps.ours.detectMsP99), num(cv.fps.ours.detectFps)],
          ],
        ),
      );
    }
    const layers = cv.fps?.opencv.layerMs;
    if (layers && Object.keys(layers).length) {
      const total = Object.values(layers).reduce((a, b) => a + b, 0);
      out.push({
        kind: 'paragraph',
        text:
          `Where cv2.dnn spends one forward pass (its own profiler, by layer type): ${Object.entries(layers).map(([k, v]) => `${k} ${num(v, 1)} ms (${num((100 * v) / total, 0)}%)`).join(', ')}. ` +
          'Permute layers are the NHWC↔NCHW Transposes (186 in the file) that the TF.js→ONNX conversion leaves around the convolutions: ORT’s graph optimiser removes every one of them, cv2.dnn runs each.',
      });
    }
    if (cv.accuracy) {
      const a = cv.accuracy;
      out.push({
        kind: 'paragraph',
        text: `Accuracy on frames ${a.frames.map((f) => f.frame).join(', ')} of the same video, persons scored >= ${a.threshold}: boxes matched by IoU >= 0.5; equal when every box is within ${a.tolerancePx} px at each corner and no unmatched person scores >= ${num(a.threshold + a.scoreMargin)} (the two resizers move scores by a few hundredths). Result: **${a.equal ? 'equal' : 'not equal'}**.`,
      });
      out.push(
        table(
          ['frame', 'persons (ours)', 'persons (OpenCV)', 'matched', 'borderline unmatched', 'max corner diff px', 'max score diff'],
          a.frames.map((f) => [String(f.frame), String(f.ours), String(f.opencv), String(f.matched), String(f.borderline), num(f.maxCornerDiffPx), num(f.maxScoreDiff, 4)]),
        ),
      );
    }
    if (cv.cameras) {
      out.push({ kind: 'paragraph', text: `Cameras sustained at 5 fps by the OpenCV pipeline: **${cv.cameras.sustained}**.` });
      out.push(
        table(
          ['cameras', 'min handled fps', 'latency p50 ms', 'latency p99 ms', 'CPU cores', 'RSS MiB', 'result'],
          cv.cameras.steps.map((st) => [String(st.cameras), num(st.minFps), num(st.latencyP50Ms, 0), num(st.latencyP99Ms, 0), num(st.cpuCores), num(st.rssMiB, 0), st.sustained ? 'sustained' : 'not sustained']),
        ),
      );
    }
  }
  out.push({ kind: 'heading', level: 3, text: '@tensorflow/tfjs-backend-wasm (the original TF.js model)' });
  const tf = r.baselines.tfjsWasm;
  out.push(
    tf
      ? { kind: 'paragraph', text: `${tf.model}: p50 ${num(tf.p50Ms)} ms, p99 ${num(tf.p99Ms)} ms, ${num(tf.perSecond)} inferences/s; ours on ORT (same model, converted) ${num(tf.oursPerSecond)} inferences/s: **${ratio(tf.ratio)}**.` }
      : { kind: 'paragraph', text: 'Not run (part of the models section).' },
  );

  if (r.errors.length) {
    out.push({ kind: 'heading', level: 2, text: 'Errors' });
    out.push({ kind: 'list', items: r.errors.map((e) => `${e.section}: ${e.message}`) });
  }
  return out;
}
