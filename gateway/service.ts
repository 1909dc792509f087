import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FaceEngine } from '../models';
import { CameraStream, LiveViewHub } from '../streams';
import { AccessChanges } from './api/live-feed';
import { liveViewAccess } from './api/live-view-access';
import { createApi, LiveEventBus, TokenRegistry } from './api';
import { readTlsFiles, streamSourceOf, type GatewayConfig } from './config';
import { FaceWorker, InferencePool, personDetectorConfig } from './inference';
import { createMetrics } from './metrics';
import { CameraPipeline } from './pipeline/camera-pipeline';
import { cameraZoneControl } from './pipeline/zone-control';
import type { EventSink } from './pipeline/events';
import type { MinuteStat } from './pipeline/rules';
import type { TrackSummary } from './pipeline/track-summary';
import { applyRetention, BatchedWriter, gatewayStores, openDatabase, type Db, type EventStore } from './store';
import { WatchlistStore } from './watchlist';
import { saveSnapshot } from './snapshots';
import { GatewaySync } from './sync';

const VERSION = '0.1.0';

/** The gateway: cameras in, meaning out, stored locally and served over the API. */
export class GatewayService {
  private server: ServerType | undefined;
  private liveView: LiveViewHub | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  faceEngine: Promise<FaceEngine> | undefined;
  faceWorker: FaceWorker | undefined;
  url = '';

  private constructor(
    readonly config: GatewayConfig,
    readonly db: Db,
    readonly events: EventStore,
    private readonly writer: BatchedWriter,
    readonly pool: InferencePool,
    readonly pipelines: CameraPipeline[],
    readonly sync: GatewaySync,
    private readonly log: Logger,
  ) {}

  static async start(config: GatewayConfig, log: Logger): Promise<GatewayService> {
    // Before anything starts: a bad certificate or key is a configuration error.
    const tls = readTlsFiles(config.api.tls);
    const db = openDatabase(join(config.storage.dataDir, 'gateway.sqlite'));
    const stores = gatewayStores(db);
    const { events } = stores;
    const writer = new BatchedWriter(db, (err) => log.error({ err }, 'store write failed'));
    const pool = await InferencePool.create({
      workers: config.models.inferenceWorkers,
      detector: personDetectorConfig(config.models),
      maxBatch: 4,
      maxAgeMs: 2000,
    });
    let service: GatewayService | undefined;
    const streams = new Map<string, CameraStream>();
    const sync = new GatewaySync({
      db,
      config: config.sync,
      log: log.child({ part: 'sync' }),
      gatewayName: config.site.name,
      cameras: () => [...streams.values()].map((stream) => stream.health()).map((h) => ({ id: h.cameraId, state: h.state, reason: h.reason ?? null })),
    });
    // Every write that adds outbox rows goes through here: the outbox bound is checked every N of them.
    const outboxWrite = (write: () => void) => {
      writer.enqueue(write);
      if (sync.bound.due()) writer.enqueue(() => sync.bound.enforce());
    };
    const metrics = createMetrics(() => service?.pipelines ?? [], () => pool, () => sync.status());
    const liveEvents = new LiveEventBus();
    const sink: EventSink = {
      start: (e) => {
        liveEvents.publish({ uid: e.uid, cameraId: e.cameraId, type: e.type, severity: e.severity, at: e.at, ...(e.zoneId ? { zoneId: e.zoneId } : {}), ...(e.trackId !== undefined ? { trackId: e.trackId } : {}) });
        metrics.events.inc({ type: e.type });
        log.info({ camera: e.cameraId, type: e.type, zone: e.zoneId }, 'event');
        outboxWrite(() => events.start(e));
      },
      update: (uid, at, data) => outboxWrite(() => events.update(uid, at, data)),
      end: (uid, at, data) => outboxWrite(() => events.end(uid, at, data)),
    };
    const onMinute = (s: MinuteStat) =>
      outboxWrite(() => {
        stores.queueStats.upsert(s);
        sync.records.queueStat(s);
      });
    const onTrackEnded = (t: TrackSummary) => writer.enqueue(() => stores.tracks.save(t));
    let snapshotsInFlight = 0;
    const onSnapshot = (uid: string, cameraId: string, frame: { data: Uint8Array; width: number; height: number }, boxes: Array<{ x1: number; y1: number; x2: number; y2: number }>, at: number) => {
      // A burst of events must not queue unbounded image encoding: beyond 4 at once, skip.
      if (snapshotsInFlight >= 4) return;
      snapshotsInFlight++;
      const dir = join(config.storage.dataDir, 'snapshots', cameraId, new Date(at).toISOString().slice(0, 10));
      saveSnapshot(dir, uid, frame, boxes)
        .then((s) => writer.enqueue(() => stores.snapshots.add(uid, cameraId, at, s)))
        .catch((err: unknown) => log.error({ err, camera: cameraId }, 'snapshot failed'))
        .finally(() => snapshotsInFlight--);
    };
    const watchlist = new WatchlistStore(db);
    const faceWorker = config.cameras.some((c) => c.enabled && c.faceRecognition) ? await FaceWorker.create({ session: { intraOpThreads: 1 } }) : undefined;
    const faces = faceWorker
      ? { worker: faceWorker, watchlist, matchThreshold: config.models.faceMatchThreshold, minFaceSize: config.models.minFaceSize, maxFacesPerTrack: 5, intervalMs: 500 }
      : undefined;
    // Zones saved from the dashboard replace the config file's for their camera.
    const { zoneStore } = stores;
    zoneStore.registerCameras(config.cameras, Date.now());
    const cameras = zoneStore.withSavedZones(config.cameras, (id, err) => log.error({ err, camera: id }, 'saved zones ignored; the config file zones run'));
    const pipelines = cameras
      .filter((c) => c.enabled)
      .map((c) => {
        const stream = new CameraStream(streamSourceOf(c));
        streams.set(c.id, stream);
        stream.on('state', (h) =>
          outboxWrite(() => {
            sync.records.cameraHealth({ cameraId: c.id, state: h.state, reason: h.reason ?? null, at: h.since });
            zoneStore.recordState(c.id, h.state, h.reason ?? null, h.since);
          }),
        );
        return new CameraPipeline(c, { stream, pool, sink, onMinute, onTrackEnded, personThreshold: config.models.personThreshold, timeZone: config.site.timezone, onSnapshot, ...(faces ? { faces } : {}) });
      });
    service = new GatewayService(config, db, events, writer, pool, pipelines, sync, log);
    service.faceWorker = faceWorker;
    const { users, sessions, audit } = stores;
    const tokens = new TokenRegistry(config.users, (digest) => users.byDigest(digest));
    // Live view (jsmpeg over a websocket): security and admin, by dashboard session from the gateway's own pages; a relay's failure never touches detection.
    const auth = { tokens, users, sessions, now: Date.now };
    const liveView = new LiveViewHub(
      (id) => {
        const cam = config.cameras.find((c) => c.id === id && c.enabled);
        return cam ? streamSourceOf(cam) : undefined;
      },
      { maxRelays: config.api.maxLiveRelays, pathPrefix: '/ws/live/' },
      liveViewAccess(auth, audit),
    );
    // A logout or a removed user ends their live video at once (the hub also re-checks every 5 s).
    const accessChanges = new AccessChanges();
    accessChanges.subscribe(() => liveView.revalidate());
    service.liveView = liveView;
    const app = createApi({
      ...stores,
      accessChanges,
      cameraStill: (id) => {
        const stream = streams.get(id);
        if (!stream) return Promise.reject(new Error(`no camera '${id}'`));
        return stream.snapshot();
      },
      liveRelays: () => liveView.relaysInfo(),
      inference: () => pool.snapshot(),
      cameraZones: cameraZoneControl(cameras, pipelines),
      // The same list the zone editor updates, so the queue board's limits follow its edits.
      cameraConfigs: () => cameras,
      watchlist,
      faceEngine: () => (service!.faceEngine ??= FaceEngine.create({ session: { intraOpThreads: 1 } })),
      tokens,
      metrics: metrics.registry,
      cameras: () => pipelines.map((p) => p.live()),
      bodyLimitBytes: config.api.bodyLimitBytes,
      liveEvents,
      sync: () => sync.status(),
      version: VERSION,
      log,
    });
    for (const p of pipelines) p.start();
    await new Promise<void>((resolve) => {
      const listen = { fetch: app.fetch, port: config.api.port, hostname: config.api.host };
      const done = () => resolve();
      // With api.tls the API, the dashboard (Secure cookies) and the live view (wss) are served over HTTPS.
      service!.server = tls ? serve({ ...listen, createServer: createHttpsServer, serverOptions: tls }, done) : serve(listen, done);
    });
    liveView.attachTo(service.server as import('node:http').Server);
    const address = service.server!.address() as AddressInfo;
    service.url = `${tls ? 'https' : 'http'}://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${address.port}`;
    service.retentionTimer = setInterval(() => service!.retention(), 3_600_000);
    service.retentionTimer.unref();
    sync.start();
    return service;
  }

  retention(): void {
    try {
      const now = Date.now();
      const { snapshotFiles, ...counts } = applyRetention(this.db, this.config.retention, now, { snapshotsDir: join(this.config.storage.dataDir, 'snapshots') });
      const outboxFaceCrops = this.sync.outbox.stripFaceCropsBefore(now - this.config.retention.faceCropsDays * 86_400_000);
      this.log.info({ ...counts, snapshotRows: snapshotFiles.length, outboxFaceCrops }, 'retention applied');
    } catch (err) {
      this.log.error({ err }, 'retention failed');
    }
  }

  /** Flushes pending writes (for tests and shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  async stop(): Promise<void> {
    clearInterval(this.retentionTimer);
    this.server?.close();
    await this.liveView?.close();
    await Promise.all(this.pipelines.map((p) => p.stop()));
    await this.writer.flush();
    await this.sync.stop();
    await this.pool.close();
    await this.faceWorker?.close();
    await (await this.faceEngine)?.dispose();
    this.db.close();
  }
}
