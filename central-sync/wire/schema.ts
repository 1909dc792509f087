import { z } from 'zod';
import { safeJsonObject, safeText } from './text';

/**
 * The wire between a site gateway and the provincial data centre. This folder is the only code both
 * ends share: request and response bodies, paths, headers and the signature.
 *
 * Version 2 (issue 13) adds the optional `crossingsIn` / `crossingsOut` of a queue_stat (line
 * zones: entrance counting). Compatibility: a central of version 2 accepts bodies of version 1 and
 * 2 (a version 1 gateway never sends crossings; its stats are stored with null crossings); a
 * version 2 gateway's bodies are refused whole by a version 1 central (400 naming `version`, which
 * the uplink answers by keeping its outbox and backing off, nothing dead-lettered), so upgrade
 * central first.
 *
 * Version 3 (issue 16) adds the heartbeat's optional `perf` summary (PerfSummarySchema). A central
 * of version 3 accepts heartbeats of versions 1 to 3, with or without `perf`. Ingest batches and
 * enrolments are unchanged since version 2, so a gateway labels them RECORDS_WIRE_VERSION: a
 * version 3 gateway keeps enrolling and delivering to a version 2 central. Its heartbeat (version
 * 3, with perf) is refused there with a 400 naming `version` (or, past that, the unknown key
 * `perf`); the uplink then sends version 2 heartbeats without perf for an hour before trying 3 again.
 */
export const WIRE_VERSION = 3;
/** Ingest batches and enrolment requests have not changed since version 2 and are sent as such. */
export const RECORDS_WIRE_VERSION = 2;
/** The versions this end accepts: the current one and every older one still in the field. */
export const ACCEPTED_WIRE_VERSIONS = [1, 2, WIRE_VERSION] as const;
const wireVersion = z.literal(ACCEPTED_WIRE_VERSIONS);

export const PATHS = {
  enrol: '/v1/enrol',
  ingest: '/v1/ingest',
  heartbeat: '/v1/heartbeat',
} as const;

/** Limits the server enforces and the client keeps under. */
export const LIMITS = {
  maxRecordsPerBatch: 5000,
  /** Request body as sent (gzip or not). */
  maxBodyBytes: 4 * 2 ** 20,
  /** After gunzip: a small body must not expand into gigabytes. */
  maxInflatedBytes: 32 * 2 ** 20,
  /** Signed requests older or newer than this are refused. */
  maxClockSkewMs: 5 * 60_000,
} as const;

/** Every string on the wire is safeText and every integer fits its column (BIGINT: safe integers; INTEGER: int32). */
const id = safeText(z.string().min(1).max(128));
const millis = z.number().int().min(0);
/** PostgreSQL INTEGER. */
export const INT32_MAX = 2_147_483_647;
const count32 = z.number().int().min(0).max(INT32_MAX);
const state = safeText(z.string().min(1).max(32));
const reason = safeText(z.string().max(500)).nullable();
export const SEVERITIES = ['low', 'medium', 'high'] as const;

export const EventPayloadSchema = z
  .object({
    uid: id,
    cameraId: id,
    zoneId: id.nullish(),
    trackId: z.number().int().nullish(),
    type: safeText(z.string().min(1).max(64)),
    severity: z.enum(SEVERITIES),
    at: millis,
    data: safeJsonObject().default({}),
  })
  .strict();

export const EventUpdatePayloadSchema = z
  .object({
    uid: id,
    at: millis,
    phase: z.enum(['update', 'end']),
    data: safeJsonObject().default({}),
  })
  .strict();

export const QueueStatPayloadSchema = z
  .object({
    cameraId: id,
    zoneId: id,
    /** Start of the minute, ms since the epoch. */
    minute: millis,
    avgCount: z.number().min(0),
    maxCount: count32,
    departures: count32,
    estWaitS: count32.nullable(),
    occupiedRatio: z.number().min(0).max(1).nullable(),
    /** Line zones (wire version 2): people who crossed inwards / outwards in the minute; absent or null for other zones. */
    crossingsIn: count32.nullable().optional(),
    crossingsOut: count32.nullable().optional(),
  })
  .strict();

export const CameraHealthPayloadSchema = z
  .object({
    cameraId: id,
    state,
    reason,
    at: millis,
  })
  .strict();

const record = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.object({ seq: z.number().int().positive(), kind: z.literal(kind), at: millis, payload }).strict();

/** One outbox row: `seq` rises by one per record a gateway writes and is the idempotency key. */
export const SyncRecordSchema = z.discriminatedUnion('kind', [
  record('event', EventPayloadSchema),
  record('event_update', EventUpdatePayloadSchema),
  record('queue_stat', QueueStatPayloadSchema),
  record('camera_health', CameraHealthPayloadSchema),
]);
export const RECORD_KINDS = ['event', 'event_update', 'queue_stat', 'camera_health'] as const;

export const IngestBatchSchema = z
  .object({
    version: wireVersion,
    gatewayId: id,
    records: z.array(SyncRecordSchema).min(1).max(LIMITS.maxRecordsPerBatch),
  })
  .strict();

export const IngestResponseSchema = z.object({
  /** Records of this batch stored now. */
  stored: z.number().int().min(0),
  /** Records of this batch the server already had (a resend). */
  duplicates: z.number().int().min(0),
  /** Highest sequence stored for this gateway so far. */
  highestSeq: z.number().int().min(0),
  serverTime: millis,
});

const ms = z.number().min(0).max(3_600_000);
const perSecond = z.number().min(0).max(1_000_000);
const cameraCount = z.number().int().min(0).max(100_000);

/**
 * A gateway's performance summary (wire version 3): what the device is, what it is doing now (over
 * the interval since its previous heartbeat) and what its latest `npm run bench` report measured.
 * Every figure a gateway cannot know is null.
 */
export const PerfSummarySchema = z
  .object({
    device: z
      .object({
        cores: z.number().int().min(1).max(4096),
        cpuModel: safeText(z.string().max(200)),
        memoryMiB: z.number().int().min(0).max(INT32_MAX),
        /** The inference pool's execution provider: cpu, cuda, ... */
        provider: safeText(z.string().min(1).max(64)),
      })
      .strict(),
    cameras: z.object({ configured: cameraCount, streaming: cameraCount }).strict(),
    /** Frames the person detector ran on, per second. */
    detectionsPerSec: perSecond,
    /** Frames the pipelines handled (detected or skipped by the motion gate), per second. */
    framesPerSec: perSecond,
    /** Sum of detectFps over the streaming cameras: the frames per second they ask for. */
    targetFps: perSecond,
    /** framesPerSec / targetFps, at most 1; null with no streaming camera. */
    efficiency: z.number().min(0).max(1).nullable(),
    inferenceMs: z.object({ p50: ms, p99: ms }).strict().nullable(),
    /** Share of the whole machine's CPU time the gateway process used (0..1). */
    cpu: z.number().min(0).max(1),
    /** Resident memory of the gateway process. */
    rssMiB: z.number().int().min(0).max(INT32_MAX),
    /** Headline figures of the latest benchmark report on this device; null without one. */
    bench: z
      .object({
        date: safeText(z.string().max(64)).nullable(),
        /** Cameras sustained with every frame detected (the report's sustainedEveryFrame). */
        camerasSustained: cameraCount.nullable(),
        /** Fastest model's ms per inference in the report. */
        modelMs: ms.nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export const HeartbeatSchema = z
  .object({
    version: wireVersion,
    gatewayId: id,
    at: millis,
    cameras: z.array(z.object({ id, state, reason }).strict()).max(1000),
    backlog: z.number().int().min(0),
    oldestUnsentAt: millis.nullable(),
    dropped: z.number().int().min(0),
    /** Wire version 3; absent from older gateways, and optional in 3. */
    perf: PerfSummarySchema.optional(),
  })
  .strict();

export const HeartbeatResponseSchema = z.object({
  ok: z.literal(true),
  /** Highest sequence stored for this gateway: a gateway whose outbox starts afresh numbers above it. */
  highestSeq: z.number().int().min(0).optional(),
  serverTime: millis,
});

export const EnrolRequestSchema = z
  .object({
    version: wireVersion,
    token: safeText(z.string().min(16).max(256)),
    gatewayName: safeText(z.string().min(1).max(128)).optional(),
  })
  .strict();

export const EnrolResponseSchema = z.object({ gatewayId: id, siteId: id, secret: z.string().min(32), serverTime: millis });

/** Every non-2xx answer. `record` is the index of the offending record in a batch. */
export const ErrorResponseSchema = z.object({
  error: z.string(),
  field: z.string().optional(),
  record: z.number().int().optional(),
  serverTime: millis.optional(),
});

export type SyncRecord = z.infer<typeof SyncRecordSchema>;
export type RecordKind = SyncRecord['kind'];
export type IngestBatch = z.infer<typeof IngestBatchSchema>;
export type IngestResponse = z.infer<typeof IngestResponseSchema>;
export type Heartbeat = z.infer<typeof HeartbeatSchema>;
export type PerfSummary = z.infer<typeof PerfSummarySchema>;
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;
export type EnrolResponse = z.infer<typeof EnrolResponseSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
export type EventPayload = z.infer<typeof EventPayloadSchema>;
export type QueueStatPayload = z.infer<typeof QueueStatPayloadSchema>;

/** "records[3].payload.severity: Invalid option" style: the first issue, named by its path. */
export function describeZodError(error: z.ZodError): { message: string; field: string; record?: number } {
  const issue = error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(body)';
  const record = issue.path[0] === 'records' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
  return { message: `${field}: ${issue.message}`, field, ...(record !== undefined ? { record } : {}) };
}
