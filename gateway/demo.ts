import { randomBytes } from 'node:crypto';
import { ensureMedia } from '../scripts/media';
import { CameraSimulator } from '../streams';
import { parseConfig, type GatewayConfig } from './config';

export interface Demo {
  config: GatewayConfig;
  adminToken: string;
  simulator?: CameraSimulator;
  note: string;
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
  try {
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
    storage: { dataDir: 'data/demo' },
    api: { host: '127.0.0.1', port },
  });
  return { config, adminToken, ...(simulator ? { simulator } : {}), note };
}
