import { join } from 'node:path';
import { z } from 'zod';
import { LIMITS } from '../../central-sync/wire';
import { CameraSourceSchema } from '../../streams/camera/config';
import { ClipsConfigSchema } from '../clips/config';
import { DiscoveryConfigSchema } from '../discovery/config';
import { MqttConfigSchema } from '../mqtt/config';

const unit = z.number().min(0, 'must be within 0..1 (normalised to the frame)').max(1, 'must be within 0..1 (normalised to the frame)');
const point = z.tuple([unit, unit]);
export const PolygonSchema = z.array(point).min(3, 'polygon needs >= 3 points');

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24 h)');

/** When a restricted zone is armed: weekly windows in the site's time zone; an end before the start wraps past midnight. */
export const ScheduleSchema = z
  .object({
    windows: z.array(z.object({ days: z.array(z.enum(DAYS)).min(1), start: clock, end: clock }).strict()).min(1),
  })
  .strict();

const ZoneIdentity = {
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1-64 letters, digits, dot, dash or underscore'),
  name: z.string().min(1).max(120).optional(),
};

/**
 * Zone inertia (defaults in gateway/zones/inertia.ts, applied by the rules so saved zones stay as
 * written): a person is in the zone after being seen inside for enterAfterSeconds (entry time = the
 * first frame inside), and out after being outside, or unseen while still tracked, for exitAfterSeconds.
 */
const Inertia = {
  enterAfterSeconds: z.number().min(0).max(60).optional(),
  exitAfterSeconds: z.number().min(0).max(600).optional(),
};

/** An incident ends when its zone has been empty (of intruders, loiterers; not crowded) this long; default 30. */
const coolDownSeconds = z.number().min(0).max(3600).optional();

const ZoneBase = { ...ZoneIdentity, ...Inertia, points: PolygonSchema };

/** Screen directions for a line zone's inDirection: right = +x, down = +y. */
export const DIRECTIONS = { right: [1, 0], left: [-1, 0], up: [0, -1], down: [0, 1] } as const;
/** A line closer than this to its inDirection (degrees) cannot tell in from out. */
const MIN_CROSSING_ANGLE = 20;

/** A line zone: a segment people cross, counted in when they cross it moving in inDirection on screen. */
const LineZoneSchema = z
  .object({
    ...ZoneIdentity,
    type: z.literal('line'),
    points: z.array(point).length(2, 'a line has exactly 2 points'),
    inDirection: z.enum(['right', 'left', 'up', 'down']),
    /** Side inertia: a person is on a side of the line after this long there (default 1). */
    enterAfterSeconds: Inertia.enterAfterSeconds,
  })
  .strict()
  .superRefine((zone, ctx) => {
    const [ax, ay] = zone.points[0]!;
    const [bx, by] = zone.points[1]!;
    const length = Math.hypot(bx - ax, by - ay);
    if (length < 0.01) {
      ctx.addIssue({ code: 'custom', path: ['points'], message: 'the line\'s 2 points must be at least 0.01 apart' });
      return;
    }
    const [vx, vy] = DIRECTIONS[zone.inDirection];
    const angle = (Math.asin(Math.min(1, Math.abs((bx - ax) * vy - (by - ay) * vx) / length)) * 180) / Math.PI;
    if (angle < MIN_CROSSING_ANGLE) {
      ctx.addIssue({
        code: 'custom',
        path: ['inDirection'],
        message: `'${zone.inDirection}' runs along the line (${Math.round(angle)}° from it, under ${MIN_CROSSING_ANGLE}°): crossing it could not tell in from out; use a direction across the line`,
      });
    }
  });

export const ZoneSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...ZoneBase,
      type: z.literal('queue'),
      /** queue_long fires when the count or the estimated wait is above these (with hysteresis). */
      maxLength: z.number().int().min(1).default(8),
      maxWaitSeconds: z.number().int().min(1).default(900),
    })
    .strict(),
  z.object({ ...ZoneBase, type: z.literal('counter') }).strict(),
  z.object({ ...ZoneBase, type: z.literal('restricted'), schedule: ScheduleSchema.optional(), coolDownSeconds }).strict(),
  z
    .object({
      ...ZoneBase,
      type: z.literal('count'),
      /** crowding fires above this many people; loitering after this many seconds in the zone. */
      crowdingAbove: z.number().int().min(1).optional(),
      loiterSeconds: z.number().int().min(1).optional(),
      coolDownSeconds,
    })
    .strict(),
  LineZoneSchema,
]);

/**
 * A camera: everything the stream takes (CameraSourceSchema: url, detectFps, detectSize, letterbox,
 * transport, inputOptions, timeouts, backoff, ...), with its limits, plus what the gateway does
 * with the frames. The stream gets the source part as parsed here (streamSourceOf).
 */
export const CameraConfigSchema = CameraSourceSchema.extend({
  name: z.string().min(1).max(120).optional(),
  /** Deprecated: read by nothing. Old site files may keep it (a warning names it); the parsed configuration drops it. */
  role: z.enum(['counter', 'queue', 'entrance', 'street']).optional(),
  enabled: z.boolean().default(true),
  faceRecognition: z.boolean().default(false),
  /** Skip detection while the scene is static (with a heartbeat every 5 s). */
  motionGate: z.boolean().default(true),
  /** Keep a rolling buffer of the original stream and save an evidence clip with each event (top-level `clips:`). */
  clips: z.boolean().default(true),
  zones: z.array(ZoneSchema).default([]),
  /** Areas ignored by detection (e.g. a TV screen, a poster). */
  masks: z.array(PolygonSchema).default([]),
}).strict();

export const ROLES = ['supervisor', 'security', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const UserSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1-64 letters, digits, dot, dash, @ or underscore'),
    role: z.enum(ROLES),
    /** Bearer token; at least 24 characters. Prefer `${ENV_VAR}` or GATEWAY_TOKEN_<NAME> to keep it out of the file. */
    token: z.string().min(24, 'token must be at least 24 characters'),
  })
  .strict();

/** The camera without the deprecated `role`, so nothing can start reading it again. */
function withoutRole(camera: z.output<typeof CameraConfigSchema>): CameraConfig {
  const { role: _deprecated, ...rest } = camera;
  return rest;
}

export const GatewayConfigSchema = z
  .object({
    site: z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), name: z.string().min(1), timezone: z.string().default('Asia/Ho_Chi_Minh') }).strict(),
    cameras: z.array(CameraConfigSchema).min(1, 'at least one camera is needed'),
    models: z
      .object({
        /** Score at which a person starts a track (is counted). 0.35: CenterNet's operating point on vtest dev frames (precision 0.99, recall 0.92 at IoU 0.5; 0.45 gave recall 0.80). */
        personThreshold: z.number().min(0).max(1).default(0.35),
        /** Path of a YOLO ONNX file instead of the built-in CenterNet. */
        detectorModel: z.string().optional(),
        faceMatchThreshold: z.number().min(-1).max(1).default(0.5),
        /** Faces smaller than this (px) are not matched against the watchlist. */
        minFaceSize: z.number().int().min(16).default(40),
        /** Inference workers (an ORT session each); absent: one per core, at most 4 (gateway/inference/layout.ts). */
        inferenceWorkers: z.number().int().min(1).max(16).optional(),
        /** ORT threads per worker (0: ORT's default, all cores); absent: cores / workers, at least 1. */
        threadsPerWorker: z.number().int().min(0).max(64).optional(),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        eventsDays: z.number().int().min(1).default(30),
        statsDays: z.number().int().min(1).default(90),
        snapshotsDays: z.number().int().min(1).default(7),
        faceCropsDays: z.number().int().min(1).default(7),
        /** Evidence clips (files and rows); `clips.maxDiskMiB` may delete them sooner. */
        clipsDays: z.number().int().min(1).default(7),
        /** The access audit must outlive what it audits: at least 30 days. */
        auditDays: z.number().int().min(30).default(365),
      })
      .strict()
      .prefault({}),
    storage: z.object({ dataDir: z.string().default('data') }).strict().prefault({}),
    api: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        bodyLimitBytes: z.number().int().min(1024).default(8 * 2 ** 20),
        /** Live-view relays (an MPEG-1 encoder each) allowed at once. */
        maxLiveRelays: z.number().int().min(0).max(32).default(2),
        /** Serve HTTPS (and wss for the live view) with this PEM certificate chain and key, instead of TLS at a reverse proxy. */
        tls: z.object({ certPath: z.string().min(1), keyPath: z.string().min(1) }).strict().optional(),
      })
      .strict()
      .prefault({}),
    users: z.array(UserSchema).default([]),
    sync: z
      .object({
        url: z.url(),
        // An empty value (`${CENTRAL_ENROLMENT_TOKEN:-}` once enrolled) counts as absent.
        enrolmentToken: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
        /** Default: <storage.dataDir>/central-credentials.json, beside the database it belongs to. */
        credentialsFile: z.string().min(1).optional(),
        caFile: z.string().optional(),
        batchRecords: z.number().int().min(1).max(LIMITS.maxRecordsPerBatch).default(500),
        /** Beyond this the oldest queue stats, then camera health, then low/medium events are dropped. */
        maxOutboxRecords: z.number().int().min(100).default(1_000_000),
        heartbeatSeconds: z.number().int().min(5).max(3600).default(30),
        /** Face crops of watchlist matches stay on site unless this is set (Decree 13 minimisation). */
        sendFaceCrops: z.boolean().default(false),
        timeoutMs: z.number().int().min(1000).max(300_000).default(15_000),
      })
      .strict()
      .optional(),
    /** Evidence clips: the rolling buffer and the clip around each event (cameras with `clips: true`). */
    clips: ClipsConfigSchema.prefault({}),
    /** "Add camera": where the ONVIF search probes and how long it and the device calls may take. */
    discovery: DiscoveryConfigSchema.prefault({}),
    /** The local event feed (MQTT); off unless set. */
    mqtt: MqttConfigSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.cameras.forEach((cam, i) => {
      if (seen.has(cam.id)) ctx.addIssue({ code: 'custom', path: ['cameras', i, 'id'], message: `duplicate camera id '${cam.id}'` });
      seen.add(cam.id);
      const zones = new Set<string>();
      cam.zones.forEach((zone, j) => {
        if (zones.has(zone.id)) ctx.addIssue({ code: 'custom', path: ['cameras', i, 'zones', j, 'id'], message: `duplicate zone id '${zone.id}'` });
        zones.add(zone.id);
      });
    });
    const names = new Set<string>();
    cfg.users.forEach((u, i) => {
      if (names.has(u.name)) ctx.addIssue({ code: 'custom', path: ['users', i, 'name'], message: `duplicate user '${u.name}'` });
      names.add(u.name);
    });
  })
  .transform((cfg) => ({
    ...cfg,
    cameras: cfg.cameras.map(withoutRole),
    sync: cfg.sync && { ...cfg.sync, credentialsFile: cfg.sync.credentialsFile ?? join(cfg.storage.dataDir, 'central-credentials.json') },
  }));

export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
export type CameraConfig = Omit<z.output<typeof CameraConfigSchema>, 'role'>;
export type ZoneConfig = z.output<typeof ZoneSchema>;
/** A zone with an area (every type but `line`). */
export type AreaZoneConfig = Exclude<ZoneConfig, { type: 'line' }>;
export type LineZoneConfig = Extract<ZoneConfig, { type: 'line' }>;
export type Schedule = z.output<typeof ScheduleSchema>;
export type Polygon = z.output<typeof PolygonSchema>;
