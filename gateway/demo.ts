import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { aptInstaller, type AptInstaller } from '../scripts/apt-install';
import { ensureMedia } from '../scripts/media';
import { ensureSystemFfmpeg, onPath } from '../scripts/system-ffmpeg';
import { CameraSimulator, OnvifDeviceSimulator } from '../streams';
import { parseConfig, type GatewayConfig, type ZoneConfig } from './config';

export interface Demo {
  config: GatewayConfig;
  adminToken: string;
  simulator?: CameraSimulator;
  /** A simulated ONVIF camera (not configured) for the "Add camera" page to find. */
  onvifDevice?: OnvifDeviceSimulator;
  note: string;
}

/** The demo simulator's RTSP ports (plain, with credentials) when free; random ones otherwise. */
const DEMO_RTSP_PORTS = [8554, 8555] as const;

/** The simulated ONVIF camera's login (a demo value, printed by `npm start`). */
export const DEMO_ONVIF_LOGIN = { user: 'installer', password: 'demo-onvif-1' };

const SIMULATOR_PACKAGES = ['python3-gi', 'gir1.2-gst-rtsp-server-1.0', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad'];

function simulatorAvailable(): boolean {
  const probe = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"], { stdio: 'ignore' });
  return probe.status === 0;
}

/** apt-get, with its output in the demo's data dir, when this process may install packages (root). */
function installerFor(dataDir: string): AptInstaller | undefined {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return undefined;
  return aptInstaller({ logFile: join(dataDir, 'install.log') });
}

/** Installs the simulator's Debian packages when it may; says why the simulator cannot run otherwise. */
function installSimulatorPackages(installer: AptInstaller | undefined): string | undefined {
  if (simulatorAvailable()) return undefined;
  if (!installer) return 'GStreamer RTSP server not installed and not root: cannot install it';
  return installer.install("the camera simulator's packages", SIMULATOR_PACKAGES) ? undefined : 'its packages could not be installed';
}

/**
 * The demo cameras' zones on vtest.avi (both cameras show it): a queue and the entrance line in the
 * hall (walking rightwards across x = 0.45 is in), the lawn of the back street as a restricted area. The evaluation (benchmarks/eval) scores exactly these.
 */
export const DEMO_ZONES: Record<'queue-hall' | 'back-street', ZoneConfig[]> = {
  'queue-hall': [
    { id: 'queue-a', name: 'Queue A', type: 'queue', points: [[0, 0.35], [0.45, 0.35], [0.45, 1], [0, 1]], maxLength: 4, maxWaitSeconds: 600 },
    { id: 'entrance', name: 'Entrance', type: 'line', points: [[0.45, 0.3], [0.45, 0.65]], inDirection: 'right' },
  ],
  // The lawn below the kerb: people cross it now and then (two at 51-79 s of the video), so its
  // incidents begin and end like a real restricted area's. A restricted zone on the walkway, which
  // someone occupies at every moment of the video, would be one incident without end.
  'back-street': [{ id: 'lawn', name: 'Lawn (no entry)', type: 'restricted', points: [[0, 0.46], [0.41, 0.56], [0.61, 0.66], [1, 0.89], [1, 1], [0, 1]] }],
};

/**
 * `npm start` with no configuration: two cameras from the real pedestrian video, one watching a
 * queue zone and one a restricted zone, served by the RTSP simulator when GStreamer is installed,
 * else read straight from the video file (and saying so).
 */
export async function demoConfig(port: number): Promise<Demo> {
  const adminToken = randomBytes(24).toString('hex');
  let simulator: CameraSimulator | undefined;
  let onvifDevice: OnvifDeviceSimulator | undefined;
  let urls: [string, string];
  let note: string;
  const dataDir = process.env.DEMO_DATA_DIR ?? 'data/demo';
  const installer = installerFor(dataDir);
  ensureSystemFfmpeg({ ...(installer ? { installer } : {}) });
  const installProblem = installSimulatorPackages(installer);
  try {
    if (installProblem) throw new Error(installProblem);
    const cameras = [{ name: 'queue-hall' }, { name: 'back-street' }, { name: 'lobby-main', resolution: '720p' as const, credentials: DEMO_ONVIF_LOGIN }, { name: 'lobby-sub', resolution: '576p' as const, credentials: DEMO_ONVIF_LOGIN }];
    // Fixed ports when free, so a camera added from the "Add camera" page (stored with its URL) streams again after a restart.
    simulator = await CameraSimulator.start({ cameras, port: DEMO_RTSP_PORTS[0], securePort: DEMO_RTSP_PORTS[1] }).catch(() => CameraSimulator.start({ cameras }));
    urls = [simulator.url('queue-hall'), simulator.url('back-street')];
    note = `cameras from the RTSP simulator at rtsp://127.0.0.1:${simulator.port}/`;
  } catch (err) {
    const video = ensureMedia(['vtest.avi'])['vtest.avi'];
    urls = [video, video];
    note = `RTSP simulator unavailable (${(err as Error).message.split('\n')[0]}); reading ${video} directly. Install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad} for real RTSP cameras`;
  }
  if (simulator) {
    // A third camera, not configured: an ONVIF device on 127.0.0.1 that the "Add camera" page's search finds.
    try {
      onvifDevice = await OnvifDeviceSimulator.start({
        credentials: DEMO_ONVIF_LOGIN,
        identity: { name: 'Demo lobby camera' },
        profiles: [
          { token: 'main', name: 'MainStream', width: 960, height: 720, fps: 15, uri: simulator.url('lobby-main', { credentials: false }) },
          { token: 'sub', name: 'SubStream', width: 768, height: 576, fps: 15, uri: simulator.url('lobby-sub', { credentials: false }) },
        ],
      });
      note += '; a simulated ONVIF camera answers the "Add camera" search';
    } catch (err) {
      note += `; the simulated ONVIF camera did not start (${(err as Error).message.split('\n')[0]}): "Add camera" takes typed addresses only`;
    }
  }
  const config = parseConfig({
    site: { id: 'demo-site', name: 'Demo one-stop service centre' },
    cameras: [
      {
        id: 'queue-hall',
        name: 'Queue hall',
        url: urls[0],
        zones: DEMO_ZONES['queue-hall'],
      },
      {
        id: 'back-street',
        name: 'Back street',
        url: urls[1],
        zones: DEMO_ZONES['back-street'],
      },
    ],
    users: [{ name: 'admin', role: 'admin', token: adminToken }],
    storage: { dataDir },
    api: { host: '127.0.0.1', port },
    // The "Add camera" search probes the simulated device by unicast (a site probes the WS-Discovery multicast group).
    ...(onvifDevice ? { discovery: { probeAddress: '127.0.0.1', probePort: onvifDevice.discoveryPort } } : {}),
    // MQTT_URL=mqtt://127.0.0.1:1883 npm start: the local event feed to that broker (README "Local event feed").
    ...(process.env.MQTT_URL ? { mqtt: { url: process.env.MQTT_URL } } : {}),
    // CENTRAL_URL=http://127.0.0.1:8090 CENTRAL_ENROLMENT_TOKEN=... npm start: the uplink to a central server
    // (README "Point the demo at a local central"); the credentials it gets stay in the demo's data folder.
    ...(process.env.CENTRAL_URL ? { sync: { url: process.env.CENTRAL_URL, enrolmentToken: process.env.CENTRAL_ENROLMENT_TOKEN ?? '', heartbeatSeconds: 10 } } : {}),
  });
  return { config, adminToken, ...(simulator ? { simulator } : {}), ...(onvifDevice ? { onvifDevice } : {}), note };
}
