/**
 * The hand-made ground truth of a video (benchmarks/groundtruth/<video>.json): every visible
 * person's box and identity on every `labelledEvery`-th frame, in the video's own pixels. Validated
 * with zod on load; an error names the offending field, e.g. `frames[3].people[1].box`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatPath } from '../../gateway/config';

/** The hand-made ground truth of the demo video, kept in the repository. */
export const DEFAULT_GROUND_TRUTH = join(import.meta.dirname, '..', 'groundtruth', 'vtest.json');

/** People shorter than this (original pixels) are don't-care, like those marked `ignore`. */
export const MIN_HEIGHT_PX = 48;

const box = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine(([x1, y1, x2, y2]) => x2 > x1 && y2 > y1, 'box must be [x1, y1, x2, y2] with x2 > x1 and y2 > y1');

const frameRange = z.object({ fromFrame: z.number().int().min(0), toFrame: z.number().int().min(0) }).refine((r) => r.toFrame >= r.fromFrame, 'toFrame must be >= fromFrame');

export const GroundTruthSchema = z
  .object({
    video: z.object({
      name: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{8,64}$/, 'sha256 must be lowercase hex'),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      fps: z.number().positive(),
      frames: z.number().int().positive(),
    }),
    labelledEvery: z.number().int().positive(),
    method: z.string().min(1),
    rules: z.array(z.string().min(1)),
    split: z.object({ dev: frameRange, holdout: frameRange }),
    frames: z
      .array(
        z.object({
          frame: z.number().int().min(0),
          people: z.array(z.object({ id: z.string().min(1), box, ignore: z.boolean().default(false) })),
        }),
      )
      .min(1, 'at least one labelled frame is needed'),
  })
  .superRefine((gt, ctx) => {
    const seen = new Set<number>();
    gt.frames.forEach((f, i) => {
      if (f.frame >= gt.video.frames) ctx.addIssue({ code: 'custom', path: ['frames', i, 'frame'], message: `frame ${f.frame} is past the video's last frame (${gt.video.frames - 1})` });
      if (seen.has(f.frame)) ctx.addIssue({ code: 'custom', path: ['frames', i, 'frame'], message: `frame ${f.frame} is labelled twice` });
      seen.add(f.frame);
      const ids = new Set<string>();
      f.people.forEach((p, j) => {
        if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['frames', i, 'people', j, 'id'], message: `identity ${p.id} appears twice in frame ${f.frame}` });
        ids.add(p.id);
        const [x1, y1, x2, y2] = p.box;
        if (x1 < 0 || y1 < 0 || x2 > gt.video.width || y2 > gt.video.height) {
          ctx.addIssue({ code: 'custom', path: ['frames', i, 'people', j, 'box'], message: `box lies outside the ${gt.video.width}x${gt.video.height} frame` });
        }
      });
    });
    const { dev, holdout } = gt.split;
    if (dev.toFrame >= holdout.fromFrame && holdout.toFrame >= dev.fromFrame) ctx.addIssue({ code: 'custom', path: ['split'], message: 'dev and holdout overlap' });
  });

export type GroundTruth = z.output<typeof GroundTruthSchema>;
export type GtFrame = GroundTruth['frames'][number];
export type GtPerson = GtFrame['people'][number];

export class GroundTruthError extends Error {
  constructor(
    message: string,
    /** The offending field, e.g. `frames[3].people[1].box`. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'GroundTruthError';
  }
}

/** Validates a parsed ground-truth object; throws a GroundTruthError naming the first bad field. */
export function parseGroundTruth(raw: unknown, source = 'ground truth'): GroundTruth {
  const result = GroundTruthSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = formatPath(issue.path);
    throw new GroundTruthError(`${source}: ${path || '(root)'}: ${issue.message}`, path);
  }
  return { ...result.data, frames: [...result.data.frames].sort((a, b) => a.frame - b.frame) };
}

export function loadGroundTruth(path: string): GroundTruth {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GroundTruthError(`${path}: ${(err as Error).message}`, '');
  }
  return parseGroundTruth(raw, path);
}

/** Scored: not marked ignore and at least MIN_HEIGHT_PX tall. Everyone else is don't-care. */
export function isScored(p: GtPerson): boolean {
  return !p.ignore && p.box[3] - p.box[1] >= MIN_HEIGHT_PX;
}

export type SplitName = 'overall' | 'dev' | 'holdout';

/** Which split a frame belongs to (undefined: in neither). */
export function splitOf(gt: GroundTruth, frame: number): 'dev' | 'holdout' | undefined {
  const { dev, holdout } = gt.split;
  if (frame >= dev.fromFrame && frame <= dev.toFrame) return 'dev';
  if (frame >= holdout.fromFrame && frame <= holdout.toFrame) return 'holdout';
  return undefined;
}

/** An identity unseen this long (every labelled frame between absent) comes back as a new visit (the ground truth's rules). */
export const NEW_VISIT_AFTER_SECONDS = 3;

/**
 * The ground truth with each identity split into visits at absences of NEW_VISIT_AFTER_SECONDS or
 * more (unseen time = the gap between two labelled appearances less one labelling interval): a
 * person who left and came back is a new person to score, whether or not the annotator kept the id.
 * Later visits are named `<id>#2`, `<id>#3`, ...
 */
export function splitVisits(gt: GroundTruth, afterSeconds = NEW_VISIT_AFTER_SECONDS): GroundTruth {
  const last = new Map<string, { frame: number; visit: number }>();
  const interval = gt.labelledEvery;
  const frames = gt.frames.map((f) => ({
    ...f,
    people: f.people.map((p) => {
      const prev = last.get(p.id);
      const unseen = prev ? (f.frame - prev.frame - interval) / gt.video.fps : 0;
      const visit = prev ? (unseen >= afterSeconds - 1e-9 ? prev.visit + 1 : prev.visit) : 1;
      last.set(p.id, { frame: f.frame, visit });
      return visit === 1 ? p : { ...p, id: `${p.id}#${visit}` };
    }),
  }));
  return { ...gt, frames };
}
