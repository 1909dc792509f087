import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifDeviceSimulator } from '../../streams/simulator';
import { systemDateAndTime } from '../../streams/simulator/onvif-device-soap';
import { DiscoveryError, probeDevices, readDevice } from '../discovery';

const LOGIN = { username: 'installer', password: 'S3cret-pass!' };
let device: OnvifDeviceSimulator;
let silent: Socket;
let junk: Server;

beforeAll(async () => {
  device = await OnvifDeviceSimulator.start({
    credentials: { user: LOGIN.username, password: LOGIN.password },
    // Numeric-looking values must come back as the device wrote them (leading zeros, trailing .0).
    identity: { name: 'Lobby camera', hardware: 'ES-IPC-2M', firmware: '5.0', serial: '004711' },
    profiles: [
      { token: '000', name: 'MainStream', width: 1280, height: 720, fps: 15, uri: 'rtsp://127.0.0.1:8554/lobby-main' },
      { token: '001', name: 'SubStream', width: 640, height: 360, fps: 15, uri: 'rtsp://127.0.0.1:8554/lobby-sub?channel=1&subtype=1' },
    ],
  });
  silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
  // An HTTP server that answers every SOAP call with something that is not SOAP.
  junk = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>router login</body></html>'));
  await new Promise<void>((resolve) => junk.listen(0, '127.0.0.1', () => resolve()));
});

afterAll(async () => {
  await device?.stop();
  silent?.close();
  junk?.close();
});

describe('WS-Discovery probe (unicast to 127.0.0.1)', () => {
  it('finds the simulated device with its address, name and hardware', async () => {
    const found = await probeDevices({ address: '127.0.0.1', port: device.discoveryPort }, 600);
    expect(found).toEqual([{ endpoint: device.endpoint, xaddr: device.xaddr, xaddrs: [device.xaddr], name: 'Lobby camera', hardware: 'ES-IPC-2M', address: '127.0.0.1' }]);
  });

  it('answers an empty list, not an error, when nothing answers before the timeout', async () => {
    const silentPort = (silent.address() as AddressInfo).port;
    await expect(probeDevices({ address: '127.0.0.1', port: silentPort }, 300)).resolves.toEqual([]);
  });
});

describe('device details through the onvif client', () => {
  it('reads identity, both profiles and their RTSP URIs with the right credentials', async () => {
    const details = await readDevice({ xaddr: device.xaddr, ...LOGIN }, 5000);
    expect(details).toMatchObject({ xaddr: device.xaddr, manufacturer: 'EdgeSim', model: 'ES-IPC-2M', firmware: '5.0', serial: '004711' });
    expect(details.profiles).toEqual([
      { token: '000', name: 'MainStream', encoding: 'H264', width: 1280, height: 720, fps: 15, uri: 'rtsp://127.0.0.1:8554/lobby-main' },
      { token: '001', name: 'SubStream', encoding: 'H264', width: 640, height: 360, fps: 15, uri: 'rtsp://127.0.0.1:8554/lobby-sub?channel=1&subtype=1' },
    ]);
    // connect's calls, then ours: nothing was refused.
    expect(device.requests.filter((r) => r.endsWith('!'))).toEqual([]);
    expect(device.requests).toEqual(expect.arrayContaining(['GetSystemDateAndTime', 'GetServices', 'GetProfiles', 'GetVideoSources', 'GetDeviceInformation', 'GetStreamUri']));
  });

  it('refuses wrong credentials with a 422 naming the password field, without the password', async () => {
    const wrong = 'not-the-Password-42';
    const err = await readDevice({ xaddr: device.xaddr, username: LOGIN.username, password: wrong }, 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect(err).toMatchObject({ status: 422, field: 'password' });
    expect((err as Error).message).toMatch(/refused the user name or password/);
    expect((err as Error).message).not.toContain(wrong);
  });

  it('says a device that is not there did not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(readDevice({ xaddr: `http://127.0.0.1:${port}/onvif/device_service`, ...LOGIN }, 3000)).rejects.toMatchObject({ status: 502, field: 'xaddr' });
  });

  it('bounds a device that stops answering halfway (504 within the time limit)', async () => {
    // Tells its time (the first call of connect), then never answers again.
    const stalling = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (body.includes('GetSystemDateAndTime')) res.writeHead(200).end(systemDateAndTime(new Date()));
      });
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', () => resolve()));
    const port = (stalling.address() as AddressInfo).port;
    try {
      await expect(readDevice({ xaddr: `http://127.0.0.1:${port}/onvif/device_service`, ...LOGIN }, 1000)).rejects.toMatchObject({ status: 504, field: 'xaddr' });
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  });

  it('turns a device that answers something other than ONVIF into a 502, not a crash', async () => {
    const port = (junk.address() as AddressInfo).port;
    const err = await readDevice({ xaddr: `http://127.0.0.1:${port}/onvif/device_service`, ...LOGIN }, 3000).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, field: 'xaddr' });
    expect((err as Error).message).not.toContain(LOGIN.password);
  });
});
