import { CameraConfigSchema, type CameraConfig } from '../config';
import type { Db } from '../store/db';
import { RuntimeCameraStore } from '../store/runtime-cameras';
import { grabSnapshot } from '../../streams/camera/snapshot';
import { CameraSourceSchema } from '../../streams/camera/config';
import { redactUrl } from '../../streams/camera/redact';
import type { DiscoveryConfig } from './config';
import { readDevice, type DeviceDetails } from './device';
import { DiscoveryError } from './errors';
import { probeDevices } from './probe';
import type { DiscoveredDevice } from './probe-xml';
import type { DeviceLoginInput, NewCamera, StillRequest } from './schemas';
import { withCredentials } from './stream-url';

/** A camera as the admin page lists it: never its credentials. */
export interface CameraListing {
  id: string;
  name?: string;
  /** The stream URL, password masked. */
  url: string;
  origin: 'config' | 'runtime';
  enabled: boolean;
  detectFps: number;
  detectSize: { width: number; height: number };
  addedBy?: string;
  addedAt?: number;
  device?: string;
  /** A stored run-time camera whose id the configuration file now uses: the file's camera runs. */
  shadowed?: boolean;
}

export interface CameraAdmin {
  /** WS-Discovery probe to the configured target; no answer is an empty list. */
  discover(): Promise<DiscoveredDevice[]>;
  /** A device's identity, profiles and RTSP URIs (credentials stripped), read with the admin's login. */
  device(login: DeviceLoginInput): Promise<DeviceDetails>;
  /** One JPEG from the stream (credentials added), within discovery.stillTimeoutMs. */
  still(request: StillRequest): Promise<Buffer>;
  /** Configured cameras first, then the run-time ones. */
  cameras(): CameraListing[];
  /** Stores and starts the camera; `alsoInTransaction` (the audit entry) commits with the row. */
  add(input: NewCamera, user: string, at: number, alsoInTransaction?: () => void): CameraListing;
  /** Deletes a run-time camera's row and stops it when the gateway can (else it stops at the next restart). */
  /** Deletes the row, then stops the camera (answering once it has stopped). */
  remove(id: string, alsoInTransaction?: () => void): Promise<{ stopped: boolean }>;
}

export interface CameraAdminDeps {
  db: Db;
  /** The configuration file's cameras: their ids are taken. */
  fileCameras: readonly CameraConfig[];
  config: DiscoveryConfig;
  /** Starts the camera's stream and pipeline now; throws to refuse (the row is then not kept). */
  startCamera: (camera: CameraConfig) => void;
  /** Stops a running run-time camera (absent: removal takes effect at the next restart). */
  stopCamera?: (id: string) => Promise<void> | void;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}

/** ffmpeg processes for test stills at once (each decodes a full-resolution keyframe). */
const MAX_STILLS = 2;

function listing(camera: CameraConfig, origin: CameraListing['origin']): CameraListing {
  return {
    id: camera.id,
    ...(camera.name ? { name: camera.name } : {}),
    url: redactUrl(camera.url),
    origin,
    enabled: camera.enabled,
    detectFps: camera.detectFps,
    detectSize: camera.detectSize,
  };
}

/** The "Add camera" page's logic: discovery, device details, test stills and the run-time camera list. */
export function createCameraAdmin(deps: CameraAdminDeps): CameraAdmin {
  const store = new RuntimeCameraStore(deps.db);
  const fileIds = new Set(deps.fileCameras.map((c) => c.id));
  let probing: Promise<DiscoveredDevice[]> | undefined;
  let stills = 0;

  return {
    discover() {
      // Clicks while a probe runs share its answer: one probe on the network at a time.
      probing ??= probeDevices({ address: deps.config.probeAddress, port: deps.config.probePort }, deps.config.timeoutMs).finally(() => {
        probing = undefined;
      });
      return probing;
    },

    device: (login) => readDevice(login, deps.config.deviceTimeoutMs),

    async still(request) {
      if (stills >= MAX_STILLS) throw new DiscoveryError(429, `${MAX_STILLS} test stills are already being taken; try again in a moment`);
      stills += 1;
      try {
        const url = withCredentials(request.url, request.username, request.password);
        return await grabSnapshot(CameraSourceSchema.parse({ id: 'test-still', url }), deps.config.stillTimeoutMs);
      } catch (err) {
        throw new DiscoveryError(502, `no still frame from ${redactUrl(request.url)}: ${(err as Error).message.replace("camera 'test-still'", 'the stream')}`, 'url');
      } finally {
        stills -= 1;
      }
    },

    cameras() {
      const runtime = store.list().map((r) => ({
        ...listing(r.camera, 'runtime'),
        addedBy: r.addedBy,
        addedAt: r.addedAt,
        ...(r.device ? { device: r.device } : {}),
        ...(fileIds.has(r.camera.id) ? { shadowed: true } : {}),
      }));
      return [...deps.fileCameras.map((c) => listing(c, 'config')), ...runtime];
    },

    add(input, user, at, alsoInTransaction) {
      if (fileIds.has(input.id)) throw new DiscoveryError(409, `id: camera '${input.id}' is in the configuration file; choose another id`, 'id');
      if (store.has(input.id)) throw new DiscoveryError(409, `id: camera '${input.id}' was already added`, 'id');
      if (store.count() >= deps.config.maxRuntimeCameras) {
        throw new DiscoveryError(409, `at most ${deps.config.maxRuntimeCameras} cameras can be added at run time (discovery.maxRuntimeCameras)`);
      }
      const { username, password, device, url, ...rest } = input;
      const parsed = CameraConfigSchema.safeParse({ ...rest, url: withCredentials(url, username, password) });
      if (!parsed.success) throw new DiscoveryError(400, `${parsed.error.issues[0]!.path.join('.') || 'body'}: ${parsed.error.issues[0]!.message}`, String(parsed.error.issues[0]!.path[0] ?? 'body'));
      const { role: _deprecated, ...camera } = parsed.data;
      try {
        store.add({ camera, addedBy: user, addedAt: at, ...(device ? { device } : {}) }, () => {
          alsoInTransaction?.();
          deps.startCamera(camera);
        });
      } catch (err) {
        throw new DiscoveryError(409, `camera '${camera.id}' could not be started: ${(err as Error).message}`, 'id');
      }
      deps.log.info({ camera: camera.id, url: redactUrl(camera.url), user }, 'camera added at run time and started');
      return { ...listing(camera, 'runtime'), addedBy: user, addedAt: at, ...(device ? { device } : {}) };
    },

    async remove(id, alsoInTransaction) {
      if (fileIds.has(id) && !store.has(id)) throw new DiscoveryError(409, `id: camera '${id}' is in the configuration file; remove it there`, 'id');
      if (!store.remove(id, alsoInTransaction)) throw new DiscoveryError(404, `no run-time camera '${id}'`, 'id');
      const stopped = deps.stopCamera !== undefined && !fileIds.has(id);
      if (stopped) await deps.stopCamera!(id);
      deps.log.info({ camera: id, stopped }, 'run-time camera removed');
      return { stopped };
    },
  };
}
