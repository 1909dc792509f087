import xml2js from 'xml2js';

/**
 * Readers of a device's raw SOAP answers, for the values the onvif library's parsed objects alter:
 * it turns every numeric-looking text into a number, so a serial "0123" became 123, firmware "5.0"
 * became 5 and a profile token "000" became 0 (then asked for as "0").
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => ENTITIES[name]!);

/** The token attribute of every media profile, in document order (Media 1 and Media 2 answers alike). */
export function profileTokens(xml: string): string[] {
  return [...xml.matchAll(/<(?:[\w.-]+:)?Profiles\b[^>]*?\stoken\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => decode(m[1] ?? m[2] ?? ''));
}

export interface RawDeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

type Node = Record<string, unknown>;
const first = (node: unknown, name: string): unknown => (node && typeof node === 'object' && Array.isArray((node as Node)[name]) ? ((node as Node)[name] as unknown[])[0] : undefined);
const text = (node: unknown, name: string): string => {
  const v = first(node, name);
  const s = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as Node)._ : undefined;
  return typeof s === 'string' ? s.trim().slice(0, 120) : '';
};

/** GetDeviceInformationResponse's fields as the device wrote them; undefined when the answer is not one. */
export async function deviceInformation(xml: string): Promise<RawDeviceInformation | undefined> {
  try {
    const doc = (await xml2js.parseStringPromise(xml, { tagNameProcessors: [xml2js.processors.stripPrefix] })) as Node;
    const response = first(first(doc.Envelope, 'Body'), 'GetDeviceInformationResponse');
    if (!response) return undefined;
    return {
      manufacturer: text(response, 'Manufacturer'),
      model: text(response, 'Model'),
      firmwareVersion: text(response, 'FirmwareVersion'),
      serialNumber: text(response, 'SerialNumber'),
      hardwareId: text(response, 'HardwareId'),
    };
  } catch {
    return undefined;
  }
}
