export { GatewaySync, DEFAULT_MAX_OUTBOX_RECORDS, type GatewaySyncOptions, type SyncConfig } from './gateway-sync';
export { SqliteOutbox } from './outbox';
export { OutboxBound } from './bound';
export { OutboxWriter, type CameraHealthChange } from './records';
export { syncStatus, type SyncStatus } from './status';
export { PerfSampler, benchHeadline, DEFAULT_BENCHMARKS_DIR, type PerfSources, type PerfPool, type PerfPipeline } from './perf-summary';
