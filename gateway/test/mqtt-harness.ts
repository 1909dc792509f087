/** Shared parts of the MQTT feed tests: a feed on a broker, a log that keeps its lines, metric readings. */
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import type { CameraHealth } from '../../streams';
import { MqttConfigSchema, MqttFeed, type CameraZones, type MqttConfigInput } from '../mqtt';
import type { AuditEntry } from '../store';

export interface FeedRig {
  feed: MqttFeed;
  registry: Registry;
  audits: AuditEntry[];
  logLines: string[];
}

export function capturingLog(lines: string[]): Logger {
  return pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
}

export function startFeed(config: MqttConfigInput, options: { zones?: () => CameraZones[]; audit?: { record(e: AuditEntry): void }; siteId?: string } = {}): FeedRig {
  const registry = new Registry();
  const audits: AuditEntry[] = [];
  const logLines: string[] = [];
  const feed = MqttFeed.start(MqttConfigSchema.parse(config), {
    siteId: options.siteId ?? 'test-site',
    log: capturingLog(logLines),
    registry,
    audit: options.audit ?? { record: (e) => void audits.push(e) },
    zones: options.zones ?? (() => []),
    reconnect: { initialMs: 100, maxMs: 400 },
  });
  return { feed, registry, audits, logLines };
}

/** A counter's or gauge's value for one label set (0 when never set). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

export function health(cameraId: string, state: CameraHealth['state'], since = Date.UTC(2026, 0, 5, 8, 0, 0)): CameraHealth {
  return {
    cameraId,
    url: 'rtsp://viewer:***@10.0.0.5/live',
    state,
    ...(state === 'streaming' ? {} : { reason: 'connection_refused' as CameraHealth['reason'] }),
    since,
    framesIn: 100,
    framesDelivered: 90,
    framesDropped: 10,
    reconnects: 2,
    lastFrameAgeMs: 40,
    measuredFps: 4.96,
    ffmpegCpuSeconds: 1,
    ffmpegVersion: '6',
    width: 768,
    height: 576,
  };
}

export const json = <T = Record<string, unknown>>(payload: string): T => JSON.parse(payload) as T;
