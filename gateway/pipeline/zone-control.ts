import type { CameraConfig, ZoneConfig } from '../config';

/** What the admin API needs of the running gateway to edit zones (ApiDeps.cameraZones). */
export interface CameraZoneControl {
  /** The zones in effect for a configured camera (saved or from the config file); undefined for an unknown camera. */
  zones(cameraId: string): ZoneConfig[] | undefined;
  /** Puts zones into effect now: on the running pipeline, or for a disabled camera only in this list. */
  apply(cameraId: string, zones: ZoneConfig[]): void;
}

/** Zone control over the configured cameras (with saved zones applied) and the pipelines running them. */
export function cameraZoneControl(cameras: CameraConfig[], pipelines: ReadonlyArray<{ camera: CameraConfig; setZones(zones: ZoneConfig[]): void }>): CameraZoneControl {
  return {
    // `apply` keeps this list in step with the pipelines, so it alone says what is in effect.
    zones: (id) => cameras.find((c) => c.id === id)?.zones,
    apply: (id, zones) => {
      pipelines.find((p) => p.camera.id === id)?.setZones(zones);
      const i = cameras.findIndex((c) => c.id === id);
      if (i >= 0) cameras[i] = { ...cameras[i]!, zones };
    },
  };
}
