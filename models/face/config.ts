import { z } from 'zod';
import { SessionConfigSchema } from '../runtime/session';

export const FaceEngineConfigSchema = z
  .object({
    /** Minimum detector score for a face. */
    scoreThreshold: z.number().min(0).max(1).default(0.7),
    /** IoU above which NMS suppresses the lower-scoring face. */
    iouThreshold: z.number().min(0).max(1).default(0.3),
    maxFaces: z.number().int().min(1).max(64).default(16),
    /**
     * Faces whose longer side is below this (frame pixels) are embedded without landmark alignment:
     * below it the 68-point model's eye and mouth positions stop being reliable (see the README).
     */
    minAlignSize: z.number().min(8).max(512).default(28),
    session: SessionConfigSchema.prefault({}),
  })
  .strict();

export type FaceEngineConfig = z.input<typeof FaceEngineConfigSchema>;
export type ParsedFaceEngineConfig = z.output<typeof FaceEngineConfigSchema>;
