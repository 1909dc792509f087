import { Cam } from 'onvif';
import { z } from 'zod';
import { maskCredentials } from '../../streams/camera/redact';
import { deviceInformation, profileTokens } from './device-xml';
import { DiscoveryError } from './errors';
import { withoutCredentials } from './stream-url';

export interface DeviceLogin {
  /** The device service address (http(s)://host[:port]/onvif/device_service). */
  xaddr: string;
  username: string;
  password: string;
}

export interface DeviceProfile {
  token: string;
  name: string;
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** The RTSP URI without credentials; absent with `uriError` when the device gave none. */
  uri?: string;
  uriError?: string;
}

export interface DeviceDetails {
  xaddr: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardware: string;
  profiles: DeviceProfile[];
}

const MAX_PROFILES = 16;
const MAX_TEXT = 120;

/** What the device says is external input: each field read leniently, numbers as numbers, the rest as short text. */
const shortText = z.union([z.string(), z.number()]).transform((v) => String(v).slice(0, MAX_TEXT));
const positive = z.coerce.number().positive().max(100_000).optional().catch(undefined);
const ProfileSchema = z.object({
  $: z.object({ token: shortText }),
  name: shortText.optional().catch(undefined),
  videoEncoderConfiguration: z
    .object({
      encoding: shortText.optional().catch(undefined),
      resolution: z.object({ width: positive, height: positive }).optional().catch(undefined),
      rateControl: z.object({ frameRateLimit: positive }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
const InfoSchema = z.object({
  manufacturer: shortText.catch(''),
  model: shortText.catch(''),
  firmwareVersion: shortText.catch(''),
  serialNumber: shortText.catch(''),
  hardwareId: shortText.catch(''),
});

/** The library's callbacks as a promise that settles once (its parser may call back twice on a bad answer), with the raw answer. */
function call<T>(start: (done: (err: Error | null, data?: T, xml?: string) => void) => void): Promise<{ data: T | undefined; xml: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    try {
      start((err, data, xml) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve({ data, xml: typeof xml === 'string' ? xml : '' });
      });
    } catch (err) {
      if (!settled) reject(err as Error);
      settled = true;
    }
  });
}

/** The device's refusal or silence, as a DiscoveryError whose text holds neither the password nor a URL's credentials. */
function refusal(err: unknown, login: DeviceLogin, where: string): DiscoveryError {
  if (err instanceof DiscoveryError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code;
  const scrubbed = maskCredentials(login.password.length >= 3 ? raw.split(login.password).join('***') : raw).slice(0, 200);
  if (/not ?authori[sz]ed|unauthori[sz]ed|authentication failed|sender not authori/i.test(raw)) {
    return new DiscoveryError(422, `the device at ${where} refused the user name or password`, 'password');
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
    return new DiscoveryError(502, `the device at ${where} did not answer (${code})`, 'xaddr');
  }
  if (/timeout/i.test(raw)) return new DiscoveryError(504, `the device at ${where} did not answer in time`, 'xaddr');
  return new DiscoveryError(502, `the device at ${where} gave no usable ONVIF answer: ${scrubbed}`, 'xaddr');
}

async function profileWithUri(cam: Cam, raw: unknown, rawToken: string | undefined): Promise<DeviceProfile | undefined> {
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const enc = p.videoEncoderConfiguration;
  const token = rawToken ?? p.$.token;
  const profile: DeviceProfile = {
    token,
    name: p.name ?? token,
    ...(enc?.encoding ? { encoding: enc.encoding } : {}),
    ...(enc?.resolution?.width ? { width: enc.resolution.width } : {}),
    ...(enc?.resolution?.height ? { height: enc.resolution.height } : {}),
    ...(enc?.rateControl?.frameRateLimit ? { fps: enc.rateControl.frameRateLimit } : {}),
  };
  try {
    const { data: answer } = await call<{ uri?: unknown }>((done) => cam.getStreamUri({ protocol: 'RTSP', profileToken: profile.token }, done));
    const uri = typeof answer?.uri === 'string' ? withoutCredentials(answer.uri) : undefined;
    return uri ? { ...profile, uri } : { ...profile, uriError: 'the device gave no RTSP URI for this profile' };
  } catch (err) {
    return { ...profile, uriError: maskCredentials((err as Error).message).slice(0, 200) };
  }
}

/**
 * Logs in to an ONVIF device with the agsh/onvif client (WS-Security digest, Media 1 or 2) and reads
 * its identity, media profiles and each profile's RTSP URI (credentials stripped). The whole
 * exchange is bounded by `timeoutMs`; every failure is a DiscoveryError. Wrong credentials are 422
 * naming `password`: a 401 would say the caller's own gateway session failed (the dashboard then
 * sends them to the login page).
 */
export async function readDevice(login: DeviceLogin, timeoutMs: number): Promise<DeviceDetails> {
  const url = new URL(login.xaddr);
  const where = `${url.protocol}//${url.host}`;
  const cam = new Cam({
    hostname: url.hostname,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    path: url.pathname,
    username: login.username,
    password: login.password,
    useSecure: url.protocol === 'https:',
    timeout: timeoutMs,
    autoconnect: false,
    // Devices behind NAT or with a stale network setting announce service addresses they cannot be reached at.
    preserveAddress: true,
  });
  cam.on('error', () => undefined);
  // connect reads the profiles; their tokens are taken from the raw answer (see device-xml.ts).
  let tokens: string[] = [];
  cam.on('rawResponse', (xml: string) => {
    if (/GetProfilesResponse/.test(xml)) tokens = profileTokens(xml);
  });
  const work = (async () => {
    await call((done) => cam.connect(done));
    const answer = await call((done) => cam.getDeviceInformation(done));
    const info = (await deviceInformation(answer.xml)) ?? InfoSchema.parse(answer.data ?? {});
    const rawProfiles: unknown[] = Array.isArray(cam.profiles) ? cam.profiles.slice(0, MAX_PROFILES) : [];
    const profiles: DeviceProfile[] = [];
    for (const [i, raw] of rawProfiles.entries()) {
      const profile = await profileWithUri(cam, raw, tokens.length === cam.profiles?.length ? tokens[i] : undefined);
      if (profile) profiles.push(profile);
    }
    return { xaddr: login.xaddr, manufacturer: info.manufacturer, model: info.model, firmware: info.firmwareVersion, serial: info.serialNumber, hardware: info.hardwareId, profiles };
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DiscoveryError(504, `the device at ${where} gave no complete answer within ${timeoutMs} ms`, 'xaddr')), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    throw refusal(err, login, where);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
