import { CameraIdSchema, DeviceLoginSchema, DiscoveryError, NewCameraSchema, StillRequestSchema, type CameraAdmin } from '../../discovery';
import { redactUrl } from '../../../streams/camera/redact';
import type { ApiDeps } from '../deps';
import { ApiError, jsonBody, validate } from '../errors';
import type { ApiFeature } from '../feature';

/** The admin's "Add camera": ONVIF discovery, device details, a test still, and cameras added at run time (admin only). */
export const camerasFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'POST', path: '/api/admin/discovery', summary: 'Probe the local network for ONVIF cameras (WS-Discovery); no answer is an empty list', roles: [] },
    {
      method: 'POST',
      path: '/api/admin/discovery/device',
      summary: "A device's model, firmware, profiles and RTSP stream URIs (without credentials), read with {xaddr, username, password}",
      roles: [],
    },
    { method: 'POST', path: '/api/admin/cameras/test', summary: 'One still frame from a stream URI ({url, username?, password?}), taken now', roles: [], image: 'image/jpeg' },
    { method: 'GET', path: '/api/admin/cameras', summary: "Every camera: the configuration file's (origin config) and those added here (origin runtime, who and when); no credentials", roles: [] },
    { method: 'POST', path: '/api/admin/cameras', summary: 'Add a camera (stored in the gateway database, started at once, audited)', roles: [] },
    { method: 'DELETE', path: '/api/admin/cameras/:id', summary: 'Remove a camera added here (audited); configured cameras stay in the file', roles: [] },
  ],
  handlers: (deps, { now }) => {
    const admin = (): CameraAdmin => {
      if (!deps.cameraAdmin) throw new ApiError(503, 'adding cameras needs a running gateway');
      return deps.cameraAdmin;
    };
    /** The admin's refusals keep their status and field; anything else is the API's own 500. */
    const run = async <T>(work: () => T | Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (err) {
        if (err instanceof DiscoveryError) throw new ApiError(err.status, err.message, err.field);
        throw err;
      }
    };
    return {
      'POST /api/admin/discovery': async (c) => {
        const devices = await run(() => admin().discover());
        return c.json({ devices });
      },
      'POST /api/admin/discovery/device': async (c) => {
        const cameras = admin();
        const login = validate(DeviceLoginSchema, await jsonBody(c), 'body');
        return c.json(await run(() => cameras.device(login)));
      },
      'POST /api/admin/cameras/test': async (c) => {
        const cameras = admin();
        const request = validate(StillRequestSchema, await jsonBody(c), 'body');
        const jpeg = await run(() => cameras.still(request));
        return c.body(new Uint8Array(jpeg), 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
      },
      'GET /api/admin/cameras': (c) => c.json({ cameras: admin().cameras() }),
      'POST /api/admin/cameras': async (c) => {
        const cameras = admin();
        const input = validate(NewCameraSchema, await jsonBody(c), 'body');
        const user = c.get('user').name;
        const at = now();
        const added = await run(() =>
          cameras.add(input, user, at, () =>
            deps.audit.record({ at, user, action: 'add_camera', subject: `camera:${input.id}`, detail: redactUrl(input.url) }),
          ),
        );
        return c.json({ camera: added }, 201);
      },
      'DELETE /api/admin/cameras/:id': async (c) => {
        const cameras = admin();
        const { id } = validate(CameraIdSchema, c.req.param(), 'path');
        const user = c.get('user').name;
        const at = now();
        const { stopped } = await run(() => cameras.remove(id, () => deps.audit.record({ at, user, action: 'remove_camera', subject: `camera:${id}` })));
        return c.json({ removed: id, stopped });
      },
    };
  },
};
