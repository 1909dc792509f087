import { Uplink, type BackoffOptions, type Credentials, type CredentialSource, type HeartbeatCamera, type Transport, type UplinkLogger } from '../../central-sync/client';
import type { PerfSummary } from '../../central-sync/wire';
import { createTransport } from '../../central-sync/client';
import type { GatewayConfig } from '../config';
import type { Db } from '../store';
import { OutboxBound } from './bound';
import { SqliteOutbox } from './outbox';
import { OutboxWriter } from './records';
import { syncStatus, type SyncStatus } from './status';

export type SyncConfig = NonNullable<GatewayConfig['sync']>;

export const DEFAULT_MAX_OUTBOX_RECORDS = 1_000_000;

export interface GatewaySyncOptions {
  db: Db;
  /** The config's sync block; without it the outbox is still written and bounded, but not sent. */
  config: SyncConfig | undefined;
  log: UplinkLogger;
  /** Camera states for the heartbeat. */
  cameras?: () => HeartbeatCamera[];
  /** The heartbeat's performance summary (perf-summary.ts PerfSampler.sample); none when absent. */
  perf?: () => PerfSummary | undefined;
  gatewayName?: string;
  /** Fixed credentials instead of the credentials file (tests). */
  credentials?: Credentials;
  /** Instead of fetch (or node:https with config.caFile). */
  transport?: Transport;
  clock?: () => number;
  backoff?: BackoffOptions;
  idleMs?: number;
  /** Outbox writes between bound checks. */
  boundCheckEvery?: number;
}

/**
 * The gateway's end of central sync: the outbox (sync_outbox in the gateway database), its bound,
 * the writer for non-event records, and the uplink that sends it when `sync` is configured.
 */
export class GatewaySync {
  readonly outbox: SqliteOutbox;
  readonly bound: OutboxBound;
  readonly records: OutboxWriter;
  readonly uplink: Uplink | undefined;

  constructor(options: GatewaySyncOptions) {
    const { db, config, log } = options;
    this.outbox = new SqliteOutbox(db, { sendFaceCrops: config?.sendFaceCrops ?? false });
    this.bound = new OutboxBound(db, config?.maxOutboxRecords ?? DEFAULT_MAX_OUTBOX_RECORDS, log, options.boundCheckEvery);
    this.records = new OutboxWriter(db);
    if (!config) return;
    const credentials: Credentials | CredentialSource = options.credentials ?? {
      credentialsFile: config.credentialsFile,
      enrolmentToken: config.enrolmentToken,
      gatewayName: options.gatewayName,
    };
    this.uplink = new Uplink({
      url: config.url,
      source: this.outbox,
      credentials,
      transport: options.transport ?? createTransport({ caFile: config.caFile }),
      log,
      batchRecords: config.batchRecords,
      timeoutMs: config.timeoutMs,
      heartbeatMs: config.heartbeatSeconds * 1000,
      ...(options.cameras ? { cameras: options.cameras } : {}),
      ...(options.perf ? { perf: options.perf } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    });
  }

  start(): void {
    this.uplink?.start();
  }

  /** Unacked records stay in the outbox for the next start. */
  async stop(): Promise<void> {
    await this.uplink?.stop();
  }

  status(now = Date.now()): SyncStatus {
    return syncStatus(this.outbox, this.uplink?.status(), now);
  }
}
