/**
 * Gateway entry point. `npm start` runs the built-in demo; `npm start -- --config gateway.yaml` (or
 * GATEWAY_CONFIG) runs a site. A bad configuration exits non-zero before anything starts.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { setModelsLogger } from '../models';
import { installShutdownHooks, setStreamsLogger } from '../streams';
import { ConfigError, loadConfigFile, type GatewayConfig } from './config';
import { DEMO_ONVIF_LOGIN, demoConfig, type Demo } from './demo';
import { GatewayService } from './service';

const log = pino({
  name: 'gateway',
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: ['token', '*.token', 'url', '*.url', 'password', '*.password', '*.mqtt.password', 'authorization', '*.authorization'], censor: '[redacted]' },
});
setModelsLogger(log.child({ part: 'models' }));
setStreamsLogger(log.child({ part: 'streams' }));

/**
 * Under `npm start` the gateway is npm's child (the script execs node, so npm's SIGTERM reaches it);
 * should npm die without passing a signal on (SIGKILL), the gateway stops as if sent SIGTERM rather
 * than run on as an orphan.
 */
function stopWithNpm(): void {
  if (process.env.npm_lifecycle_event !== 'start') return;
  const npm = process.ppid;
  setInterval(() => {
    if (process.ppid !== npm) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const path = values.config ?? process.env.GATEWAY_CONFIG;
  let config: GatewayConfig;
  let demo: Demo | undefined;
  if (path) {
    config = loadConfigFile(path);
  } else {
    demo = await demoConfig(Number(process.env.PORT ?? 8080));
    config = demo.config;
  }
  const service = await GatewayService.start(config, log);
  installShutdownHooks(async () => {
    await service.stop();
    await demo?.onvifDevice?.stop();
    await demo?.simulator?.stop();
    // Up to 8 s (under Docker's 10 s): pending clips are assembled and the MQTT feed says offline
    // after the event ends are saved; past it ffmpeg children are killed and the process exits.
  }, 8000);
  stopWithNpm();
  console.log(`\nGateway '${config.site.name}' is running: ${service.url}`);
  console.log(`  cameras: ${config.cameras.map((c) => c.id).join(', ')}`);
  console.log(`  dashboard: ${service.url}/ (log in with a user's token${demo ? ', e.g. the admin token below' : ''})`);
  if (demo) {
    console.log(`  demo: ${demo.note}`);
    console.log(`  admin token: ${demo.adminToken}`);
    if (demo.onvifDevice) console.log(`  add a camera: ${service.url}/admin/cameras (search finds the simulated ONVIF camera; user ${DEMO_ONVIF_LOGIN.user}, password ${DEMO_ONVIF_LOGIN.password})`);
    console.log(`  try: curl -H 'Authorization: Bearer ${demo.adminToken}' ${service.url}/api/cameras`);
  }
  if (demo && config.sync) console.log(`  central: ${config.sync.url} (heartbeat every ${config.sync.heartbeatSeconds} s)`);
  if (config.mqtt) console.log(`  mqtt: ${config.mqtt.url}, topics ${config.mqtt.topicPrefix ?? `gateway/${config.site.id}`}/#`);
  console.log('  stop with Ctrl+C\n');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
