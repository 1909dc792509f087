import { RECORD_KINDS } from '../../central-sync/wire';
import type { UplinkStatus } from '../../central-sync/client';
import type { SqliteOutbox } from './outbox';

/** GET /api/sync and the gateway_sync_* metrics. */
export interface SyncStatus {
  /** A `sync` block is configured. */
  enabled: boolean;
  state: UplinkStatus['state'];
  gatewayId: string | null;
  connected: boolean;
  backlog: number;
  oldestUnsentAgeSeconds: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
  /** Records acknowledged by the central server since the gateway started. */
  sent: number;
  /** Records discarded unsent by the outbox bound, per kind, since the database was created. */
  dropped: Record<string, number>;
  /** Records refused by the central server or the wire schema, kept in sync_dead_letter. */
  deadLettered: number;
  clockOffsetMs: number;
}

export function syncStatus(outbox: SqliteOutbox, uplink: UplinkStatus | undefined, now: number): SyncStatus {
  const oldest = outbox.oldestCreatedAt();
  const dropped = Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as Record<string, number>;
  Object.assign(dropped, outbox.droppedByKind());
  return {
    enabled: uplink !== undefined,
    state: uplink?.state ?? 'stopped',
    gatewayId: uplink?.gatewayId ?? null,
    connected: uplink?.connected ?? false,
    backlog: outbox.backlog(),
    oldestUnsentAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
    lastError: uplink?.lastError ?? null,
    lastErrorAt: uplink?.lastErrorAt ?? null,
    lastSuccessAt: uplink?.lastSuccessAt ?? null,
    sent: uplink?.sent ?? 0,
    dropped,
    deadLettered: outbox.deadLettered(),
    clockOffsetMs: uplink?.clockOffsetMs ?? 0,
  };
}
