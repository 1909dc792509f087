import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { InferencePool } from './inference';
import type { CameraPipeline } from './pipeline/camera-pipeline';
import type { SyncStatus } from './sync';

/** Prometheus metrics, read from the live objects on every scrape (no extra work on the frame path). */
export function createMetrics(
  pipelines: () => CameraPipeline[],
  pool: () => InferencePool | undefined,
  sync?: () => SyncStatus,
): { registry: Registry; events: Counter<'type'> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_process_' });
  // One scrape reads seven gauges per camera; take each camera's live view (it sorts latencies) once.
  let scrape: { at: number; views: Map<CameraPipeline, ReturnType<CameraPipeline['live']>> } = { at: 0, views: new Map() };
  const liveOf = (p: CameraPipeline) => {
    const now = Date.now();
    if (now - scrape.at > 250) scrape = { at: now, views: new Map() };
    let view = scrape.views.get(p);
    if (!view) scrape.views.set(p, (view = p.live()));
    return view;
  };
  const cameraGauge = (name: string, help: string, read: (live: ReturnType<CameraPipeline['live']>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['camera'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of pipelines()) this.set({ camera: p.camera.id }, read(liveOf(p)));
      },
    });
  cameraGauge('gateway_camera_input_fps', 'Frames per second arriving from ffmpeg', (live) => live.camera.measuredFps);
  cameraGauge('gateway_camera_frames_dropped', 'Frames replaced before they were taken', (live) => live.camera.framesDropped);
  cameraGauge('gateway_camera_reconnects', 'ffmpeg restarts', (live) => live.camera.reconnects);
  cameraGauge('gateway_camera_streaming', '1 while the camera streams', (live) => (live.camera.state === 'streaming' ? 1 : 0));
  cameraGauge('gateway_camera_detected_frames', 'Frames that went through the detector', (live) => live.detectedFrames);
  cameraGauge('gateway_camera_motion_skipped', 'Frames skipped by the motion gate', (live) => live.motionSkipped);
  cameraGauge('gateway_camera_latency_p99_ms', 'Frame capture to rules applied, p99', (live) => live.latencyMs.p99);
  const poolGauge = (name: string, help: string, read: (s: ReturnType<InferencePool['snapshot']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = pool()?.snapshot();
        if (s) this.set(read(s));
      },
    });
  poolGauge('gateway_inference_queue_depth', 'Frames waiting for a worker', (s) => s.queueDepth);
  poolGauge('gateway_inference_latency_p50_ms', 'Model run time, p50', (s) => s.inferenceMs.p50);
  poolGauge('gateway_inference_latency_p99_ms', 'Model run time, p99', (s) => s.inferenceMs.p99);
  poolGauge('gateway_inference_dropped_stale', 'Frames dropped as too old', (s) => s.droppedStale);
  const events = new Counter({ name: 'gateway_events_total', help: 'Events started, by type', labelNames: ['type'], registers: [registry] });
  if (sync) registerSyncMetrics(registry, sync);
  return { registry, events };
}

function registerSyncMetrics(registry: Registry, sync: () => SyncStatus): void {
  // Five metrics read the same status: take it once per scrape.
  let cached: { at: number; status: SyncStatus } | undefined;
  const status = (): SyncStatus => {
    const now = Date.now();
    if (!cached || now - cached.at > 250) cached = { at: now, status: sync() };
    return cached.status;
  };
  const gauge = (name: string, help: string, read: (s: SyncStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(status()));
      },
    });
  gauge('gateway_sync_connected', '1 while the last exchange with the central server succeeded', (s) => (s.connected ? 1 : 0));
  gauge('gateway_sync_backlog', 'Records in the outbox waiting to be sent', (s) => s.backlog);
  gauge('gateway_sync_oldest_unsent_seconds', 'Age of the oldest unsent record (0 when none)', (s) => s.oldestUnsentAgeSeconds ?? 0);
  new Counter({
    name: 'gateway_sync_sent_total',
    help: 'Records acknowledged by the central server since start',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(status().sent);
    },
  });
  new Counter({
    name: 'gateway_sync_dropped_total',
    help: 'Records dropped unsent by the outbox bound, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, n] of Object.entries(status().dropped)) this.inc({ kind }, n);
    },
  });
  new Counter({
    name: 'gateway_sync_dead_lettered_total',
    help: 'Records set aside for good: refused by the central server by name, or failing alone with server errors',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(status().deadLettered);
    },
  });
}
