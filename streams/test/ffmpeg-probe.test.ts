import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputOptions, outputOptions, videoFilters } from '../camera/args';
import { parseCameraSource } from '../camera/config';
import { optionNamesFromHelp, parseHelp, probeFfmpeg, type FfmpegOptionNames } from '../ffmpeg/probe';
import { npmFfmpegPath } from './fixtures/camera-path';

/** `ffmpeg -hide_banner -h demuxer=rtsp` as each binary printed it (the same lines sit in `-h full`). */
const help = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures/ffmpeg-help', name), 'utf8');
const NPM_RTSP_HELP = help('rtsp-npm-N-47683.txt');
const DEBIAN_RTSP_HELP = help('rtsp-debian-5.1.txt');

const NPM_NAMES: FfmpegOptionNames = { rtspSocketTimeout: '-stimeout', ioTimeout: '-rw_timeout', frameTiming: '-vsync', showinfoChecksumOption: true };
const DEBIAN_NAMES: FfmpegOptionNames = { rtspSocketTimeout: '-timeout', ioTimeout: '-rw_timeout', frameTiming: '-fps_mode', showinfoChecksumOption: true };

describe("parsing ffmpeg's help", () => {
  it("reads the RTSP demuxer's options with their help text", () => {
    const rtsp = parseHelp(NPM_RTSP_HELP).get('RTSP demuxer')!;
    expect(rtsp.get('timeout')).toMatch(/^set maximum timeout \(in seconds\) to wait for incoming connections/);
    expect(rtsp.get('stimeout')).toMatch(/^set timeout \(in microseconds\) of socket TCP I\/O operations/);
    expect(rtsp.has('udp')).toBe(false); // a constant of -rtsp_transport, not an option
  });

  it('the npm-shipped ffmpeg 4 snapshot: -stimeout is the socket timeout, -timeout would listen', () => {
    expect(optionNamesFromHelp(NPM_RTSP_HELP).rtspSocketTimeout).toBe('-stimeout');
  });

  it("Debian's ffmpeg 5.1: -timeout is the socket timeout and -stimeout is gone", () => {
    expect(parseHelp(DEBIAN_RTSP_HELP).get('RTSP demuxer')!.has('stimeout')).toBe(false);
    expect(optionNamesFromHelp(DEBIAN_RTSP_HELP).rtspSocketTimeout).toBe('-timeout');
  });

  it('passes no RTSP timeout at all when the binary lists no socket timeout', () => {
    const listenOnly = NPM_RTSP_HELP.split('\n').filter((l) => !l.includes('-stimeout')).join('\n');
    expect(optionNamesFromHelp(listenOnly).rtspSocketTimeout).toBeUndefined();
  });
});

describe('probing the real binaries (`-h full`)', () => {
  it.each([
    { binary: 'the npm-shipped ffmpeg', path: npmFfmpegPath(), names: NPM_NAMES },
    { binary: "the system's ffmpeg (Debian 5.1)", path: '/usr/bin/ffmpeg', names: DEBIAN_NAMES },
  ])('$binary', ({ path, names }) => {
    expect(probeFfmpeg(path)).toEqual(names);
  });
});

describe('camera arguments follow the probed names', () => {
  const rtsp = parseCameraSource({ id: 'c', url: 'rtsp://127.0.0.1:8554/c', socketTimeoutMs: 3000, keyframesOnly: true });
  const http = parseCameraSource({ id: 'h', url: 'http://127.0.0.1:8080/c.ts', socketTimeoutMs: 3000 });

  it('ffmpeg 4 gets -stimeout and -vsync, never -timeout', () => {
    const args = inputOptions(rtsp, NPM_NAMES);
    expect(args.join(' ')).toContain('-rtsp_transport tcp -stimeout 3000000');
    expect(args).not.toContain('-timeout');
    expect(outputOptions(rtsp, NPM_NAMES).join(' ')).toContain('-vsync passthrough');
    expect(inputOptions(http, NPM_NAMES).join(' ')).toContain('-rw_timeout 3000000');
  });

  it('ffmpeg 5 gets -timeout and -fps_mode', () => {
    expect(inputOptions(rtsp, DEBIAN_NAMES).join(' ')).toContain('-rtsp_transport tcp -timeout 3000000');
    expect(outputOptions(rtsp, DEBIAN_NAMES).join(' ')).toContain('-fps_mode passthrough');
  });

  it('decodes for analytics by default (one thread, no deblocking) and lets a camera opt out', () => {
    expect(inputOptions(rtsp, DEBIAN_NAMES).join(' ')).toContain('-threads 1 -skip_loop_filter all');
    const exact = parseCameraSource({ id: 'x', url: 'rtsp://127.0.0.1:8554/x', fastDecode: false });
    expect(inputOptions(exact, DEBIAN_NAMES)).not.toContain('-skip_loop_filter');
    // The camera's own inputOptions come last, so they win over the defaults.
    const own = parseCameraSource({ id: 'o', url: 'rtsp://127.0.0.1:8554/o', inputOptions: ['-threads', '4'] });
    expect(inputOptions(own, DEBIAN_NAMES).join(' ')).toMatch(/-threads 1 .*-threads 4$/);
  });

  it("asks showinfo for timestamps only (no per-frame checksum) where the binary has the option", () => {
    expect(videoFilters(rtsp, DEBIAN_NAMES)).toContain('showinfo=checksum=0');
    expect(videoFilters(rtsp, { showinfoChecksumOption: false })).toContain('showinfo');
    expect(optionNamesFromHelp('showinfo AVOptions:\n   checksum          <boolean>    ..FV....... calculate checksums (default true)\n').showinfoChecksumOption).toBe(true);
    expect(optionNamesFromHelp(DEBIAN_RTSP_HELP).showinfoChecksumOption).toBe(false);
  });
});
