import { openDatabase, EventStore, type Db } from '../store';
import type { Credentials, CredentialSource, UplinkLogger } from '../../central-sync/client';
import { GatewaySync } from '../sync';

export interface TestUplinkOptions {
  /** The gateway database (created and migrated if missing). */
  dbFile: string;
  url: string;
  credentials: Credentials | CredentialSource;
  batchRecords?: number;
  maxOutboxRecords?: number;
  sendFaceCrops?: boolean;
  clock?: () => number;
  heartbeatMs?: number;
  timeoutMs?: number;
  log?: UplinkLogger;
}

export interface TestUplink {
  db: Db;
  events: EventStore;
  sync: GatewaySync;
  /** Stops the uplink (unacked rows stay) and closes the database. */
  stop(): Promise<void>;
}

const quiet: UplinkLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A real uplink over a gateway database file with fast retries (20..200 ms backoff, 20 ms idle
 * poll), for tests against a real central server in another process.
 */
export function startUplinkForTest(options: TestUplinkOptions): TestUplink {
  const db = openDatabase(options.dbFile);
  const credentials = 'secret' in options.credentials ? { credentials: options.credentials } : {};
  const source = 'secret' in options.credentials ? undefined : options.credentials;
  const sync = new GatewaySync({
    db,
    config: {
      url: options.url,
      credentialsFile: source?.credentialsFile ?? `${options.dbFile}.credentials.json`,
      ...(source?.enrolmentToken ? { enrolmentToken: source.enrolmentToken } : {}),
      batchRecords: options.batchRecords ?? 500,
      maxOutboxRecords: options.maxOutboxRecords ?? 1_000_000,
      heartbeatSeconds: (options.heartbeatMs ?? 30_000) / 1000,
      sendFaceCrops: options.sendFaceCrops ?? false,
      timeoutMs: options.timeoutMs ?? 2000,
    },
    ...credentials,
    log: options.log ?? quiet,
    backoff: { baseMs: 20, capMs: 200, minMs: 5 },
    idleMs: 20,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(source?.gatewayName ? { gatewayName: source.gatewayName } : {}),
  });
  sync.start();
  return {
    db,
    events: new EventStore(db),
    sync,
    async stop() {
      await sync.stop();
      db.close();
    },
  };
}
