import pg from 'pg';
import type { Heartbeat } from '../../wire';
import { applyUpdates, deriveRows, withPending, type DerivedRows, type EventState, type EventUpdate } from './derive';
import { loadMigrations, SCHEMA_MIGRATIONS_DDL } from './migrations';
import { postgresRunner } from './postgres-runner';
import type { SqlRunner } from './sql-runner';
import {
  API_TOKENS_SQL,
  eventsQuery,
  FLEET_CAMERAS_SQL,
  FLEET_GATEWAYS_SQL,
  GATEWAYS_SQL,
  numbered,
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
import { perfSlotValues, POSTGRES_PURGE_PERF, throughputLatestQuery, throughputTrendQuery, toThroughputBuckets, toThroughputLatest, UPSERT_PERF_SLOT_SQL } from './perf-sql';
import { POSTGRES_LOCK_SITE_SLOTS, POSTGRES_RECOMPUTE_SLOTS, touchedSlots } from './queue-rollup-sql';
import { POSTGRES_PURGE_RECORDS, POSTGRES_RETENTION, watermarks } from './retention-sql';
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
type Queryable = Pick<pg.PoolClient, 'query'>;

/** Held while migrating so that instances starting together apply each migration once. */
const MIGRATION_LOCK = 0x63656e74; // 'cent'
const INT8_OID = 20;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Connections per instance (pg default 10). */
  poolMax?: number;
}

/** Statements named once are parsed once per connection (node-postgres prepared statements). */
const Q = {
  gateway: { name: 'gateway', text: 'SELECT id, site_id, name, secret, created_at, revoked_at FROM gateways WHERE id = $1' },
  claimNonce: { name: 'claim_nonce', text: 'INSERT INTO nonces (gateway_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING' },
  token: { name: 'api_token', text: 'SELECT id, name, role FROM api_tokens WHERE digest = $1 AND revoked_at IS NULL' },
  insertRecords: {
    name: 'insert_records',
    text: `INSERT INTO records (gateway_id, seq, kind, at, received_at, payload)
      SELECT $1, t.seq, t.kind, t.at, $2, t.payload::jsonb FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::text[]) AS t(seq, kind, at, payload)
      ON CONFLICT DO NOTHING RETURNING seq`,
  },
  insertEvents: {
    name: 'insert_events',
    text: `INSERT INTO events (site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, data)
      SELECT $1, $2, t.uid, t.camera_id, t.zone_id, t.type, t.severity, t.at, t.at, t.data::jsonb
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[]) AS t(uid, camera_id, zone_id, type, severity, at, data)
      ON CONFLICT (gateway_id, uid) DO NOTHING RETURNING uid`,
  },
  eventStates: { name: 'event_states', text: 'SELECT uid, data, updated_at, ended_at FROM events WHERE gateway_id = $1 AND uid = ANY($2::text[])' },
  anyPending: { name: 'any_pending', text: 'SELECT 1 FROM pending_event_updates WHERE gateway_id = $1 LIMIT 1' },
  takePending: {
    name: 'take_pending',
    text: 'DELETE FROM pending_event_updates WHERE gateway_id = $1 AND uid = ANY($2::text[]) RETURNING uid, seq, at, phase, data',
  },
  insertPending: {
    name: 'insert_pending',
    text: `INSERT INTO pending_event_updates (gateway_id, uid, seq, at, phase, data, received_at)
      SELECT $1, t.uid, t.seq, t.at, t.phase, t.data::jsonb, $2 FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) AS t(uid, seq, at, phase, data)
      ON CONFLICT DO NOTHING`,
  },
  lockGateway: { name: 'lock_gateway', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))' },
  updateEvents: {
    name: 'update_events',
    text: `UPDATE events AS e SET data = u.data::jsonb, updated_at = u.updated_at, ended_at = u.ended_at
      FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS u(uid, data, updated_at, ended_at)
      WHERE e.gateway_id = $1 AND e.uid = u.uid`,
  },
  upsertQueueStats: {
    name: 'upsert_queue_stats',
    text: `INSERT INTO queue_stats (site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, crossings_in, crossings_out, received_at)
      SELECT $1, t.camera_id, t.zone_id, t.minute, $2, t.avg_count, t.max_count, t.departures, t.est_wait_s, t.occupied_ratio, t.crossings_in, t.crossings_out, $3
      FROM unnest($4::text[], $5::text[], $6::bigint[], $7::float8[], $8::int[], $9::int[], $10::int[], $11::float8[], $12::int[], $13::int[])
        AS t(camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio, crossings_in, crossings_out)
      ON CONFLICT (site_id, camera_id, zone_id, minute, gateway_id) DO UPDATE SET avg_count = excluded.avg_count,
        max_count = excluded.max_count, departures = excluded.departures, est_wait_s = excluded.est_wait_s,
        occupied_ratio = excluded.occupied_ratio, crossings_in = excluded.crossings_in, crossings_out = excluded.crossings_out,
        received_at = excluded.received_at`,
  },
  lockSiteSlots: { name: 'lock_site_slots', text: POSTGRES_LOCK_SITE_SLOTS },
  recomputeSlots: { name: 'recompute_slots', text: POSTGRES_RECOMPUTE_SLOTS },
  upsertCameras: {
    name: 'upsert_cameras',
    text: `INSERT INTO camera_health (gateway_id, camera_id, state, reason, at, received_at)
      SELECT $1, t.camera_id, t.state, t.reason, t.at, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[]) AS t(camera_id, state, reason, at)
      ON CONFLICT (gateway_id, camera_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, at = excluded.at,
        received_at = excluded.received_at WHERE excluded.at >= camera_health.at`,
  },
  upsertSync: {
    name: 'upsert_sync',
    text: `INSERT INTO gateway_sync (gateway_id, highest_seq, last_received_at, records_total) VALUES ($1, $2, $3, $4)
      ON CONFLICT (gateway_id) DO UPDATE SET highest_seq = GREATEST(gateway_sync.highest_seq, excluded.highest_seq),
        last_received_at = excluded.last_received_at, records_total = gateway_sync.records_total + excluded.records_total
      RETURNING highest_seq`,
  },
  highestSeq: { name: 'highest_seq', text: 'SELECT highest_seq FROM gateway_sync WHERE gateway_id = $1' },
  upsertPerfSlot: { name: 'upsert_perf_slot', text: numbered(UPSERT_PERF_SLOT_SQL) },
  syncState: { name: 'sync_state', text: 'SELECT highest_seq, purged_through_seq FROM gateway_sync WHERE gateway_id = $1' },
} as const;

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly sql: SqlRunner;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.sql = postgresRunner(pool, (fn) => this.tx(fn));
  }

  /** Connects and applies pending migrations under an advisory lock. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax ?? 10,
      // Named statements skip re-parsing, but a generic plan cached while a table was small (a
      // sequential scan) would stay until autovacuum analyses it; plan each execution instead.
      options: '-c plan_cache_mode=force_custom_plan',
      // Every BIGINT here is a millisecond time, count or seq: all well inside 2^53.
      types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, Date.now());
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackErr) {
        client.release(rollbackErr as Error);
      }
      throw err;
    }
  }

  async createEnrolment(e: NewEnrolment): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO sites (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [e.siteId, e.siteName, e.createdAt]);
      await c.query('INSERT INTO enrolment_tokens (digest, site_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [e.digest, e.siteId, e.createdAt, e.expiresAt]);
    });
  }

  async redeemEnrolment(r: Redemption): Promise<RedeemResult> {
    return this.tx(async (c): Promise<RedeemResult> => {
      // The row lock makes a concurrent second redemption wait, then find used_at set.
      const used = await c.query(
        'UPDATE enrolment_tokens SET used_at = $1, gateway_id = $2 WHERE digest = $3 AND used_at IS NULL AND expires_at > $1 RETURNING site_id',
        [r.now, r.gatewayId, r.digest],
      );
      const siteId = used.rows[0]?.site_id as string | undefined;
      if (siteId === undefined) {
        const row = (await c.query('SELECT used_at FROM enrolment_tokens WHERE digest = $1', [r.digest])).rows[0] as Row | undefined;
        return { ok: false, reason: !row ? 'unknown' : row.used_at !== null ? 'used' : 'expired' };
      }
      await c.query('INSERT INTO gateways (id, site_id, name, secret, created_at) VALUES ($1, $2, $3, $4, $5)', [r.gatewayId, siteId, r.gatewayName, r.secret, r.now]);
      return { ok: true, gatewayId: r.gatewayId, siteId };
    });
  }

  async getGateway(id: string): Promise<GatewayRow | undefined> {
    const r = (await this.pool.query({ ...Q.gateway, values: [id] })).rows[0] as Row | undefined;
    return r && toGatewayRow(r);
  }

  async revokeGateway(id: string, at: number): Promise<boolean> {
    const r = await this.pool.query('UPDATE gateways SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [at, id]);
    return (r.rowCount ?? 0) > 0;
  }

  async claimNonce(gatewayId: string, nonce: string, at: number): Promise<boolean> {
    return ((await this.pool.query({ ...Q.claimNonce, values: [gatewayId, nonce, at] })).rowCount ?? 0) === 1;
  }

  async purgeNonces(seenBefore: number): Promise<number> {
    return (await this.pool.query('DELETE FROM nonces WHERE seen_at < $1', [seenBefore])).rowCount ?? 0;
  }

  async createApiToken(t: NewApiToken): Promise<number> {
    const r = await this.pool.query('INSERT INTO api_tokens (digest, name, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [t.digest, t.name, t.role, t.createdAt]);
    return Number(r.rows[0].id);
  }

  async findApiToken(digest: string): Promise<ApiTokenRow | undefined> {
    const r = (await this.pool.query({ ...Q.token, values: [digest] })).rows[0] as Row | undefined;
    return r && { id: Number(r.id), name: String(r.name), role: toRole(r.role) };
  }

  async listApiTokens(): Promise<ApiTokenInfo[]> {
    return (await this.pool.query(API_TOKENS_SQL)).rows.map(toApiToken);
  }

  async revokeApiToken(id: number, at: number): Promise<ApiTokenInfo | undefined> {
    const r = (await this.pool.query(numbered(REVOKE_API_TOKEN_SQL), [at, id])).rows[0] as Row | undefined;
    return r && toApiToken(r);
  }

  async listGateways(): Promise<GatewayInfo[]> {
    return (await this.pool.query(GATEWAYS_SQL)).rows.map(toGateway);
  }

  async ingest(input: IngestInput): Promise<IngestOutcome> {
    const { gatewayId, siteId, receivedAt, records } = input;
    return this.tx(async (c) => {
      // One gateway's batches apply one at a time (across instances too): an update and its event
      // arriving in parallel batches then always see each other. Different gateways never wait.
      await c.query({ ...Q.lockGateway, values: [gatewayId] });
      // Read under the lock: retention raises the watermark under the same lock.
      const state = (await c.query({ ...Q.syncState, values: [gatewayId] })).rows[0] as Row | undefined;
      const floor = Number(state?.purged_through_seq ?? 0);
      // At or below the watermark: stored once and since deleted by retention, so a duplicate.
      const candidates = records.filter((r) => r.seq > floor);
      const inserted =
        candidates.length === 0
          ? { rows: [] }
          : await c.query({
              ...Q.insertRecords,
              values: [gatewayId, receivedAt, candidates.map((r) => r.seq), candidates.map((r) => r.kind), candidates.map((r) => r.at), candidates.map((r) => JSON.stringify(r.payload))],
            });
      const freshSeqs = new Set(inserted.rows.map((row: Row) => Number(row.seq)));
      const fresh = candidates.filter((r) => freshSeqs.has(r.seq));
      await applyDerived(c, gatewayId, siteId, receivedAt, deriveRows(fresh));
      let highestSeq = Number(state?.highest_seq ?? 0);
      if (fresh.length > 0) {
        const sync = await c.query({ ...Q.upsertSync, values: [gatewayId, fresh[fresh.length - 1]!.seq, receivedAt, fresh.length] });
        highestSeq = Number(sync.rows[0].highest_seq);
      }
      return { stored: fresh.length, duplicates: records.length - fresh.length, highestSeq };
    });
  }

  async saveHeartbeat(gatewayId: string, hb: Heartbeat, receivedAt: number): Promise<{ highestSeq: number }> {
    return this.tx(async (c) => {
      await c.query(
        `INSERT INTO heartbeats (gateway_id, at, received_at, backlog, oldest_unsent_at, dropped, cameras, perf) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
         ON CONFLICT (gateway_id) DO UPDATE SET at = excluded.at, received_at = excluded.received_at, backlog = excluded.backlog,
           oldest_unsent_at = excluded.oldest_unsent_at, dropped = excluded.dropped, cameras = excluded.cameras, perf = excluded.perf`,
        [gatewayId, hb.at, receivedAt, hb.backlog, hb.oldestUnsentAt, hb.dropped, JSON.stringify(hb.cameras), hb.perf ? JSON.stringify(hb.perf) : null],
      );
      const slot = perfSlotValues(gatewayId, hb, receivedAt);
      if (slot) await c.query({ ...Q.upsertPerfSlot, values: slot });
      if (hb.cameras.length > 0) {
        const cams = hb.cameras;
        await c.query({ ...Q.upsertCameras, values: [gatewayId, receivedAt, cams.map((x) => x.id), cams.map((x) => x.state), cams.map((x) => x.reason), cams.map(() => hb.at)] });
      }
      return { highestSeq: Number((await c.query({ ...Q.highestSeq, values: [gatewayId] })).rows[0]?.highest_seq ?? 0) };
    });
  }

  async listEvents(q: EventQuery): Promise<CentralEvent[]> {
    const sql = eventsQuery(q);
    return (await this.pool.query(numbered(sql.text), sql.params)).rows.map(toEvent);
  }

  async footfall(q: FootfallQuery): Promise<FootfallSlot[]> {
    const sql = footfallQuery(q);
    return (await this.pool.query(numbered(sql.text), sql.params)).rows.map(toFootfallSlot);
  }

  async queueStats(q: QueueStatQuery): Promise<QueueStatRow[]> {
    const sql = queueStatsQuery(q);
    return (await this.pool.query(numbered(sql.text), sql.params)).rows.map(toQueueStat);
  }

  async fleet(): Promise<FleetRow[]> {
    const [gateways, cameras] = await Promise.all([this.pool.query(FLEET_GATEWAYS_SQL), this.pool.query(FLEET_CAMERAS_SQL)]);
    return toFleet(gateways.rows, cameras.rows);
  }

  async recordCount(gatewayId: string): Promise<number> {
    return Number((await this.pool.query('SELECT COUNT(*) AS n FROM records WHERE gateway_id = $1', [gatewayId])).rows[0].n);
  }

  async throughput(q: ThroughputQuery): Promise<{ latest: ThroughputLatest[]; trend: ThroughputBucket[] }> {
    const latest = throughputLatestQuery(q);
    const trend = throughputTrendQuery(q, 'postgres');
    const [l, t] = await Promise.all([this.pool.query(numbered(latest.text), latest.params), this.pool.query(numbered(trend.text), trend.params)]);
    return { latest: l.rows.map(toThroughputLatest), trend: t.rows.flatMap(toThroughputBuckets) };
  }

  async purgePerf(before: number, limit: number): Promise<number> {
    return (await this.pool.query(POSTGRES_PURGE_PERF, [before, limit])).rowCount ?? 0;
  }

  async retentionBatch(step: RetentionStep, before: number, limit: number): Promise<number> {
    if (step !== 'records') return (await this.pool.query(POSTGRES_RETENTION[step], [before, limit])).rowCount ?? 0;
    const R = POSTGRES_PURGE_RECORDS;
    return this.tx(async (c) => {
      const candidates = (await c.query(R.candidates, [before, limit])).rows as Row[];
      if (candidates.length === 0) return 0;
      const gateways = candidates.map((r) => String(r.gateway_id));
      await c.query(R.lockGateways, [[...new Set(gateways)]]);
      const deleted = (await c.query(R.delete, [gateways, candidates.map((r) => Number(r.seq))])).rows as Row[];
      const top = watermarks(deleted);
      if (top.gateways.length > 0) await c.query(R.raiseWatermarks, [top.gateways, top.seqs]);
      return deleted.length;
    });
  }
}

async function applyDerived(c: Queryable, gatewayId: string, siteId: string, receivedAt: number, d: DerivedRows): Promise<void> {
  const newEvents: string[] = [];
  if (d.events.length > 0) {
    const e = d.events;
    const inserted = await c.query({
      ...Q.insertEvents,
      values: [siteId, gatewayId, e.map((x) => x.uid), e.map((x) => x.cameraId), e.map((x) => x.zoneId), e.map((x) => x.type), e.map((x) => x.severity), e.map((x) => x.at), e.map((x) => JSON.stringify(x.data))],
    });
    newEvents.push(...inserted.rows.map((r: Row) => String(r.uid)));
  }
  const pending = newEvents.length > 0 && (await c.query({ ...Q.anyPending, values: [gatewayId] })).rowCount ? (await c.query({ ...Q.takePending, values: [gatewayId, newEvents] })).rows.map(toPending) : [];
  const updates = withPending(d.updates, pending);
  if (updates.size > 0) {
    const current = new Map((await c.query({ ...Q.eventStates, values: [gatewayId, [...updates.keys()]] })).rows.map((r: Row) => [String(r.uid), r] as const));
    const next: Array<{ uid: string } & EventState> = [];
    const held: Array<{ uid: string } & EventUpdate> = [];
    for (const [uid, list] of updates) {
      const row = current.get(uid);
      if (row) next.push({ uid, ...applyUpdates(toEventState(row), list) });
      else held.push(...list.map((u) => ({ uid, ...u })));
    }
    if (next.length > 0) {
      await c.query({ ...Q.updateEvents, values: [gatewayId, next.map((x) => x.uid), next.map((x) => JSON.stringify(x.data)), next.map((x) => x.updatedAt), next.map((x) => x.endedAt)] });
    }
    if (held.length > 0) {
      await c.query({ ...Q.insertPending, values: [gatewayId, receivedAt, held.map((x) => x.uid), held.map((x) => x.seq), held.map((x) => x.at), held.map((x) => x.phase), held.map((x) => JSON.stringify(x.data))] });
    }
  }
  if (d.queueStats.length > 0) {
    const q = d.queueStats;
    await c.query({ ...Q.lockSiteSlots, values: [siteId] });
    await c.query({
      ...Q.upsertQueueStats,
      values: [
        siteId,
        gatewayId,
        receivedAt,
        q.map((x) => x.cameraId),
        q.map((x) => x.zoneId),
        q.map((x) => x.minute),
        q.map((x) => x.avgCount),
        q.map((x) => x.maxCount),
        q.map((x) => x.departures),
        q.map((x) => x.estWaitS),
        q.map((x) => x.occupiedRatio),
        q.map((x) => x.crossingsIn ?? null),
        q.map((x) => x.crossingsOut ?? null),
      ],
    });
    const slots = touchedSlots(q);
    await c.query({ ...Q.recomputeSlots, values: [siteId, slots.map((x) => x.cameraId), slots.map((x) => x.zoneId), slots.map((x) => x.slot)] });
  }
  if (d.cameraHealth.length > 0) {
    const h = d.cameraHealth;
    await c.query({ ...Q.upsertCameras, values: [gatewayId, receivedAt, h.map((x) => x.cameraId), h.map((x) => x.state), h.map((x) => x.reason), h.map((x) => x.at)] });
  }
}

async function migrate(pool: pg.Pool, now: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(SCHEMA_MIGRATIONS_DDL('postgres'));
      const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => Number(r.version)));
      for (const m of loadMigrations('postgres')) {
        if (applied.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
