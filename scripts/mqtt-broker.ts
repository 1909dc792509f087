/**
 * A small MQTT broker for the demo and the tests (aedes, a dev dependency; any broker works):
 *
 *   npx tsx scripts/mqtt-broker.ts [--port 1883] [--host 127.0.0.1] [--username u] [--tls-cert c.pem --tls-key k.pem] [--exit-with-parent]
 *
 * With --username, clients must log in with it and the password in MQTT_BROKER_PASSWORD. Retained
 * messages live in memory: a restarted broker has none until publishers send them again. Prints
 * one line "mqtt broker listening on <url>" once it accepts connections; SIGTERM/SIGINT stop it.
 */
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { parseArgs } from 'node:util';
import { Aedes, type AuthenticateError } from 'aedes';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '1883' },
    username: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    /** Exit when the process that started this one is gone (tests: no broker outlives its test run). */
    'exit-with-parent': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: not a port number: ${values.port}`);
  process.exit(2);
}
const password = process.env.MQTT_BROKER_PASSWORD;
if (values.username && !password) {
  console.error('--username needs the password in MQTT_BROKER_PASSWORD');
  process.exit(2);
}

const broker = await Aedes.createBroker({
  ...(values.username
    ? {
        authenticate: (_client, username, given, done) => {
          if (username === values.username && given?.toString() === password) return done(null, true);
          const err = new Error('bad user name or password') as AuthenticateError;
          err.returnCode = 4;
          done(err, null);
        },
      }
    : {}),
});
const tls = values['tls-cert'] && values['tls-key'] ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) } : undefined;
const server: Server = tls ? createTlsServer(tls, broker.handle) : createTcpServer(broker.handle);
server.on('error', (err) => {
  console.error(`mqtt broker: ${err.message}`);
  process.exit(1);
});
server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`mqtt broker listening on ${tls ? 'mqtts' : 'mqtt'}://${values.host}:${actual}`);
});

const stop = () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (values['exit-with-parent']) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}
