import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { DiscoveryError } from './errors';
import { parseProbeMatches, probeMessage, type DiscoveredDevice } from './probe-xml';

export interface ProbeTarget {
  /** The WS-Discovery multicast group (239.255.255.250) or one host's unicast address. */
  address: string;
  port: number;
}

/** Answers beyond this are ignored (a network of cameras is tens of devices; this bounds a flood). */
const MAX_DEVICES = 256;
/** SOAP-over-UDP repeats a probe: UDP may drop the first one. */
const REPEAT_AFTER_MS = 250;

const isMulticast = (address: string) => isIPv4(address) && Number(address.split('.')[0]) >= 224 && Number(address.split('.')[0]) <= 239;

/**
 * Sends a WS-Discovery Probe for ONVIF video devices to `target` and collects the ProbeMatches that
 * answer it for `timeoutMs`: devices by endpoint, first answer wins. No answer is an empty list; a
 * probe that cannot be sent at all (no route to the group) is a DiscoveryError.
 */
export function probeDevices(target: ProbeTarget, timeoutMs: number): Promise<DiscoveredDevice[]> {
  const { messageId, xml } = probeMessage();
  const socket = createSocket({ type: 'udp4', reuseAddr: false });
  const found = new Map<string, DiscoveredDevice>();
  const parsing: Array<Promise<void>> = [];
  return new Promise<DiscoveredDevice[]>((resolve, reject) => {
    let repeat: NodeJS.Timeout | undefined;
    let done: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(repeat);
      clearTimeout(done);
      socket.removeAllListeners('message');
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (err) reject(new DiscoveryError(502, `the discovery probe to ${target.address}:${target.port} could not be sent: ${err.message}`));
      else void Promise.all(parsing).then(() => resolve([...found.values()]));
    };
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg, rinfo) => {
      if (found.size >= MAX_DEVICES) return;
      parsing.push(
        parseProbeMatches(msg.toString('utf8'), messageId, rinfo.address).then((devices) => {
          for (const d of devices) if (!found.has(d.endpoint) && found.size < MAX_DEVICES) found.set(d.endpoint, d);
        }),
      );
    });
    socket.bind(0, () => {
      if (isMulticast(target.address)) socket.setMulticastTTL(1);
      const send = () => socket.send(xml, target.port, target.address, (err) => err && finish(err));
      send();
      repeat = setTimeout(send, Math.min(REPEAT_AFTER_MS, timeoutMs / 2));
      done = setTimeout(() => finish(), timeoutMs);
    });
  });
}
