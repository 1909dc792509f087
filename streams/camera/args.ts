import type { ParsedCameraSource } from './config';

export type SourceKind = 'rtsp' | 'http' | 'file';

export function sourceKind(url: string): SourceKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^https?:\/\//i.test(url)) return 'http';
  return 'file';
}

export function inputPath(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
}

/** ffmpeg input options for a camera: transport, socket timeouts, file pacing, keyframes-only, hwaccel. */
export function inputOptions(cam: ParsedCameraSource, ffmpegMajor: number): string[] {
  const timeoutUs = String(cam.socketTimeoutMs * 1000);
  const opts = ['-nostdin', '-hide_banner', '-nostats', '-analyzeduration', '2000000', '-probesize', '2000000'];
  switch (sourceKind(cam.url)) {
    case 'rtsp':
      // ffmpeg 5 renamed the RTSP socket timeout -stimeout to -timeout.
      opts.push('-rtsp_transport', cam.transport, ffmpegMajor >= 5 ? '-timeout' : '-stimeout', timeoutUs);
      opts.push('-fflags', 'nobuffer', '-flags', 'low_delay');
      break;
    case 'http':
      opts.push('-rw_timeout', timeoutUs);
      break;
    case 'file':
      if (cam.realtime) opts.push('-re');
      if (cam.loop) opts.push('-stream_loop', '-1');
      break;
  }
  if (cam.keyframesOnly) opts.push('-skip_frame', 'nokey');
  opts.push(...cam.inputOptions);
  return opts;
}

/** Filter chain: rate reduction first (cheapest), then scale (and pad), then showinfo for timestamps. */
export function videoFilters(cam: ParsedCameraSource): string[] {
  const { width: w, height: h } = cam.detectSize;
  const filters = cam.keyframesOnly ? [] : [`fps=${cam.detectFps}`];
  if (cam.letterbox) {
    filters.push(`scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=bilinear`, `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`);
  } else {
    filters.push(`scale=${w}:${h}:flags=bilinear`);
  }
  filters.push('showinfo');
  return filters;
}

export function outputOptions(cam: ParsedCameraSource): string[] {
  // Keyframes-only output is variable rate: keep each decoded frame once instead of padding to a fixed rate.
  return ['-an', '-sn', '-dn', '-pix_fmt', 'rgb24', ...(cam.keyframesOnly ? ['-vsync', 'passthrough'] : [])];
}
