import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Heartbeat } from '../../wire';
import { applyUpdates, deriveRows, withPending } from './derive';
import { loadMigrations, SCHEMA_MIGRATIONS_DDL } from './migrations';
import { sqliteRunner } from './sqlite-runner';
import type { SqlRunner } from './sql-runner';
import {
  API_TOKENS_SQL,
  eventsQuery,
  FLEET_CAMERAS_SQL,
  FLEET_GATEWAYS_SQL,
  GATEWAYS_SQL,
  queueStatsQuery,
  footfallQuery,
  toFootfallSlot,
  REVOKE_API_TOKEN_SQL,
  toApiToken,
  toEvent,
  toEventState,
  toFleet,
  toGateway,
  toGatewayRow,
  toPending,
  toQueueStat,
  toRole,
} from './queries';
import { perfSlotValues, SQLITE_PURGE_PERF, throughputLatestQuery, throughputTrendQuery, toThroughputBuckets, toThroughputLatest, UPSERT_PERF_SLOT_SQL } from './perf-sql';
import { SQLITE_RECOMPUTE_SLOT, QUEUE_SLOT_MS, touchedSlots } from './queue-rollup-sql';
import { SQLITE_PURGE_RECORDS, SQLITE_RAISE_WATERMARK, SQLITE_RETENTION, watermarks, type PlainRetentionStep } from './retention-sql';
import type {
  ApiTokenInfo,
  ApiTokenRow,
  CentralEvent,
  EventQuery,
  FleetRow,
  GatewayInfo,
  GatewayRow,
  IngestInput,
  IngestOutcome,
  NewApiToken,
  NewEnrolment,
  QueueStatQuery,
  FootfallQuery,
  FootfallSlot,
  QueueStatRow,
  RedeemResult,
  Redemption,
  RetentionStep,
  Store,
  ThroughputBucket,
  ThroughputLatest,
  ThroughputQuery,
} from './types';

type Row = Record<string, unknown>;

/** Applies pending migrations; BEGIN IMMEDIATE keeps a second process out while it runs. */
function migrate(db: Database.Database, now: number): void {
  db.exec(SCHEMA_MIGRATIONS_DDL('sqlite'));
  const run = db.transaction(() => {
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of loadMigrations('sqlite')) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now);
    }
  });
  run.immediate();
}

/**
 * better-sqlite3 is synchronous: each method runs to completion on the event loop, so a batch's
 * transaction cannot interleave with another request's. The async surface matches PostgreSQL's.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly sql: SqlRunner;
  private readonly db: Database.Database;
  private readonly st;
  private readonly retention: Record<PlainRetentionStep, Database.Statement>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash; only an OS crash can lose the last ones.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, Date.now());
    this.sql = sqliteRunner(this.db);
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      upsertSite: p('INSERT INTO sites (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name'),
      insertEnrolment: p('INSERT INTO enrolment_tokens (digest, site_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      enrolmentByDigest: p('SELECT site_id, expires_at, used_at FROM enrolment_tokens WHERE digest = ?'),
      useEnrolment: p('UPDATE enrolment_tokens SET used_at = ?, gateway_id = ? WHERE digest = ? AND used_at IS NULL AND expires_at > ?'),
      insertGateway: p('INSERT INTO gateways (id, site_id, name, secret, created_at) VALUES (?, ?, ?, ?, ?)'),
      gateway: p('SELECT id, site_id, name, secret, created_at, revoked_at FROM gateways WHERE id = ?'),
      revoke: p('UPDATE gateways SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      gatewayExists: p('SELECT 1 FROM gateways WHERE id = ?'),
      claimNonce: p('INSERT INTO nonces (gateway_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      purgeNonces: p('DELETE FROM nonces WHERE seen_at < ?'),
      insertToken: p('INSERT INTO api_tokens (digest, name, role, created_at) VALUES (?, ?, ?, ?)'),
      token: p('SELECT id, name, role FROM api_tokens WHERE digest = ? AND revoked_at IS NULL'),
      tokens: p(API_TOKENS_SQL),
      revokeToken: p(REVOKE_API_TOKEN_SQL),
      gateways: p(GATEWAYS_SQL),
      insertRecord: p('INSERT INTO records (gateway_id, seq, kind, at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      insertEvent: p(
        `INSERT INTO events (site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway_id, uid) DO NOTHING`,
      ),
      anyPending: p('SELECT 1 FROM pending_event_updates WHERE gateway_id = ? LIMIT 1'),
      takePending: p('DELETE FROM pending_event_updates WHERE gateway_id = ? AND uid = ? RETURNING uid, seq, at, phase, data'),
      insertPending: p(
        'INSERT INTO pending_event_updates (gateway_id, uid, seq, at, phase, data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      eventState: p('SELECT data, updated_at, ended_at FROM events WHERE gateway_id = ? AND uid = ?'),
      updateEvent: p('UPDATE events SET data = ?, updated_at = ?, ended_at = ? WHERE gateway_id = ? AND uid = ?'),
      upsertQueueStat: p(
        `INSERT INTO queue_stats (site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, crossings_in, crossings_out, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, camera_id, zone_id, minute, gateway_id) DO UPDATE SET avg_count = excluded.avg_count,
           max_count = excluded.max_count, departures = excluded.departures, est_wait_s = excluded.est_wait_s,
           occupied_ratio = excluded.occupied_ratio, crossings_in = excluded.crossings_in, crossings_out = excluded.crossings_out,
           received_at = excluded.received_at`,
      ),
      recomputeSlot: p(SQLITE_RECOMPUTE_SLOT),
      upsertCamera: p(
        `INSERT INTO camera_health (gateway_id, camera_id, state, reason, at, received_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (gateway_id, camera_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, at = excluded.at,
           received_at = excluded.received_at WHERE excluded.at >= camera_health.at`,
      ),
      upsertSync: p(
        `INSERT INTO gateway_sync (gateway_id, highest_seq, last_received_at, records_total) VALUES (?, ?, ?, ?)
         ON CONFLICT (gateway_id) DO UPDATE SET
           highest_seq = CASE WHEN excluded.highest_seq > gateway_sync.highest_seq THEN excluded.highest_seq ELSE gateway_sync.highest_seq END,
           last_received_at = excluded.last_received_at, records_total = gateway_sync.records_total + excluded.records_total`,
      ),
      highestSeq: p('SELECT highest_seq FROM gateway_sync WHERE gateway_id = ?'),
      purgedThrough: p('SELECT purged_through_seq FROM gateway_sync WHERE gateway_id = ?'),
      purgeRecords: p(SQLITE_PURGE_RECORDS),
      raiseWatermark: p(SQLITE_RAISE_WATERMARK),
      upsertHeartbeat: p(
        `INSERT INTO heartbeats (gateway_id, at, received_at, backlog, oldest_unsent_at, dropped, cameras, perf) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (gateway_id) DO UPDATE SET at = excluded.at, received_at = excluded.received_at, backlog = excluded.backlog,
           oldest_unsent_at = excluded.oldest_unsent_at, dropped = excluded.dropped, cameras = excluded.cameras, perf = excluded.perf`,
      ),
      upsertPerfSlot: p(UPSERT_PERF_SLOT_SQL),
      purgePerf: p(SQLITE_PURGE_PERF),
      recordCount: p('SELECT COUNT(*) AS n FROM records WHERE gateway_id = ?'),
      fleetGateways: p(FLEET_GATEWAYS_SQL),
      fleetCameras: p(FLEET_CAMERAS_SQL),
    };
    const steps = Object.keys(SQLITE_RETENTION) as PlainRetentionStep[];
    this.retention = Object.fromEntries(steps.map((step) => [step, p(SQLITE_RETENTION[step])])) as Record<PlainRetentionStep, Database.Statement>;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async createEnrolment(e: NewEnrolment): Promise<void> {
    this.db.transaction(() => {
      this.st.upsertSite.run(e.siteId, e.siteName, e.createdAt);
      this.st.insertEnrolment.run(e.digest, e.siteId, e.createdAt, e.expiresAt);
    })();
  }

  async redeemEnrolment(r: Redemption): Promise<RedeemResult> {
    return this.db.transaction((): RedeemResult => {
      const row = this.st.enrolmentByDigest.get(r.digest) as Row | undefined;
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.used_at !== null) return { ok: false, reason: 'used' };
      if (Number(row.expires_at) <= r.now) return { ok: false, reason: 'expired' };
      this.st.useEnrolment.run(r.now, r.gatewayId, r.digest, r.now);
      this.st.insertGateway.run(r.gatewayId, row.site_id, r.gatewayName, r.secret, r.now);
      return { ok: true, gatewayId: r.gatewayId, siteId: String(row.site_id) };
    }).immediate();
  }

  async getGateway(id: string): Promise<GatewayRow | undefined> {
    const r = this.st.gateway.get(id) as Row | undefined;
    return r && toGatewayRow(r);
  }

  async revokeGateway(id: string, at: number): Promise<boolean> {
    if (!this.st.gatewayExists.get(id)) return false;
    this.st.revoke.run(at, id);
    return true;
  }

  async claimNonce(gatewayId: string, nonce: string, at: number): Promise<boolean> {
    return this.st.claimNonce.run(gatewayId, nonce, at).changes === 1;
  }

  async purgeNonces(seenBefore: number): Promise<number> {
    return this.st.purgeNonces.run(seenBefore).changes;
  }

  async createApiToken(t: NewApiToken): Promise<number> {
    return Number(this.st.insertToken.run(t.digest, t.name, t.role, t.createdAt).lastInsertRowid);
  }

  async findApiToken(digest: string): Promise<ApiTokenRow | undefined> {
    const r = this.st.token.get(digest) as Row | undefined;
    return r && { id: Number(r.id), name: String(r.name), role: toRole(r.role) };
  }

  async listApiTokens(): Promise<ApiTokenInfo[]> {
    return (this.st.tokens.all() as Row[]).map(toApiToken);
  }

  async revokeApiToken(id: number, at: number): Promise<ApiTokenInfo | undefined> {
    const r = this.st.revokeToken.get(at, id) as Row | undefined;
    return r && toApiToken(r);
  }

  async listGateways(): Promise<GatewayInfo[]> {
    return (this.st.gateways.all() as Row[]).map(toGateway);
  }

  async ingest(input: IngestInput): Promise<IngestOutcome> {
    const { gatewayId, siteId, receivedAt } = input;
    return this.db.transaction((): IngestOutcome => {
      const purged = this.st.purgedThrough.get(gatewayId) as { purged_through_seq: number } | undefined;
      const floor = purged ? Number(purged.purged_through_seq) : 0;
      // At or below the watermark: stored once and since deleted by retention, so a duplicate.
      const fresh = input.records.filter(
        (r) => r.seq > floor && this.st.insertRecord.run(gatewayId, r.seq, r.kind, r.at, receivedAt, JSON.stringify(r.payload)).changes === 1,
      );
      const derived = deriveRows(fresh);
      const newEvents: string[] = [];
      for (const e of derived.events) {
        const { changes } = this.st.insertEvent.run(siteId, gatewayId, e.uid, e.cameraId, e.zoneId, e.type, e.severity, e.at, e.at, JSON.stringify(e.data));
        if (changes === 1) newEvents.push(e.uid);
      }
      const pending = newEvents.length > 0 && this.st.anyPending.get(gatewayId) ? newEvents.flatMap((uid) => (this.st.takePending.all(gatewayId, uid) as Row[]).map(toPending)) : [];
      for (const [uid, updates] of withPending(derived.updates, pending)) {
        const row = this.st.eventState.get(gatewayId, uid) as Row | undefined;
        if (!row) {
          for (const u of updates) this.st.insertPending.run(gatewayId, uid, u.seq, u.at, u.phase, JSON.stringify(u.data), receivedAt);
          continue;
        }
        const next = applyUpdates(toEventState(row), updates);
        this.st.updateEvent.run(JSON.stringify(next.data), next.updatedAt, next.endedAt, gatewayId, uid);
      }
      for (const q of derived.queueStats) {
        this.st.upsertQueueStat.run(siteId, q.cameraId, q.zoneId, q.minute, gatewayId, q.avgCount, q.maxCount, q.departures, q.estWaitS, q.occupiedRatio, q.crossingsIn ?? null, q.crossingsOut ?? null, receivedAt);
      }
      for (const t of touchedSlots(derived.queueStats)) this.st.recomputeSlot.run(siteId, t.cameraId, t.zoneId, t.slot, t.slot + QUEUE_SLOT_MS);
      for (const c of derived.cameraHealth) this.st.upsertCamera.run(gatewayId, c.cameraId, c.state, c.reason, c.at, receivedAt);
      if (fresh.length > 0) this.st.upsertSync.run(gatewayId, fresh[fresh.length - 1]!.seq, receivedAt, fresh.length);
      const highest = this.st.highestSeq.get(gatewayId) as { highest_seq: number } | undefined;
      return { stored: fresh.length, duplicates: input.records.length - fresh.length, highestSeq: highest ? Number(highest.highest_seq) : 0 };
    }).immediate();
  }

  async saveHeartbeat(gatewayId: string, hb: Heartbeat, receivedAt: number): Promise<{ highestSeq: number }> {
    return this.db.transaction(() => {
      this.st.upsertHeartbeat.run(gatewayId, hb.at, receivedAt, hb.backlog, hb.oldestUnsentAt, hb.dropped, JSON.stringify(hb.cameras), hb.perf ? JSON.stringify(hb.perf) : null);
      const slot = perfSlotValues(gatewayId, hb, receivedAt);
      if (slot) this.st.upsertPerfSlot.run(...slot);
      for (const c of hb.cameras) this.st.upsertCamera.run(gatewayId, c.id, c.state, c.reason, hb.at, receivedAt);
      const highest = this.st.highestSeq.get(gatewayId) as { highest_seq: number } | undefined;
      return { highestSeq: highest ? Number(highest.highest_seq) : 0 };
    }).immediate();
  }

  async listEvents(q: EventQuery): Promise<CentralEvent[]> {
    const sql = eventsQuery(q);
    return (this.db.prepare(sql.text).all(...sql.params) as Row[]).map(toEvent);
  }

  async footfall(q: FootfallQuery): Promise<FootfallSlot[]> {
    const sql = footfallQuery(q);
    return (this.db.prepare(sql.text).all(...sql.params) as Row[]).map(toFootfallSlot);
  }

  async queueStats(q: QueueStatQuery): Promise<QueueStatRow[]> {
    const sql = queueStatsQuery(q);
    return (this.db.prepare(sql.text).all(...sql.params) as Row[]).map(toQueueStat);
  }

  async fleet(): Promise<FleetRow[]> {
    return toFleet(this.st.fleetGateways.all() as Row[], this.st.fleetCameras.all() as Row[]);
  }

  async recordCount(gatewayId: string): Promise<number> {
    return Number((this.st.recordCount.get(gatewayId) as { n: number }).n);
  }

  async throughput(q: ThroughputQuery): Promise<{ latest: ThroughputLatest[]; trend: ThroughputBucket[] }> {
    const latest = throughputLatestQuery(q);
    const trend = throughputTrendQuery(q, 'sqlite');
    return {
      latest: (this.db.prepare(latest.text).all(...latest.params) as Row[]).map(toThroughputLatest),
      trend: (this.db.prepare(trend.text).all(...trend.params) as Row[]).flatMap(toThroughputBuckets),
    };
  }

  async purgePerf(before: number, limit: number): Promise<number> {
    return this.st.purgePerf.run({ before, limit }).changes;
  }

  async retentionBatch(step: RetentionStep, before: number, limit: number): Promise<number> {
    if (step !== 'records') return this.retention[step].run({ before, limit }).changes;
    return this.db.transaction(() => {
      const deleted = this.st.purgeRecords.all({ before, limit }) as Row[];
      const top = watermarks(deleted);
      top.gateways.forEach((g, i) => this.st.raiseWatermark.run(top.seqs[i], g));
      return deleted.length;
    }).immediate();
  }
}
