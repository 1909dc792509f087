import { z } from 'zod';

/**
 * Limits of the frames delivered for detection (the gateway's camera schema extends this one, so
 * they are the gateway's too). Frames are packed RGB24 held whole in memory (cutter, mailbox, the
 * inference pool's copy): 4096x4096 is already 48 MiB a frame; below 64 px no person is detectable.
 */
const DETECT_SIZE_LIMITS = { min: 64, max: 4096 } as const;
/** People walk: tracking needs a few frames a second, and one camera above 30 would starve the shared detector. */
const MAX_DETECT_FPS = 30;

const side = z.number().int().min(DETECT_SIZE_LIMITS.min).max(DETECT_SIZE_LIMITS.max);
const size = z.object({ width: side, height: side }).strict();

export const CameraSourceSchema = z
  .object({
    // Ids name folders (clip buffers, clips, snapshots): `.` and `..` would point at their parents.
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1-64 letters, digits, dot, dash or underscore')
      .refine((id) => !/^\.+$/.test(id), 'an id of dots only would name a parent folder: use letters or digits'),
    /** rtsp://, rtsps://, http(s):// or a local file path (file:// allowed). */
    url: z.string().min(1),
    /** Frames per second delivered for detection (ffmpeg's fps filter drops the rest in C). */
    detectFps: z.number().positive().max(MAX_DETECT_FPS).default(5),
    /** Size of delivered frames (ffmpeg scales in C). */
    detectSize: size.default({ width: 640, height: 360 }),
    /** Keep the aspect ratio and pad with black instead of stretching. */
    letterbox: z.boolean().default(false),
    transport: z.enum(['tcp', 'udp']).default('tcp'),
    /** Decode only keyframes (-skip_frame nokey): for very low rates; delivers each keyframe. */
    keyframesOnly: z.boolean().default(false),
    /**
     * Decode for analytics: one decoder thread and no H.264/HEVC deblocking (-threads 1
     * -skip_loop_filter all), about a fifth less decode CPU. Off for cameras whose frames must be
     * decoded exactly (inputOptions can also override either option).
     */
    fastDecode: z.boolean().default(true),
    /** Extra input options passed through, e.g. ["-hwaccel", "vaapi"]. */
    inputOptions: z.array(z.string()).default([]),
    /** Files: play at their native rate (-re) and loop, as a camera would. */
    realtime: z.boolean().default(true),
    loop: z.boolean().default(true),
    /** No frame for this long -> state stalled. */
    stallAfterMs: z.number().int().min(100).default(3000),
    /** No frame for this long -> ffmpeg is killed and restarted. */
    watchdogMs: z.number().int().min(500).default(10_000),
    /** A fresh ffmpeg that has produced no frame for this long (connect, probe, first keyframe) is restarted. */
    startTimeoutMs: z.number().int().min(500).default(20_000),
    /** Socket I/O timeout handed to ffmpeg (-timeout / -rw_timeout). */
    socketTimeoutMs: z.number().int().min(100).default(5000),
    backoff: z
      .object({
        initialMs: z.number().int().min(10).default(1000),
        maxMs: z.number().int().min(10).default(30_000),
        /** Streaming this long resets the backoff to its initial delay. */
        resetAfterMs: z.number().int().min(0).default(60_000),
        /** Consecutive attempts ending in the same cause reconnecting cannot fix before the camera is `failed`. */
        failAfterAttempts: z.number().int().min(1).default(3),
        /** Retry delay once failed (auth, not found, invalid data, unsupported codec). */
        failedRetryMs: z.number().int().min(10).default(60_000),
        /** +/- this fraction of random jitter on every delay. */
        jitter: z.number().min(0).max(1).default(0.2),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CameraSource = z.input<typeof CameraSourceSchema>;
export type ParsedCameraSource = z.output<typeof CameraSourceSchema>;

/** Parses a camera's settings; the error names the field, e.g. `cameras.cam1.detectFps: ...`. */
export function parseCameraSource(input: CameraSource): ParsedCameraSource {
  const parsed = CameraSourceSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const id = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '?';
  throw new Error(`invalid camera '${id}' at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
