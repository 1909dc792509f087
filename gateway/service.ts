import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { CameraStream, LiveViewHub } from '../streams';
import { AccessChanges } from './api/live-feed';
import { liveViewAccessOf } from './api/live-view-access';
import { createApi, LiveEventBus, TokenRegistry } from './api';
import { createClips, type Clips } from './clips';
import { createCameraAdmin, runtimeCamerasAtBoot } from './discovery';
import { MqttFeed } from './mqtt';
import { readTlsFiles, streamSourceOf, type GatewayConfig } from './config';
import { FaceWorker, InferencePool, startDetectorPool } from './inference';
import { emptyStageMs, type FrameCostTotals } from './pipeline/frame-costs';
import { createMetrics } from './metrics';
import type { CameraPipeline } from './pipeline/camera-pipeline';
import { RunningCameras } from './running-cameras';
import { cameraZoneControl } from './pipeline/zone-control';
import type { EventSink } from './pipeline/events';
import { applyRetention, BatchedWriter, gatewayStores, openDatabase, type Db, type EventStore } from './store';
import { EnrolmentFaceEngine, WatchlistStore } from './watchlist';
import { SnapshotTaker } from './snapshots';
import { GatewaySync, PerfSampler } from './sync';

const VERSION = '0.1.0';
const RETENTION_INTERVAL_MS = 3_600_000;

/** The parts a running gateway holds and stops. */
interface RunningParts {
  config: GatewayConfig;
  db: Db;
  events: EventStore;
  writer: BatchedWriter;
  pool: InferencePool;
  pipelines: CameraPipeline[];
  sync: GatewaySync;
  log: Logger;
  server: ServerType;
  liveView: LiveViewHub;
  faceWorker: FaceWorker | undefined;
  faceEngine: EnrolmentFaceEngine;
  clips: Clips;
  mqtt: MqttFeed | undefined;
  url: string;
}

/** The gateway: cameras in, meaning out, stored locally and served over the API. Wiring only. */
export class GatewayService {
  readonly config: GatewayConfig;
  readonly db: Db;
  readonly events: EventStore;
  readonly pool: InferencePool;
  readonly pipelines: CameraPipeline[];
  readonly sync: GatewaySync;
  readonly faceWorker: FaceWorker | undefined;
  readonly url: string;
  private readonly parts: RunningParts;
  private readonly retentionTimer: NodeJS.Timeout;

  private constructor(parts: RunningParts) {
    this.parts = parts;
    ({ config: this.config, db: this.db, events: this.events, pool: this.pool, pipelines: this.pipelines, sync: this.sync, faceWorker: this.faceWorker, url: this.url } = parts);
    this.retentionTimer = setInterval(() => this.retention(), RETENTION_INTERVAL_MS);
    this.retentionTimer.unref();
  }

  static async start(config: GatewayConfig, log: Logger): Promise<GatewayService> {
    // Before anything starts: a bad certificate or key is a configuration error.
    const tls = readTlsFiles(config.api.tls);
    const db = openDatabase(join(config.storage.dataDir, 'gateway.sqlite'));
    const stores = gatewayStores(db);
    const { events, zoneStore } = stores;
    const writer = new BatchedWriter(db, (err) => log.error({ err }, 'store write failed'));
    const clips = createClips({ config: config.clips, dataDir: config.storage.dataDir, db, log: log.child({ part: 'clips' }) });
    const pool = await startDetectorPool(config.models, log.child({ part: 'inference' }));
    // The heartbeat's performance summary (central's throughput per device); read only once sync has started, after the cameras exist.
    const perf = new PerfSampler({ pool: () => pool, pipelines: () => cameras.pipelines, configuredCameras: () => cameras.configs.length });
    const sync = new GatewaySync({
      db,
      config: config.sync,
      log: log.child({ part: 'sync' }),
      gatewayName: config.site.name,
      cameras: () => [...cameras.streams.values()].map((stream) => stream.health()).map((h) => ({ id: h.cameraId, state: h.state, reason: h.reason ?? null })),
      perf: () => perf.sample(),
    });
    // Every write that adds outbox rows goes through here: the outbox bound is checked every N of them.
    const outboxWrite = (write: () => void) => {
      writer.enqueue(write);
      if (sync.bound.due()) writer.enqueue(() => sync.bound.enforce());
    };
    const metrics = createMetrics(() => cameras.pipelines, () => pool, () => sync.status());
    // The local event feed never waits for its broker (started down, it queues and reconnects).
    const mqtt = config.mqtt
      ? MqttFeed.start(config.mqtt, {
          siteId: config.site.id,
          log: log.child({ part: 'mqtt' }),
          registry: metrics.registry,
          audit: { record: (e) => writer.enqueue(() => stores.audit.record(e)) },
          zones: () => cameras.pipelines.map((p) => ({ cameraId: p.camera.id, zones: p.live().zones })),
        })
      : undefined;
    const liveEvents = new LiveEventBus();
    const sink: EventSink = {
      start: (e) => {
        liveEvents.publish({ uid: e.uid, cameraId: e.cameraId, type: e.type, severity: e.severity, at: e.at, ...(e.zoneId ? { zoneId: e.zoneId } : {}), ...(e.trackId !== undefined ? { trackId: e.trackId } : {}) });
        metrics.events.inc({ type: e.type });
        log.info({ camera: e.cameraId, type: e.type, zone: e.zoneId }, 'event');
        outboxWrite(() => events.start(e));
        clips.eventStarted(e);
        mqtt?.eventStarted(e);
      },
      update: (uid, at, data) => {
        outboxWrite(() => events.update(uid, at, data));
        mqtt?.eventUpdated(uid, at, data);
      },
      end: (uid, at, data) => {
        outboxWrite(() => events.end(uid, at, data));
        clips.eventEnded(uid, at);
        mqtt?.eventEnded(uid, at, data);
      },
    };
    const snapshots = new SnapshotTaker({
      dir: join(config.storage.dataDir, 'snapshots'),
      saved: (uid, cameraId, at, files) => writer.enqueue(() => stores.snapshots.add(uid, cameraId, at, files)),
      failed: (err, cameraId) => log.error({ err, camera: cameraId }, 'snapshot failed'),
    });
    const watchlist = new WatchlistStore(db);
    const faceWorker = config.cameras.some((c) => c.enabled && c.faceRecognition) ? await FaceWorker.create({ session: { intraOpThreads: 1 } }) : undefined;
    const faces = faceWorker
      ? { worker: faceWorker, watchlist, matchThreshold: config.models.faceMatchThreshold, minFaceSize: config.models.minFaceSize, maxFacesPerTrack: 5, intervalMs: 500 }
      : undefined;
    // Zones saved from the dashboard replace the configured ones for their camera (RunningCameras.add).
    // (sync and metrics above read `cameras` only once running.)
    const cameras = new RunningCameras({
      zoneStore,
      log,
      onState: (c, h) => {
        outboxWrite(() => {
          sync.records.cameraHealth({ cameraId: c.id, state: h.state, reason: h.reason ?? null, at: h.since });
          zoneStore.recordState(c.id, h.state, h.reason ?? null, h.since);
        });
        mqtt?.cameraState(c.id, h);
      },
      // The clip buffer is a second output of the camera's own ffmpeg (one RTSP session per camera).
      streamFor: (c) => new CameraStream(streamSourceOf(c), c.clips ? { segments: clips.bufferFor(c.id) } : {}),
      pipeline: {
        pool,
        sink,
        onMinute: (s) =>
          outboxWrite(() => {
            stores.queueStats.upsert(s);
            sync.records.queueStat(s);
          }),
        onTrackEnded: (t) => writer.enqueue(() => stores.tracks.save(t)),
        personThreshold: config.models.personThreshold,
        timeZone: config.site.timezone,
        onSnapshot: (uid, cameraId, frame, boxes, at) => snapshots.take(uid, cameraId, frame, boxes, at),
        ...(faces ? { faces } : {}),
      },
    });
    for (const c of config.cameras) cameras.add(c);
    // Cameras added from the dashboard ("Add camera"), stored in SQLite; the file wins on an id clash (logged).
    for (const c of runtimeCamerasAtBoot(db, config.cameras, log)) cameras.add(c);
    const staleBuffers = clips.sweepStaleBuffers();
    if (staleBuffers > 0) log.info({ folders: staleBuffers }, 'clip buffers of cameras no longer running removed');
    const cameraAdmin = createCameraAdmin({
      db,
      fileCameras: config.cameras,
      config: config.discovery,
      // Starts the stream and pipeline at once (throws on an id in use, which rolls the row back).
      startCamera: (camera) => {
        cameras.add(camera);
      },
      stopCamera: async (id) => {
        await cameras.remove(id).catch((err: unknown) => log.error({ err, camera: id }, 'camera stop failed'));
      },
      log: log.child({ part: 'discovery' }),
    });
    const pipelines = cameras.pipelines;
    const tokens = new TokenRegistry(config.users, (digest) => stores.users.byDigest(digest));
    // Live view (jsmpeg over a websocket): security and admin, by dashboard session from the gateway's own pages; a relay's failure never touches detection.
    const liveView = new LiveViewHub(
      (id) => {
        const cam = cameras.enabled(id);
        return cam ? streamSourceOf(cam) : undefined;
      },
      { maxRelays: config.api.maxLiveRelays, pathPrefix: '/ws/live/' },
      liveViewAccessOf(stores, tokens),
    );
    // A logout or a removed user ends their live video at once (the hub also re-checks every 5 s).
    const accessChanges = new AccessChanges();
    accessChanges.subscribe(() => liveView.revalidate());
    const faceEngine = new EnrolmentFaceEngine();
    const app = createApi({
      ...stores,
      site: { id: config.site.id, timeZone: config.site.timezone },
      clips: clips.access,
      cameraAdmin,
      accessChanges,
      cameraStill: (id) => {
        const stream = cameras.streams.get(id);
        if (!stream) return Promise.reject(new Error(`no camera '${id}'`));
        return stream.snapshot();
      },
      liveRelays: () => liveView.relaysInfo(),
      inference: () => pool.snapshot(),
      cameraZones: cameraZoneControl(cameras.configs, pipelines),
      // The same list the zone editor updates, so the queue board's limits follow its edits.
      cameraConfigs: () => cameras.configs,
      watchlist,
      faceEngine: () => faceEngine.get(),
      tokens,
      metrics: metrics.registry,
      cameras: () => pipelines.map((p) => p.live()),
      bodyLimitBytes: config.api.bodyLimitBytes,
      liveEvents,
      sync: () => sync.status(),
      version: VERSION,
      log,
    });
    cameras.start();
    const server = await new Promise<ServerType>((resolve) => {
      const listen = { fetch: app.fetch, port: config.api.port, hostname: config.api.host };
      // With api.tls the API, the dashboard (Secure cookies) and the live view (wss) are served over HTTPS.
      const started: ServerType = tls ? serve({ ...listen, createServer: createHttpsServer, serverOptions: tls }, () => resolve(started)) : serve(listen, () => resolve(started));
    });
    liveView.attachTo(server as Server);
    const address = server.address() as AddressInfo;
    const url = `${tls ? 'https' : 'http'}://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${address.port}`;
    sync.start();
    return new GatewayService({ config, db, events, writer, pool, pipelines, sync, log, server, liveView, faceWorker, faceEngine, clips, mqtt, url });
  }

  retention(): void {
    const { config, sync, log } = this.parts;
    try {
      const now = Date.now();
      const { snapshotFiles, clips: clipFiles, ...counts } = applyRetention(this.db, config.retention, now, {
        snapshotsDir: join(config.storage.dataDir, 'snapshots'),
        clipsDir: this.parts.clips.dir,
      });
      const outboxFaceCrops = sync.outbox.stripFaceCropsBefore(now - config.retention.faceCropsDays * 86_400_000);
      log.info({ ...counts, snapshotRows: snapshotFiles.length, clipFiles, outboxFaceCrops }, 'retention applied');
    } catch (err) {
      log.error({ err }, 'retention failed');
    }
  }

  /** Where the frames' CPU went since start, stage by stage (pipeline/frame-costs.ts; the benchmark prints it per frame). */
  frameCosts(): FrameCostTotals {
    const pool = this.pool.snapshot().stageMs;
    const totals: FrameCostTotals = { detectedFrames: 0, handledFrames: 0, stageMs: emptyStageMs() };
    for (const p of this.pipelines) {
      const c = p.costs();
      totals.detectedFrames += c.detectedFrames;
      totals.handledFrames += c.handledFrames;
      totals.stageMs.motion += c.motionMs;
      totals.stageMs.tracking += c.trackingMs;
    }
    totals.stageMs.transfer = pool.transferMs;
    totals.stageMs.prepare = pool.prepareMs;
    totals.stageMs.inference = pool.inferenceMs;
    totals.stageMs.outputs = pool.outputsMs;
    totals.stageMs.store = this.parts.writer.busyMs;
    return totals;
  }

  /** Flushes pending writes (for tests and shutdown). */
  flush(): Promise<void> {
    return this.parts.writer.flush();
  }

  async stop(): Promise<void> {
    const { server, liveView, writer, faceEngine, clips, mqtt } = this.parts;
    clearInterval(this.retentionTimer);
    server.close();
    await liveView.close();
    await Promise.all(this.pipelines.map((p) => p.stop()));
    // The event ends the pipelines just wrote are saved first: what follows may take seconds.
    await writer.flush();
    // Pending clips finish with the video there is; the feed sends the last event ends and goes offline.
    await Promise.all([clips.close(), mqtt?.close()]);
    await writer.flush();
    await this.sync.stop();
    await this.pool.close();
    await this.faceWorker?.close();
    await faceEngine.dispose();
    this.db.close();
  }
}
