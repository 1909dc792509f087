import { describe, expect, it } from 'vitest';
import { Backoff } from '../camera/backoff';
import { parseCameraSource } from '../camera/config';
import { redactUrl } from '../camera/redact';
import { FrameCutter } from '../camera/frame-cutter';
import { LatestFrame } from '../camera/latest-frame';
import { classifyStderr, parseShowinfo } from '../camera/reasons';
import type { Frame } from '../camera/frame';

const frame = (seq: number): Frame => ({ cameraId: 'c', seq, capturedAt: 0, streamTime: 0, width: 1, height: 1, data: Buffer.alloc(3) });

describe('backoff', () => {
  it('doubles from 1 s to a 30 s cap with jitter inside +/-20%, and resets', () => {
    const exact = new Backoff(1000, 30_000, 0);
    expect(Array.from({ length: 7 }, () => exact.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    exact.reset();
    expect(exact.next()).toBe(1000);
    const low = new Backoff(1000, 30_000, 0.2, () => 0);
    const high = new Backoff(1000, 30_000, 0.2, () => 1);
    expect([low.next(), high.next()]).toEqual([800, 1200]);
  });
});

describe('latest-frame mailbox', () => {
  it('keeps only the newest waiting frame and counts the ones it replaced', async () => {
    const box = new LatestFrame();
    for (let i = 0; i < 5; i++) box.put(frame(i));
    expect(box.dropped).toBe(4);
    expect((await box.next())!.seq).toBe(4);
    const pending = box.next();
    box.put(frame(5));
    expect((await pending)!.seq).toBe(5);
    expect(box.delivered).toBe(2);
  });

  it('wakes waiting consumers with null on close and on abort', async () => {
    const box = new LatestFrame();
    const controller = new AbortController();
    const aborted = box.next(controller.signal);
    controller.abort();
    expect(await aborted).toBeNull();
    const waiting = box.next();
    box.close();
    expect(await waiting).toBeNull();
  });
});

describe('frame cutter', () => {
  it('reassembles whole frames from chunks of any size, one copy each', () => {
    const frames: Buffer[] = [];
    const cutter = new FrameCutter(7, (f) => frames.push(f));
    const bytes = Buffer.from(Array.from({ length: 7 * 3 + 2 }, (_, i) => i));
    let offset = 0;
    for (const size of [1, 5, 9, 3, 5]) {
      cutter.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    expect(frames).toHaveLength(3);
    expect(frames.map((f) => f[0])).toEqual([0, 7, 14]);
    expect(frames[2]![6]).toBe(20);
    expect(frames[0]!.buffer).not.toBe(frames[1]!.buffer);
  });
});

describe('ffmpeg stderr', () => {
  it.each([
    ["[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized", 'unauthorized'],
    ['rtsp://127.0.0.1:1/x: Server returned 404 Not Found', 'not_found'],
    ['/tmp/nope.mp4: No such file or directory', 'not_found'],
    ['[tcp @ 0x1] Connection to tcp://127.0.0.1:9 failed: Connection refused', 'connection_refused'],
    ['rtsp://10.0.0.9/x: Connection timed out', 'timeout'],
    ['/tmp/random.bin: Invalid data found when processing input', 'invalid_data'],
    ['Decoder (codec hevc) not found for input stream #0:0', 'unsupported_codec'],
    ['frame=  10 fps=5.0 q=-0.0 size=N/A', undefined],
  ])('classifies %s', (line, reason) => {
    expect(classifyStderr(line)).toBe(reason);
  });

  it('reads frame index and stream time from showinfo', () => {
    const line = '[Parsed_showinfo_2 @ 0x55] n:  12 pts:  36000 pts_time:2.4     duration:  3000 fmt:rgb24';
    expect(parseShowinfo(line)).toEqual({ index: 12, ptsTime: 2.4 });
  });
});

describe('camera config', () => {
  it('names the bad field and masks passwords', () => {
    expect(() => parseCameraSource({ id: 'gate-1', url: 'rtsp://x', detectFps: -1 })).toThrow(/camera 'gate-1' at detectFps/);
    expect(() => parseCameraSource({ id: 'gate 1', url: 'rtsp://x' })).toThrow(/at id: use 1-64 letters/);
    expect(redactUrl('rtsp://admin:s3cret@10.0.0.5:554/live')).toBe('rtsp://admin:***@10.0.0.5:554/live');
    expect(redactUrl('rtsp://10.0.0.5/live')).toBe('rtsp://10.0.0.5/live');
  });
});
