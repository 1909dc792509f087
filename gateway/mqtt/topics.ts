/**
 * The feed's topics under its prefix (default `gateway/<site.id>`), in the style NVR users know
 * (Frigate, Home Assistant): a retained availability topic with a last will, JSON payloads, retained
 * per-camera and per-zone state, and one stream of event messages.
 *
 * | topic | retained | QoS | payload |
 * | --- | --- | --- | --- |
 * | `<prefix>/availability` | yes | 1 | `online` / `offline` (the broker sends `offline` as the last will) |
 * | `<prefix>/events` | no | `qos` (1) | EventMessage JSON: `type` start, update or end |
 * | `<prefix>/cameras/<cameraId>/state` | yes | 0 | CameraStateMessage JSON |
 * | `<prefix>/zones/<cameraId>/<zoneId>` | yes | 0 | ZoneMessage JSON (count; waitSeconds for queues) |
 */
export interface FeedTopics {
  prefix: string;
  availability: string;
  events: string;
  cameraState(cameraId: string): string;
  zone(cameraId: string, zoneId: string): string;
}

/** Camera, zone and site ids are `[A-Za-z0-9_.-]` (config schema): safe as topic levels; anything else is replaced. */
const level = (id: string): string => id.replace(/[/#+\u0000]/g, '_') || '_';

export function defaultTopicPrefix(siteId: string): string {
  return `gateway/${level(siteId)}`;
}

export function feedTopics(prefix: string): FeedTopics {
  return {
    prefix,
    availability: `${prefix}/availability`,
    events: `${prefix}/events`,
    cameraState: (cameraId) => `${prefix}/cameras/${level(cameraId)}/state`,
    zone: (cameraId, zoneId) => `${prefix}/zones/${level(cameraId)}/${level(zoneId)}`,
  };
}
