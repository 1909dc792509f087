/** The provincial data-centre server: ingest from site gateways, query API, admin. */
export { createCentralApp, type CentralAppOptions } from './app';
export { startCentralServer, type CentralServer, type CentralServerOptions } from './server';
export type { CentralLogger } from './http/context';
export { runRetention, type RetentionJob, type RetentionOptions, type RetentionReport } from './retention';
export { openStore, DEFAULT_DATABASE_URL, SqliteStore, PostgresStore, ROLES } from './store';
export { type SqlRunner, type SqlRow, type SqlStatement } from './store';
export type { Store, Role, CentralEvent, FleetRow, QueueStatRow, Dialect, ApiTokenInfo, GatewayInfo, RetentionStep } from './store';
