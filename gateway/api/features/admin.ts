import { z } from 'zod';
import { CameraConfigSchema } from '../../config';
import { ZoneListSchema, type CameraZoneStore, type SavedZones } from '../../store';
import type { ApiDeps } from '../deps';
import { ApiError, jsonBody, jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';
import { assertOneLineJson } from '../text';

/** A still that takes longer than this is refused with 503 (the grab itself times out later on its own). */
const STILL_TIMEOUT_MS = 10_000;

const CameraParam = z.object({ id: CameraConfigSchema.shape.id }).strict();
const ZonesBody = z.object({ zones: ZoneListSchema }).strict();

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The saved set, or none when a saved set no longer validates (the config file's zones run then). */
function savedOrNone(store: CameraZoneStore, cameraId: string): SavedZones | undefined {
  try {
    return store.get(cameraId);
  } catch {
    return undefined;
  }
}

/** Admin: a camera's still frame and its zones, read and replaced at run time (users and tokens are core routes). */
export const adminFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/api/cameras/:id/still', summary: 'A full-resolution JPEG from the camera, taken now (for drawing zones)', roles: [], audited: true, image: 'image/jpeg' },
    { method: 'GET', path: '/api/cameras/:id/zones', summary: "The camera's zones in effect: saved from the dashboard, else from the config file", roles: [] },
    {
      method: 'PUT',
      path: '/api/cameras/:id/zones',
      summary: "Replace the camera's zones ({zones: [...]} as in the config file); saved, applied live and audited",
      roles: [],
    },
  ],
  handlers: (deps, { now }) => {
    const store = deps.zoneStore;
    const control = () => {
      if (!deps.cameraZones) throw new ApiError(503, 'zone editing needs a running gateway (no cameras here)');
      return deps.cameraZones;
    };
    const view = (cameraId: string, zones: unknown[]) => {
      const saved = savedOrNone(store, cameraId);
      return { cameraId, zones, source: saved ? 'saved' : 'config', ...(saved ? { updatedBy: saved.updatedBy, updatedAt: saved.updatedAt } : {}) };
    };
    return {
      'GET /api/cameras/:id/still': async (c) => {
        const { id } = validate(CameraParam, c.req.param(), 'path');
        if (deps.cameraZones && !deps.cameraZones.zones(id)) return jsonError(c, 404, `no camera '${id}'`, 'id');
        if (!deps.cameraStill) return jsonError(c, 503, 'camera stills are not available here (no camera streams)');
        let jpeg: Buffer;
        try {
          jpeg = await withTimeout(deps.cameraStill(id), STILL_TIMEOUT_MS, `no frame within ${STILL_TIMEOUT_MS / 1000} s`);
        } catch (err) {
          return jsonError(c, 503, `camera '${id}' gave no still frame: ${(err as Error).message}`, 'id');
        }
        return c.body(new Uint8Array(jpeg), 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
      },
      'GET /api/cameras/:id/zones': (c) => {
        const { id } = validate(CameraParam, c.req.param(), 'path');
        const zones = control().zones(id);
        return zones ? c.json(view(id, zones)) : jsonError(c, 404, `no camera '${id}'`, 'id');
      },
      'PUT /api/cameras/:id/zones': async (c) => {
        const { id } = validate(CameraParam, c.req.param(), 'path');
        const cameras = control();
        if (!cameras.zones(id)) return jsonError(c, 404, `no camera '${id}'`, 'id');
        const body = await jsonBody(c);
        // Zone names travel to central and into pages and logs: one-line text, no control characters.
        assertOneLineJson(body, 'body');
        const { zones } = validate(ZonesBody, body, 'body');
        const user = c.get('user').name;
        const at = now();
        store.save(id, zones, user, at, () =>
          deps.audit.record({ at, user, action: 'update_zones', subject: `camera:${id}`, detail: zones.map((z) => `${z.id}:${z.type}`).join(', ') || '(none)' }),
        );
        cameras.apply(id, zones);
        return c.json(view(id, zones));
      },
    };
  },
};
