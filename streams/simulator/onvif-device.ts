import { createHash, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as soap from './onvif-device-soap';
import type { SimulatedIdentity, SimulatedProfile } from './onvif-device-soap';

export type { SimulatedIdentity, SimulatedProfile } from './onvif-device-soap';

export interface OnvifDeviceOptions {
  /** What the device demands in its WS-Security UsernameToken (password digest). */
  credentials: { user: string; password: string };
  /** Media profiles, e.g. a main and a sub stream pointing at the RTSP simulator (URIs without credentials). */
  profiles: SimulatedProfile[];
  identity?: Partial<SimulatedIdentity>;
  /** 0 (default) picks free ports. Both listen on 127.0.0.1 only. */
  httpPort?: number;
  discoveryPort?: number;
}

const DEFAULT_IDENTITY: SimulatedIdentity = { manufacturer: 'EdgeSim', model: 'ES-IPC-2M', firmware: 'V5.7.3 build 241120', serial: 'ES2M-000417', hardware: 'ES-IPC-2M', name: 'EdgeSim Lobby' };
const MAX_BODY = 64 * 1024;
/** A UsernameToken's Created may be this far from the device clock (as cameras with replay protection allow). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The local name of an element's text: `<tt:Uri>x</tt:Uri>` or `<Uri>x</Uri>` → x (first occurrence). */
function textOf(xml: string, localName: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${localName}>`).exec(xml);
  return m?.[1]?.trim();
}

/** The first element inside the SOAP Body: the action. */
function actionOf(xml: string): string | undefined {
  return /<(?:[\w.-]+:)?Body(?:\s[^>]*)?>\s*<(?:[\w.-]+:)?([A-Za-z]+)/.exec(xml)?.[1];
}

/** WS-Security UsernameToken with PasswordDigest = base64(sha1(nonce + created + password)). */
function authorised(xml: string, credentials: OnvifDeviceOptions['credentials'], now: number): boolean {
  const [user, digest, nonce, created] = ['Username', 'Password', 'Nonce', 'Created'].map((n) => textOf(xml, n));
  if (user !== credentials.user || !digest || !nonce || !created) return false;
  const createdAt = Date.parse(created);
  if (!Number.isFinite(createdAt) || Math.abs(createdAt - now) > MAX_CLOCK_SKEW_MS) return false;
  const expected = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(credentials.password, 'utf8')]))
    .digest('base64');
  return expected === digest;
}

/**
 * A simulated ONVIF camera on 127.0.0.1: answers a unicast WS-Discovery Probe over UDP with a
 * ProbeMatch, and the SOAP calls an ONVIF client makes to read its model, profiles and stream URIs
 * over HTTP, checking WS-Security credentials (a wrong or missing token gets a NotAuthorized fault).
 */
export class OnvifDeviceSimulator {
  /** Every SOAP action asked for, in order (with `!` appended when refused for credentials). */
  readonly requests: string[] = [];
  readonly endpoint = `urn:uuid:${randomUUID()}`;
  readonly identity: SimulatedIdentity;
  /** Replaced by tests to answer a profile's GetStreamUri differently. */
  profiles: SimulatedProfile[];

  private constructor(
    private readonly options: OnvifDeviceOptions,
    private readonly http: Server,
    private readonly udp: Socket,
  ) {
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.profiles = options.profiles;
  }

  static async start(options: OnvifDeviceOptions): Promise<OnvifDeviceSimulator> {
    const udp = createSocket('udp4');
    const http = createServer();
    const device = new OnvifDeviceSimulator(options, http, udp);
    http.on('request', (req, res) => device.serve(req, res));
    udp.on('message', (msg, rinfo) => device.probe(msg.toString('utf8'), rinfo.address, rinfo.port));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.httpPort ?? 0, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(options.discoveryPort ?? 0, '127.0.0.1', () => resolve());
    });
    return device;
  }

  get httpPort(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get discoveryPort(): number {
    return this.udp.address().port;
  }

  /** The device service address, as announced in the ProbeMatch's XAddrs. */
  get xaddr(): string {
    return `http://127.0.0.1:${this.httpPort}/onvif/device_service`;
  }

  private get mediaXaddr(): string {
    return `http://127.0.0.1:${this.httpPort}/onvif/media_service`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private probe(xml: string, address: string, port: number): void {
    if (actionOf(xml) !== 'Probe') return;
    const types = textOf(xml, 'Types');
    if (types && !/(^|\s|:)NetworkVideoTransmitter(\s|$)/.test(types)) return;
    const answer = soap.probeMatches({ relatesTo: textOf(xml, 'MessageID') ?? '', messageId: `urn:uuid:${randomUUID()}`, endpoint: this.endpoint, xaddr: this.xaddr, identity: this.identity });
    this.udp.send(answer, port, address);
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const { status, body } = this.answer(req.method ?? '', Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(body);
    });
  }

  private answer(method: string, xml: string): { status: number; body: string } {
    const action = method === 'POST' ? actionOf(xml) : undefined;
    if (!action) return { status: 400, body: soap.fault('ter:InvalidArgVal', 'not a SOAP request') };
    if (action === 'GetSystemDateAndTime') {
      this.requests.push(action);
      return { status: 200, body: soap.systemDateAndTime(new Date()) };
    }
    if (!authorised(xml, this.options.credentials, Date.now())) {
      this.requests.push(`${action}!`);
      return { status: 400, body: soap.fault('ter:NotAuthorized', 'Sender not Authorized') };
    }
    this.requests.push(action);
    switch (action) {
      case 'GetServices':
        return { status: 200, body: soap.services(this.xaddr, this.mediaXaddr) };
      case 'GetCapabilities':
        return { status: 200, body: soap.capabilities(this.xaddr, this.mediaXaddr) };
      case 'GetDeviceInformation':
        return { status: 200, body: soap.deviceInformation(this.identity) };
      case 'GetProfiles':
        return { status: 200, body: soap.profilesAnswer(this.profiles) };
      case 'GetVideoSources':
        return { status: 200, body: soap.videoSources(this.profiles) };
      case 'GetStreamUri': {
        const profile = this.profiles.find((p) => p.token === textOf(xml, 'ProfileToken'));
        return profile ? { status: 200, body: soap.streamUri(profile.uri) } : { status: 400, body: soap.fault('ter:InvalidArgVal', 'no such profile') };
      }
      default:
        return { status: 400, body: soap.fault('ter:ActionNotSupported', `${action} is not supported`) };
    }
  }
}
