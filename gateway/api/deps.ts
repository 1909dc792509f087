import type { Registry } from 'prom-client';
import type { FaceEngine } from '../../models';
import type { ClipAccess } from '../clips';
import type { CameraConfig } from '../config';
import type { CameraAdmin } from '../discovery';
import type { CameraZoneControl } from '../pipeline/zone-control';
import type { GatewayStores } from '../store';
import type { SyncStatus } from '../sync';
import type { WatchlistStore } from '../watchlist';
import type { TokenRegistry } from './auth';
import type { AccessChanges, LiveEventBus } from './live-feed';
import type { LiveFeedDeps, LiveStreamLimits } from './live-stream';
import type { LoginThrottle } from './login-throttle';
import type { RouteSpec } from './route-spec';
import type { Authenticator } from './session-auth';

/** What the gateway's HTTP API is built from: its stores (never the raw database) and the running gateway's parts. */
export interface ApiDeps extends GatewayStores {
  tokens: TokenRegistry;
  metrics: Registry;
  /** Live camera health (from streams/), as plain JSON. */
  cameras: () => unknown[];
  bodyLimitBytes: number;
  liveEvents: LiveEventBus;
  /** Interval of live count messages on /api/live (and of re-checking each stream's caller). */
  liveIntervalMs?: number;
  /** Open /api/live streams allowed per user and in total (default 8 and 100). */
  liveStreams?: LiveStreamLimits;
  /** Told of every logout and user removal, so open streams check their caller at once (the gateway's live view listens too). */
  accessChanges?: AccessChanges;
  watchlist: WatchlistStore;
  /** The face engine, created on first use (enrolment is rare). */
  faceEngine: () => Promise<FaceEngine>;
  /** Central sync status; absent where the API runs without a gateway (tests). */
  sync?: () => SyncStatus;
  version: string;
  log: { error: (obj: object, msg: string) => void };
  now?: () => number;
  /** A full-resolution JPEG from a camera, taken now (zone drawing). */
  cameraStill?: (cameraId: string) => Promise<Buffer>;
  /** Live-view relays running now (ops). */
  liveRelays?: () => unknown[];
  /** Inference pool figures: queue depth, batch sizes, latency per model (ops). */
  inference?: () => unknown;
  /** Zones of the configured cameras, applied live to the pipelines (admin zone editor); absent without a gateway. */
  cameraZones?: CameraZoneControl;
  /** Benchmark reports for the ops page; by default benchmarks/results in the repository. */
  benchmarksDir?: string;
  /** Configured cameras with the zones in effect (zone editor edits included) and their thresholds (queue board). */
  cameraConfigs?: () => ReadonlyArray<CameraConfig>;
  /** The site (config `site`): footfall's days are cut at midnight in its time zone (Asia/Ho_Chi_Minh when absent). */
  site?: { id: string; timeZone: string };
  /** Evidence clips: an event's clip status and file (security/admin), disk use (ops); absent without a gateway. */
  clips?: ClipAccess;
  /** "Add camera": ONVIF discovery, device details, test still, run-time cameras (admin); absent without a gateway. */
  cameraAdmin?: CameraAdmin;
}

/** What one API instance holds while it runs, shared by the features' handlers. */
export interface ApiRuntime {
  now: () => number;
  auth: Authenticator;
  throttle: LoginThrottle;
  accessChanges: AccessChanges;
  liveFeed: LiveFeedDeps;
  /** Every route of this API (the OpenAPI document). */
  routes: readonly RouteSpec[];
}
