import { execFileSync } from 'node:child_process';
import { cpus, hostname, totalmem } from 'node:os';
import * as ort from 'onnxruntime-node';

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
