import type { CameraConfig } from '../config';
import type { Db } from '../store/db';
import { RuntimeCameraStore } from '../store/runtime-cameras';

/**
 * The stored run-time cameras to start after the configured ones: a row whose id the configuration
 * file uses is skipped (the file wins) and a row that no longer validates is skipped; both are logged.
 */
export function runtimeCamerasAtBoot(
  db: Db,
  fileCameras: readonly CameraConfig[],
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void },
): CameraConfig[] {
  const fileIds = new Set(fileCameras.map((c) => c.id));
  const stored = new RuntimeCameraStore(db).list((id, err) => log.error({ camera: id, err: err.message }, 'stored run-time camera ignored: it no longer validates'));
  return stored
    .filter((r) => {
      if (!fileIds.has(r.camera.id)) return true;
      log.warn({ camera: r.camera.id, addedBy: r.addedBy }, 'stored run-time camera ignored: the configuration file has a camera with the same id, which wins');
      return false;
    })
    .map((r) => r.camera);
}
