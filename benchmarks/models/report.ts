import type { DeviceInfo } from '../lib/device';
import type { TimingStats } from '../lib/timing';
import type { ThreadFigures } from './model-bench';

export interface StageFigure {
  name: string;
  stats: TimingStats;
}

export interface ModelsBenchResult {
  date: string;
  device: DeviceInfo;
  models: Array<{ name: string; figures: ThreadFigures[] }>;
  tfjsWasmCenternet: TimingStats;
  faceEngine: StageFigure[];
  watchlist: StageFigure[];
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

export function printTable(r: ModelsBenchResult): void {
  const d = r.device;
  console.log(`\nModels benchmark ${r.date} on ${d.host}: ${d.cpuModel}, ${d.cores} cores, ${d.memoryGiB} GiB, ORT ${d.ortVersion}, commit ${d.gitCommit}\n`);
  console.log(`| model | threads | batch-1 median ms | batch-1 p99 ms | batch-1 inf/s | best batch | best ms/inf | best inf/s |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const m of r.models) {
    for (const f of m.figures) {
      console.log(`| ${m.name} | ${f.threads}${f.provider && f.provider !== 'cpu' ? ` (${f.provider})` : ''} | ${pad(f.batch1.medianMs, 6)} | ${pad(f.batch1.p99Ms, 6)} | ${pad(f.batch1.inferencesPerSecond, 6)} | ${f.best.batch} | ${pad(f.best.msPerInference, 6)} | ${pad(f.best.inferencesPerSecond, 6)} |`);
    }
  }
  const centernet = r.models[0]?.figures.filter((f) => (f.provider ?? 'cpu') === 'cpu').at(-1);
  const tfjsPerSecond = 1000 / r.tfjsWasmCenternet.medianMs;
  console.log(`\nCenterNet on @tensorflow/tfjs-backend-wasm (original TF.js model): median ${r.tfjsWasmCenternet.medianMs} ms, p99 ${r.tfjsWasmCenternet.p99Ms} ms, ${tfjsPerSecond.toFixed(2)} inf/s`);
  if (centernet) console.log(`ORT (all cores, best batch) vs tfjs-wasm throughput: ${(centernet.best.inferencesPerSecond / tfjsPerSecond).toFixed(2)}x`);
  console.log(`\n| stage | median ms | p99 ms | runs |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const s of [...r.faceEngine, ...r.watchlist]) console.log(`| ${s.name} | ${s.stats.medianMs} | ${s.stats.p99Ms} | ${s.stats.runs} |`);
}
