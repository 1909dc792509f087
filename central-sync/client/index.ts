/** The gateway side of central sync: reusable, knows only the wire (central-sync/wire), not the gateway. */
export { Uplink, type UplinkOptions, type UplinkStatus } from './uplink';
export { FullJitterBackoff, type BackoffOptions } from './backoff';
export { ServerClock } from './clock';
export { CentralChannel, NetworkError, type CentralResponse } from './channel';
export { readCredentials, writeCredentials, loadOrEnrol, enrol, EnrolmentRefused, type CredentialSource } from './credentials';
export { createTransport, httpsTransport } from './transport';
export { checkRecords, encodeBatch } from './batch';
export type { OutboxRecord, OutboxSource, OutboxStats, Credentials, Transport, TransportRequest, TransportResponse, UplinkLogger, HeartbeatCamera, Awaitable } from './types';
export { HeartbeatVersion, LEGACY_HEARTBEAT_VERSION, LEGACY_HOLD_MS } from './heartbeat-version';
