import type { Logger } from 'pino';
import { CameraStream, type CameraHealth } from '../streams';
import { streamSourceOf, type CameraConfig } from './config';
import { CameraPipeline, type PipelineDeps } from './pipeline/camera-pipeline';
import type { CameraZoneStore } from './store';

/** What every camera's pipeline shares (the pool, the event sink, the stores' callbacks), less its stream. */
export type SharedPipelineDeps = Omit<PipelineDeps, 'stream'>;

export interface RunningCamerasDeps {
  zoneStore: CameraZoneStore;
  pipeline: SharedPipelineDeps;
  /** A camera's stream state changed (stored, synced, published). */
  onState: (camera: CameraConfig, health: CameraHealth) => void;
  /** Builds a camera's stream (default: the camera's source as configured; the clip buffer adds its segment output). */
  streamFor?: (camera: CameraConfig) => CameraStream;
  /** Called once a camera's pipeline exists (before it starts). */
  onAdded?: (camera: CameraConfig, pipeline: CameraPipeline) => void;
  log: Logger;
}

/**
 * The gateway's cameras: the configured ones at boot and any added at run time (the admin's "Add
 * camera"), each a stream and a pipeline. The arrays are live: the API, metrics and sync read them.
 */
export class RunningCameras {
  /** Every camera with the zones in effect (saved zones applied), enabled or not. */
  readonly configs: CameraConfig[] = [];
  readonly pipelines: CameraPipeline[] = [];
  readonly streams = new Map<string, CameraStream>();
  private started = false;

  constructor(private readonly deps: RunningCamerasDeps) {}

  /** Adds a camera; its pipeline starts now if the gateway is running. An id already present is refused. */
  add(camera: CameraConfig, at = Date.now()): CameraPipeline | undefined {
    if (this.configs.some((c) => c.id === camera.id)) throw new Error(`camera id '${camera.id}' is already in use`);
    const { zoneStore, log } = this.deps;
    zoneStore.registerCameras([camera], at);
    const [withZones] = zoneStore.withSavedZones([camera], (id, err) => log.error({ err, camera: id }, 'saved zones ignored; the configured zones run'));
    const config = withZones ?? camera;
    this.configs.push(config);
    if (!config.enabled) return undefined;
    const stream = this.deps.streamFor?.(config) ?? new CameraStream(streamSourceOf(config));
    this.streams.set(config.id, stream);
    stream.on('state', (h: CameraHealth) => this.deps.onState(config, h));
    const pipeline = new CameraPipeline(config, { ...this.deps.pipeline, stream });
    this.pipelines.push(pipeline);
    this.deps.onAdded?.(config, pipeline);
    if (this.started) pipeline.start();
    return pipeline;
  }

  /** Starts every pipeline added so far; later additions start as they come. */
  start(): void {
    this.started = true;
    for (const p of this.pipelines) p.start();
  }

  /** The running, enabled camera with this id. */
  enabled(id: string): CameraConfig | undefined {
    return this.configs.find((c) => c.id === id && c.enabled);
  }

  /**
   * Stops a camera and then forgets it (a run-time camera removed by the admin); false when there is
   * no such camera. Its id stays taken until it has stopped, so a quick re-add cannot meet the old
   * stream (which shares the camera's clip buffer) still running.
   */
  async remove(id: string): Promise<boolean> {
    if (!this.configs.some((c) => c.id === id)) return false;
    await this.pipelines.find((pipeline) => pipeline.camera.id === id)?.stop();
    const i = this.configs.findIndex((c) => c.id === id);
    if (i >= 0) this.configs.splice(i, 1);
    this.streams.delete(id);
    const p = this.pipelines.findIndex((pipeline) => pipeline.camera.id === id);
    if (p >= 0) this.pipelines.splice(p, 1);
    return true;
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.pipelines.map((p) => p.stop()));
  }
}
