import { describe, expect, it } from 'vitest';
import { emptyStageMs, type FrameCostTotals } from '../../gateway/pipeline/frame-costs';
import { costBreakdown } from './costs';

const totals = (detectedFrames: number, stageMs: Partial<FrameCostTotals['stageMs']>): FrameCostTotals => ({ detectedFrames, handledFrames: detectedFrames, stageMs: { ...emptyStageMs(), ...stageMs } });

describe('cost breakdown per detected frame', () => {
  it('divides the window differences by the detected frames and leaves the unaccounted CPU in other', () => {
    const before = totals(100, { motion: 50, inference: 3000, tracking: 100 });
    const after = totals(300, { motion: 250, transfer: 40, prepare: 200, inference: 9000, outputs: 400, tracking: 500, store: 60 });
    // 200 frames; process CPU 14,000 ms, ffmpeg 2,000 ms: total 80 core-ms per frame.
    const b = costBreakdown({ before, after, processCpuMs: 14_000, mainThreadCpuMs: 1000, ffmpegCpuMs: 2000, decodeShare: 0.75 })!;
    expect(b.detectedFrames).toBe(200);
    expect(b.totalMs).toBe(80);
    expect(b.ffmpegMs).toBe(10);
    expect(b.perFrameMs).toEqual({ ffmpegDecode: 7.5, ffmpegConvert: 2.5, motion: 1, transfer: 0.2, prepare: 1, inference: 30, outputs: 2, tracking: 2, store: 0.3, other: 33.5 });
    // The parts add up to the total.
    const sum = Object.values(b.perFrameMs).reduce<number>((a, v) => a + (v ?? 0), 0);
    expect(sum).toBeCloseTo(b.totalMs, 6);
    // Main thread 5 core-ms per frame of which its stages (motion, transfer, tracking, store) are 3.5;
    // the rest of the process 65, of which the worker stages (prepare, inference, outputs) are 33.
    expect(b.threads).toEqual({ mainMs: 5, mainUnaccountedMs: 1.5, workersMs: 65, workersUnaccountedMs: 32 });
  });

  it('keeps ffmpeg whole when its split is unknown, and has no breakdown without detected frames', () => {
    const b = costBreakdown({ before: totals(0, {}), after: totals(10, { inference: 300 }), processCpuMs: 400, mainThreadCpuMs: null, ffmpegCpuMs: 100, decodeShare: null })!;
    expect(b.perFrameMs.ffmpegDecode).toBeNull();
    expect(b.perFrameMs.ffmpegConvert).toBeNull();
    expect(b.ffmpegMs).toBe(10);
    expect(b.perFrameMs.other).toBe(50 - 10 - 30);
    expect(b.threads).toBeNull();
    expect(costBreakdown({ before: totals(5, {}), after: totals(5, {}), processCpuMs: 10, mainThreadCpuMs: 5, ffmpegCpuMs: 1, decodeShare: 0.5 })).toBeNull();
  });
});
