import { z } from 'zod';
import { CameraSourceSchema, type ParsedCameraSource } from '../../streams/camera/config';
import type { CameraConfig } from './schema';

/** The stream's fields of a camera, unknown keys dropped (the gateway's own: zones, masks, ...). */
const SourceFields = z.object(CameraSourceSchema.shape);

/** What the camera's stream (and its live view) is started with: every source field of the parsed camera, as configured. */
export function streamSourceOf(camera: CameraConfig): ParsedCameraSource {
  return SourceFields.parse(camera);
}
