import { z } from 'zod';

/**
 * Evidence clips (top-level `clips:`). Each clip-enabled camera keeps a rolling buffer of its
 * original stream (segments of `segmentSeconds`, stream copy) long enough for `preRollSeconds`; an
 * event's clip runs from `preRollSeconds` before its start to `postRollSeconds` after its end, at
 * most `maxClipSeconds`, and all clips together stay under `maxDiskMiB` (oldest deleted first).
 */
export const ClipsConfigSchema = z
  .object({
    preRollSeconds: z.number().int().min(0).max(60).default(10),
    postRollSeconds: z.number().int().min(0).max(120).default(10),
    maxClipSeconds: z.number().int().min(5).max(600).default(120),
    /** Segment length; a segment is cut at the first keyframe after it, so the camera's GOP is the real floor. */
    segmentSeconds: z.number().int().min(1).max(10).default(2),
    maxDiskMiB: z.number().int().min(16).default(2048),
  })
  .strict();

export type ClipsConfig = z.output<typeof ClipsConfigSchema>;
