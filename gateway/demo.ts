import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ensureMedia } from '../scripts/media';
import { CameraSimulator } from '../streams';
import { parseConfig, type GatewayConfig } from './config';

export interface Demo {
  config: GatewayConfig;
  adminToken: string;
  simulator?: CameraSimulator;
  note: string;
}

const SIMULATOR_PACKAGES = ['python3-gi', 'gir1.2-gst-rtsp-server-1.0', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad'];

function simulatorAvailable(): boolean {
  const probe = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Installs the simulator's Debian packages when this process may (root with apt-get); says what it did. */
function installSimulatorPackages(): string | undefined {
  if (simulatorAvailable()) return undefined;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return 'GStreamer RTSP server not installed and not root: cannot install it';
  console.log(`installing the camera simulator's packages: ${SIMULATOR_PACKAGES.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...SIMULATOR_PACKAGES], { stdio: 'inherit', env });
  return r.status === 0 ? undefined : `apt-get install failed (${r.status})`;
}

/**
 * `npm start` with no configuration: two cameras from the real pedestrian video, one watching a
 * queue zone and one a restricted zone, served by the RTSP simulator when GStreamer is installed,
 * else read straight from the video file (and saying so).
 */
export async function demoConfig(port: number): Promise<Demo> {
  const adminToken = randomBytes(24).toString('hex');
  let simulator: CameraSimulator | undefined;
  let urls: [string, string];
  let note: string;
  const installProblem = installSimulatorPackages();
  try {
    if (installProblem) throw new Error(installProblem);
    simulator = await CameraSimulator.start({ cameras: [{ name: 'queue-hall' }, { name: 'back-street' }] });
    urls = [simulator.url('queue-hall'), simulator.url('back-street')];
    note = `cameras from the RTSP simulator at rtsp://127.0.0.1:${simulator.port}/`;
  } catch (err) {
    const video = ensureMedia(['vtest.avi'])['vtest.avi'];
    urls = [video, video];
    note = `RTSP simulator unavailable (${(err as Error).message.split('\n')[0]}); reading ${video} directly. Install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad} for real RTSP cameras`;
  }
  const config = parseConfig({
    site: { id: 'demo-site', name: 'Demo one-stop service centre' },
    cameras: [
      {
        id: 'queue-hall',
        name: 'Queue hall',
        url: urls[0],
        role: 'queue',
        zones: [{ id: 'queue-a', name: 'Queue A', type: 'queue', points: [[0, 0.35], [0.45, 0.35], [0.45, 1], [0, 1]], maxLength: 4, maxWaitSeconds: 600 }],
      },
      {
        id: 'back-street',
        name: 'Back street',
        url: urls[1],
        role: 'street',
        zones: [{ id: 'staff-only', name: 'Staff only', type: 'restricted', points: [[0.6, 0.3], [1, 0.3], [1, 1], [0.6, 1]] }],
      },
    ],
    users: [{ name: 'admin', role: 'admin', token: adminToken }],
    storage: { dataDir: process.env.DEMO_DATA_DIR ?? 'data/demo' },
    api: { host: '127.0.0.1', port },
  });
  return { config, adminToken, ...(simulator ? { simulator } : {}), note };
}
