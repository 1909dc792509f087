import type { Heartbeat, PerfSummary, QueueStatPayload, SyncRecord } from '../../wire';
import type { SqlRunner } from './sql-runner';

export const ROLES = ['security', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Dialect = 'sqlite' | 'postgres';

export interface GatewayRow {
  id: string;
  siteId: string;
  name: string;
  secret: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface NewEnrolment {
  /** SHA-256 of the one-time token; the token itself is never stored. */
  digest: string;
  siteId: string;
  siteName: string;
  createdAt: number;
  expiresAt: number;
}

export interface Redemption {
  digest: string;
  now: number;
  gatewayId: string;
  gatewayName: string;
  secret: string;
}

export type RedeemResult = { ok: true; gatewayId: string; siteId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export interface NewApiToken {
  digest: string;
  name: string;
  role: Role;
  createdAt: number;
}

export interface ApiTokenRow {
  id: number;
  name: string;
  role: Role;
}

/** An API token as admins see it: never the token or its digest. */
export interface ApiTokenInfo extends ApiTokenRow {
  createdAt: number;
  revokedAt: number | null;
}

/** A gateway as admins see it: never its secret. */
export interface GatewayInfo {
  id: string;
  siteId: string;
  siteName: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
}

/**
 * Retention work, in the order it runs: face crops are stripped first, then old rows deleted.
 * Each step handles at most `limit` rows per call, in its own transaction.
 */
export const RETENTION_STEPS = ['eventFaceCrops', 'recordFaceCrops', 'pendingFaceCrops', 'records', 'events', 'pendingUpdates', 'queueStats', 'queueSlots'] as const;
export type RetentionStep = (typeof RETENTION_STEPS)[number];
export const FACE_CROP_STEPS: ReadonlySet<RetentionStep> = new Set(['eventFaceCrops', 'recordFaceCrops', 'pendingFaceCrops']);

export interface IngestInput {
  gatewayId: string;
  siteId: string;
  receivedAt: number;
  /** Validated, face crops already removed, one per seq, ascending seq. */
  records: SyncRecord[];
}

export interface IngestOutcome {
  stored: number;
  duplicates: number;
  highestSeq: number;
}

export interface EventCursor {
  startedAt: number;
  id: number;
}

export interface EventQuery {
  siteId?: string;
  cameraId?: string;
  type?: string;
  severity?: string;
  /** started_at >= from */
  from?: number;
  /** started_at < to */
  to?: number;
  limit: number;
  /** Rows strictly older than this position in (started_at, id) descending order. */
  after?: EventCursor;
}

export interface CentralEvent {
  id: number;
  siteId: string;
  gatewayId: string;
  uid: string;
  cameraId: string;
  zoneId: string | null;
  type: string;
  severity: string;
  startedAt: number;
  updatedAt: number;
  endedAt: number | null;
  data: Record<string, unknown>;
}

export interface QueueStatQuery {
  siteId?: string;
  cameraId?: string;
  zoneId?: string;
  gatewayId?: string;
  /** minute >= from */
  from: number;
  /** minute < to */
  to: number;
  limit: number;
}

/** A stored queue stat: the wire payload plus where it came from (one row per gateway, camera, zone and minute). */
export interface QueueStatRow extends QueueStatPayload {
  siteId: string;
  gatewayId: string;
}

export interface FootfallQuery {
  siteId?: string;
  /** minute >= from */
  from: number;
  /** minute < to */
  to: number;
  limit: number;
}

/** Line-zone crossings of one site's camera and zone summed over a quarter hour starting at `at`. */
export interface FootfallSlot {
  siteId: string;
  cameraId: string;
  zoneId: string;
  at: number;
  crossingsIn: number;
  crossingsOut: number;
}

export interface CameraState {
  cameraId: string;
  state: string;
  reason: string | null;
  at: number;
}

export interface FleetRow {
  gatewayId: string;
  name: string;
  siteId: string;
  siteName: string;
  createdAt: number;
  revokedAt: number | null;
  heartbeat: { at: number; receivedAt: number; backlog: number; oldestUnsentAt: number | null; dropped: number } | null;
  sync: { highestSeq: number; lastReceivedAt: number; recordsTotal: number } | null;
  cameras: CameraState[];
}

/**
 * Trend samples are summed per gateway and half-hour slot of central's receive time. Measured with
 * 1,000 gateways and 7 days kept on PostgreSQL: 5-minute slots made the all-devices trend read and
 * sort 283,000 rows (441 ms); half-hour slots, 48,000.
 */
export const PERF_SLOT_MS = 30 * 60_000;
/** Trend samples are kept this long (retention's perf step). */
export const PERF_RETENTION_MS = 7 * 86_400_000;

export interface ThroughputQuery {
  gatewayId?: string;
  /** Trend points: the half-hour slots (PERF_SLOT_MS) that start in [from, to). */
  from: number;
  to: number;
}

/** A gateway (not revoked) with its latest heartbeat's performance summary, if it sent one. */
export interface ThroughputLatest {
  gatewayId: string;
  name: string;
  siteId: string;
  siteName: string;
  /** Central's receive time of the latest heartbeat; null before the first. */
  heartbeatAt: number | null;
  perf: PerfSummary | null;
}

/** Averages over the heartbeats of one gateway received in the half hour [at, at + PERF_SLOT_MS). */
export interface ThroughputBucket {
  gatewayId: string;
  at: number;
  samples: number;
  detectionsPerSec: number;
  framesPerSec: number;
  targetFps: number;
  cpu: number;
  camerasStreaming: number;
}

/**
 * Everything the server keeps. Nothing that matters lives in server memory, so any number of
 * instances can share one PostgreSQL database.
 */
export interface Store {
  readonly dialect: Dialect;
  /** Plain SQL on the same database, for feature modules with their own queries (see sql-runner.ts). */
  readonly sql: SqlRunner;
  ping(): Promise<void>;
  close(): Promise<void>;

  createEnrolment(e: NewEnrolment): Promise<void>;
  /** Atomically marks an unused, unexpired token used and creates the gateway. */
  redeemEnrolment(r: Redemption): Promise<RedeemResult>;
  /** Always read from the database: a revocation applies to the very next request. */
  getGateway(id: string): Promise<GatewayRow | undefined>;
  revokeGateway(id: string, at: number): Promise<boolean>;
  /** False when this gateway already used this nonce. */
  claimNonce(gatewayId: string, nonce: string, at: number): Promise<boolean>;
  purgeNonces(seenBefore: number): Promise<number>;

  /** Answers the new token's id. */
  createApiToken(t: NewApiToken): Promise<number>;
  /** Only tokens not revoked. */
  findApiToken(digest: string): Promise<ApiTokenRow | undefined>;
  listApiTokens(): Promise<ApiTokenInfo[]>;
  /** Sets revokedAt unless already set; undefined for an unknown id. */
  revokeApiToken(id: number, at: number): Promise<ApiTokenInfo | undefined>;
  listGateways(): Promise<GatewayInfo[]>;

  /**
   * One transaction; idempotent on (gateway, seq), also for records retention already deleted
   * (seq <= the gateway's purged_through_seq); only new records touch derived tables.
   */
  ingest(input: IngestInput): Promise<IngestOutcome>;
  /** Stores the heartbeat; answers the highest sequence stored for the gateway (a gateway with a new database continues above it). */
  saveHeartbeat(gatewayId: string, heartbeat: Heartbeat, receivedAt: number): Promise<{ highestSeq: number }>;

  listEvents(q: EventQuery): Promise<CentralEvent[]>;
  queueStats(q: QueueStatQuery): Promise<QueueStatRow[]>;
  /** Line-zone crossings per quarter hour, for daily footfall (rows with crossings only). */
  footfall(q: FootfallQuery): Promise<FootfallSlot[]>;
  fleet(): Promise<FleetRow[]>;
  recordCount(gatewayId: string): Promise<number>;
  /** Latest summaries and trend buckets (wire version 3 heartbeats). */
  throughput(q: ThroughputQuery): Promise<{ latest: ThroughputLatest[]; trend: ThroughputBucket[] }>;
  /** Deletes at most `limit` trend slots older than `before`; answers how many. */
  purgePerf(before: number, limit: number): Promise<number>;

  /**
   * One bounded batch of retention work in one transaction: face-crop steps strip the crop from
   * rows older than `before`, the others delete rows older than `before`. Answers the rows changed;
   * fewer than `limit` means the step is done. The `records` step raises purged_through_seq.
   */
  retentionBatch(step: RetentionStep, before: number, limit: number): Promise<number>;
}
