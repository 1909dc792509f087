import { cpus, freemem, loadavg, totalmem, uptime as hostUptime } from 'node:os';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';
import { DEFAULT_BENCHMARKS_DIR, latestBenchmark } from './ops-benchmarks';

/** Shorter windows than this reuse the last figure: several open ops pages must not make it noisy. */
const MIN_CPU_WINDOW_MS = 1000;

const BenchmarkQuery = z.object({ kind: z.string().regex(/^[a-z0-9_]{1,40}$/, 'a report kind such as models or gateway').optional() }).strict();

interface CpuReading {
  /** Cores used by this process (all its threads, inference workers included) over the window. */
  processCores: number;
  /** Cores used by the cameras' ffmpeg decoders over the window. */
  ffmpegCores: number | null;
  /** Share of all host cores busy over the window, 0..1. */
  hostBusy: number;
  windowSeconds: number;
}

const hostTimes = () => cpus().reduce((acc, c) => ({ busy: acc.busy + c.times.user + c.times.nice + c.times.sys + c.times.irq, total: acc.total + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }), { busy: 0, total: 0 });

/** The cameras' cumulative ffmpeg CPU seconds, from the live camera JSON. */
function ffmpegCpuSeconds(cameras: unknown[]): number | null {
  let sum = 0;
  let seen = false;
  for (const c of cameras) {
    const camera = (c as { camera?: { ffmpegCpuSeconds?: unknown } } | null)?.camera;
    if (typeof camera?.ffmpegCpuSeconds === 'number') {
      sum += camera.ffmpegCpuSeconds;
      seen = true;
    }
  }
  return seen ? sum : null;
}

/** CPU use as deltas between readings; the first reading averages over the process lifetime. */
class CpuSampler {
  private last: { at: number; usage: NodeJS.CpuUsage; host: { busy: number; total: number }; ffmpeg: number | null } | undefined;
  private reading: CpuReading | undefined;

  constructor(private readonly cameras: () => unknown[]) {}

  read(): CpuReading {
    const at = performance.now();
    if (this.reading && this.last && at - this.last.at < MIN_CPU_WINDOW_MS) return this.reading;
    const usage = process.cpuUsage();
    const host = hostTimes();
    const ffmpeg = ffmpegCpuSeconds(this.cameras());
    if (!this.last) {
      const seconds = process.uptime();
      this.reading = { processCores: (usage.user + usage.system) / 1e6 / seconds, ffmpegCores: null, hostBusy: host.total > 0 ? host.busy / host.total : 0, windowSeconds: seconds };
    } else {
      const seconds = (at - this.last.at) / 1000;
      const d = process.cpuUsage(this.last.usage);
      const hostTotal = host.total - this.last.host.total;
      this.reading = {
        processCores: (d.user + d.system) / 1e6 / seconds,
        ffmpegCores: ffmpeg !== null && this.last.ffmpeg !== null ? Math.max(0, ffmpeg - this.last.ffmpeg) / seconds : null,
        hostBusy: hostTotal > 0 ? (host.busy - this.last.host.busy) / hostTotal : 0,
        windowSeconds: seconds,
      };
    }
    this.last = { at, usage, host, ffmpeg };
    return this.reading;
  }
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The ops engineer's reads: process and host load, the inference pool, live relays, benchmark reports. */
export const opsFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/api/system', summary: 'Gateway process and host: CPU cores used, memory, load, uptime; inference pool; live-view relays', roles: ['ops'] },
    { method: 'GET', path: '/api/benchmarks/latest', summary: 'The newest benchmark report (?kind= for one kind) with its key figures and Markdown report', roles: ['ops'] },
  ],
  handlers(deps, { now }) {
    const cpu = new CpuSampler(deps.cameras);
    return {
      'GET /api/system': (c) => {
        const reading = cpu.read();
        const mem = process.memoryUsage();
        return c.json({
          at: now(),
          process: {
            pid: process.pid,
            node: process.version,
            uptimeSeconds: Math.round(process.uptime()),
            cpuCores: round(reading.processCores),
            ffmpegCpuCores: reading.ffmpegCores === null ? null : round(reading.ffmpegCores),
            cpuWindowSeconds: round(reading.windowSeconds, 1),
            rssBytes: mem.rss,
            heapUsedBytes: mem.heapUsed,
            heapTotalBytes: mem.heapTotal,
            externalBytes: mem.external,
          },
          host: {
            cores: cpus().length,
            busyRatio: round(reading.hostBusy),
            loadAverage: loadavg().map((l) => round(l, 2)),
            totalMemoryBytes: totalmem(),
            freeMemoryBytes: freemem(),
            uptimeSeconds: Math.round(hostUptime()),
          },
          inference: deps.inference?.() ?? null,
          liveRelays: deps.liveRelays?.() ?? null,
        });
      },
      'GET /api/benchmarks/latest': (c) => {
        const { kind } = validate(BenchmarkQuery, c.req.query(), 'query');
        const report = latestBenchmark(deps.benchmarksDir ?? DEFAULT_BENCHMARKS_DIR, kind);
        if (!report) return jsonError(c, 404, kind ? `no benchmark report of kind '${kind}'` : 'no benchmark report yet (run npm run bench:*)', kind ? 'kind' : undefined);
        return c.json(report);
      },
    };
  },
};
