import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { resolveFfmpeg } from '../../streams/ffmpeg/binary';

export interface DeviceInfo {
  host: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  ortVersion: string;
  executionProviders: string[];
  gitCommit: string;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function deviceInfo(): DeviceInfo {
  return {
    host: hostname(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ortVersion: ort.env.versions.node ?? 'unknown',
    executionProviders: ort.listSupportedBackends().filter((b) => b.bundled || b.name === 'cpu').map((b) => b.name),
    gitCommit: gitCommit(),
  };
}

export interface GpuInfo {
  name: string;
  memoryMiB: number;
  driver: string;
}

export interface SystemInfo extends DeviceInfo {
  /** Uncommitted changes in the working tree when the benchmark ran (the commit alone does not say what ran). */
  gitDirty?: boolean;
  platform: string;
  /** GPUs nvidia-smi lists (empty without an NVIDIA driver). */
  gpus: GpuInfo[];
  /** ORT execution providers: what the binding lists, and what can really open a session here. */
  ortProviders: { listed: string[]; usable: string[] };
  ffmpeg: { path: string; version: string; hwaccels: string[]; usableHwaccels: string[] };
}

const run = (cmd: string, args: string[], timeout = 10_000): string | undefined => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};

/** Parses `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(csv: string): GpuInfo[] {
  return csv
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = 'unknown', memory = '0', driver = 'unknown'] = line.split(',').map((s) => s.trim());
      return { name, memoryMiB: Number(memory) || 0, driver };
    });
}

/** Parses `ffmpeg -hwaccels` (a header line, then one method per line). */
export function parseHwaccels(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/:$/.test(l) && !/^hardware acceleration/i.test(l));
}

function ortProviders(): { listed: string[]; usable: string[] } {
  const listed = ort.listSupportedBackends().map((b) => b.name);
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
  // As models/runtime/session.ts: a listed provider without its library cannot open a session.
  const usable = listed.filter((name) => name === 'cpu' || (name === 'cuda' && existsSync(join(bin, `libonnxruntime_providers_${name}.so`))));
  return { listed, usable: usable.includes('cpu') ? usable : ['cpu', ...usable] };
}

/** Which compiled-in hardware decoders can open a device on this machine (a 1-frame null run each). */
function usableHwaccels(ffmpeg: string, hwaccels: string[]): string[] {
  return hwaccels.filter((h) => ['cuda', 'vaapi', 'qsv', 'vdpau', 'drm', 'vulkan'].includes(h) && run(ffmpeg, ['-v', 'error', '-init_hw_device', `${h}=hw`, '-f', 'lavfi', '-i', 'nullsrc=s=64x64', '-frames:v', '1', '-f', 'null', '-'], 5000) !== undefined);
}

/** deviceInfo() plus GPU, ORT providers and ffmpeg (version, hardware decoders): for the combined report. */
export function systemInfo(): SystemInfo {
  const ffmpeg = resolveFfmpeg();
  const hwaccels = parseHwaccels(run(ffmpeg.path, ['-hide_banner', '-hwaccels']) ?? '');
  const smi = run('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits']);
  const status = run('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    ...deviceInfo(),
    ...(status !== undefined ? { gitDirty: status.trim().length > 0 } : {}),
    platform: `${platform()} ${release()} ${arch()}`,
    gpus: smi ? parseNvidiaSmi(smi) : [],
    ortProviders: ortProviders(),
    ffmpeg: { path: ffmpeg.path, version: ffmpeg.version, hwaccels, usableHwaccels: usableHwaccels(ffmpeg.path, hwaccels) },
  };
}
