import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifDeviceSimulator } from '../simulator';

let device: OnvifDeviceSimulator;

beforeAll(async () => {
  device = await OnvifDeviceSimulator.start({
    credentials: { user: 'admin', password: 'pw-123456' },
    profiles: [{ token: 'sub', name: 'Sub', width: 640, height: 360, fps: 10, uri: 'rtsp://127.0.0.1:8554/sub?a=1&b=2' }],
  });
});
afterAll(async () => {
  await device?.stop();
});

/** Sends one datagram to the device's discovery port; the answers that come back within `ms`. */
async function probe(xml: string, ms = 300): Promise<string[]> {
  const socket = createSocket('udp4');
  const answers: string[] = [];
  socket.on('message', (m) => answers.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  socket.send(xml, device.discoveryPort, '127.0.0.1');
  await new Promise((r) => setTimeout(r, ms));
  socket.close();
  return answers;
}

const probeXml = (types: string) =>
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">' +
  `<s:Header><a:MessageID>urn:uuid:probe-1</a:MessageID></s:Header><s:Body><d:Probe><d:Types>${types}</d:Types></d:Probe></s:Body></s:Envelope>`;

const soap = (body: string) =>
  fetch(device.xaddr, {
    method: 'POST',
    headers: { 'content-type': 'application/soap+xml' },
    body: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}</s:Body></s:Envelope>`,
  });

describe('ONVIF device simulator', () => {
  it('answers a unicast probe for video transmitters with a ProbeMatch relating to it, and ignores other types', async () => {
    const [answer, ...more] = await probe(probeXml('dn:NetworkVideoTransmitter'));
    expect(more).toEqual([]);
    expect(answer).toContain('<wsa:RelatesTo>urn:uuid:probe-1</wsa:RelatesTo>');
    expect(answer).toContain(`<d:XAddrs>${device.xaddr}</d:XAddrs>`);
    expect(answer).toContain(`<wsa:Address>${device.endpoint}</wsa:Address>`);
    expect(await probe(probeXml('tds:Printer'))).toEqual([]);
    expect(await probe('not xml at all')).toEqual([]);
  });

  it('tells its time without credentials and refuses everything else without a valid UsernameToken', async () => {
    const time = await soap('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    expect(time.status).toBe(200);
    expect(await time.text()).toContain(`<tt:Year>${new Date().getUTCFullYear()}</tt:Year>`);
    const refused = await soap('<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('ter:NotAuthorized');
    expect(device.requests).toEqual(['GetSystemDateAndTime', 'GetProfiles!']);
    const get = await fetch(device.xaddr);
    expect(get.status).toBe(400);
  });
});
