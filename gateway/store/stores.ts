import { AuditLog } from './audit';
import { CameraZoneStore } from './camera-zones';
import { databaseAnswers, type Db } from './db';
import { EventStore } from './events';
import { OpenAlertStore } from './open-alerts';
import { QueueStatStore } from './queue-stats';
import { SessionStore } from './sessions';
import { SnapshotStore } from './snapshots';
import { TrackStore } from './tracks';
import { UserStore } from './users';

/** Every table the API reads or writes, each behind its own store, over one database. */
export interface GatewayStores {
  events: EventStore;
  audit: AuditLog;
  users: UserStore;
  sessions: SessionStore;
  queueStats: QueueStatStore;
  tracks: TrackStore;
  snapshots: SnapshotStore;
  openAlerts: OpenAlertStore;
  zoneStore: CameraZoneStore;
  /** The database answers a query (readiness). */
  databaseAnswers: () => boolean;
}

export function gatewayStores(db: Db): GatewayStores {
  return {
    events: new EventStore(db),
    audit: new AuditLog(db),
    users: new UserStore(db),
    sessions: new SessionStore(db),
    queueStats: new QueueStatStore(db),
    tracks: new TrackStore(db),
    snapshots: new SnapshotStore(db),
    openAlerts: new OpenAlertStore(db),
    zoneStore: new CameraZoneStore(db),
    databaseAnswers: () => databaseAnswers(db),
  };
}
