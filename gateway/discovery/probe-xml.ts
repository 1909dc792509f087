import { randomUUID } from 'node:crypto';
import xml2js from 'xml2js';

/** One device that answered a probe: its WS-Discovery endpoint, service addresses and scopes. */
export interface DiscoveredDevice {
  /** EndpointReference address (urn:uuid:...): the device's identity across address changes. */
  endpoint: string;
  /** The device service address to use (http(s)://.../onvif/device_service), preferring the answering host. */
  xaddr: string;
  xaddrs: string[];
  /** From the scopes onvif://www.onvif.org/name/... and /hardware/... (absent when not announced). */
  name?: string;
  hardware?: string;
  /** The address the answer came from. */
  address: string;
}

/** A WS-Discovery Probe for ONVIF video devices (dn:NetworkVideoTransmitter), with its MessageID. */
export function probeMessage(messageId = `urn:uuid:${randomUUID()}`): { messageId: string; xml: string } {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>${messageId}</a:MessageID>` +
    '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';
  return { messageId, xml };
}

type Node = Record<string, unknown>;

function children(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as Node)[name];
  return Array.isArray(value) ? value : [];
}

function text(node: unknown, name: string): string | undefined {
  const first = children(node, name)[0];
  const value = typeof first === 'string' ? first : first && typeof first === 'object' ? (first as Node)._ : undefined;
  return typeof value === 'string' ? value.trim() : undefined;
}

function scope(scopes: string[], kind: 'name' | 'hardware'): string | undefined {
  const prefix = `onvif://www.onvif.org/${kind}/`;
  const found = scopes.find((s) => s.toLowerCase().startsWith(prefix));
  if (!found) return undefined;
  const raw = found.slice(prefix.length);
  try {
    return decodeURIComponent(raw).slice(0, 120);
  } catch {
    return raw.slice(0, 120);
  }
}

/** Device service addresses a client may call: http(s) URLs only. */
function serviceAddresses(xaddrs: string | undefined): string[] {
  return (xaddrs ?? '').split(/\s+/).filter((a) => {
    try {
      return ['http:', 'https:'].includes(new URL(a).protocol);
    } catch {
      return false;
    }
  });
}

/**
 * The devices in a ProbeMatches message answering `messageId` (a RelatesTo naming another probe is
 * ignored); anything that is not a well-formed ProbeMatches gives no device, never an error.
 */
export async function parseProbeMatches(xml: string, messageId: string, from: string): Promise<DiscoveredDevice[]> {
  let doc: unknown;
  try {
    doc = await xml2js.parseStringPromise(xml, { tagNameProcessors: [xml2js.processors.stripPrefix] });
  } catch {
    return [];
  }
  const envelope = children(doc, 'Envelope')[0] ?? (doc as Node | undefined)?.Envelope;
  const relatesTo = text(children(envelope, 'Header')[0], 'RelatesTo');
  if (relatesTo !== undefined && relatesTo !== messageId) return [];
  const matches = children(envelope, 'Body').flatMap((b) => children(b, 'ProbeMatches')).flatMap((m) => children(m, 'ProbeMatch'));
  const devices: DiscoveredDevice[] = [];
  for (const match of matches) {
    const endpoint = text(children(match, 'EndpointReference')[0], 'Address');
    const xaddrs = serviceAddresses(text(match, 'XAddrs'));
    if (!endpoint || xaddrs.length === 0) continue;
    const scopes = (text(match, 'Scopes') ?? '').split(/\s+/).filter(Boolean);
    const xaddr = xaddrs.find((a) => new URL(a).hostname === from) ?? xaddrs[0]!;
    const name = scope(scopes, 'name');
    const hardware = scope(scopes, 'hardware');
    devices.push({ endpoint: endpoint.slice(0, 200), xaddr, xaddrs, ...(name ? { name } : {}), ...(hardware ? { hardware } : {}), address: from });
  }
  return devices;
}
