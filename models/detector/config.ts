import { z } from 'zod';
import { SessionConfigSchema } from '../runtime/session';

export const YOLO_LAYOUTS = ['yolov5', 'yolov8', 'nms-boxes', 'nms-flat', 'nms-split'] as const;
export type YoloLayout = (typeof YOLO_LAYOUTS)[number];

const common = {
  /** Minimum score for a detection to be reported. */
  scoreThreshold: z.number().min(0).max(1).default(0.45),
  /** IoU above which NMS suppresses a lower-scoring box of the same class. */
  iouThreshold: z.number().min(0).max(1).default(0.5),
  maxDetections: z.number().int().min(1).max(1000).default(100),
  /** Only these class names are reported (all when absent). */
  classes: z.array(z.string().min(1)).min(1).optional(),
  /** Largest number of frames per model run when the model has a dynamic batch dimension. */
  maxBatch: z.number().int().min(1).max(64).default(4),
  session: SessionConfigSchema.prefault({}),
};

export const CenterNetConfigSchema = z
  .object({
    kind: z.literal('centernet'),
    ...common,
    resize: z.enum(['stretch', 'letterbox']).default('stretch'),
  })
  .strict();

export const YoloConfigSchema = z
  .object({
    kind: z.literal('yolo'),
    ...common,
    modelPath: z.string().min(1),
    /** JSON array / {id: name} mapping, or one name per line. Overrides the model's `names` metadata. */
    labelsPath: z.string().min(1).optional(),
    /** Force a layout when auto-detection is ambiguous (e.g. a one-class YOLOv5 vs an NMS output). */
    layout: z.enum(YOLO_LAYOUTS).optional(),
    /** Input size for models whose height/width are symbolic. */
    inputSize: z.object({ width: z.number().int().min(32).max(4096), height: z.number().int().min(32).max(4096) }).optional(),
    /** Multiplier from 0-255 pixels to the model's input range. */
    pixelScale: z.number().positive().default(1 / 255),
    resize: z.enum(['stretch', 'letterbox']).default('letterbox'),
  })
  .strict();

export const DetectorConfigSchema = z.discriminatedUnion('kind', [CenterNetConfigSchema, YoloConfigSchema]);
export type DetectorConfig = z.input<typeof DetectorConfigSchema>;
export type ParsedDetectorConfig = z.output<typeof DetectorConfigSchema>;
