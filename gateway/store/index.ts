export { openDatabase, migrate, integrityOk, type Db } from './db';
export { EventStore, SEVERITIES, REVIEW_STATES, encodeCursor, decodeCursor, outboxPriority, type NewEvent, type EventRow, type EventFilter, type Severity, type ReviewState, type ReviewAction } from './events';
export { BatchedWriter } from './writer';
export { applyRetention, type RetentionPolicy, type RetentionResult } from './retention';
export { AuditLog, type AuditEntry } from './audit';
export { UserStore, tokenDigest, type StoredUser } from './users';
export { SessionStore, type SessionUser } from './sessions';
export { CameraZoneStore, ZoneListSchema, type SavedZones } from './camera-zones';
