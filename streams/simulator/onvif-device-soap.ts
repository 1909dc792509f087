/**
 * The SOAP texts the simulated ONVIF device answers with (Profile S, Media 1): what agsh/onvif's
 * Cam reads in `connect` (GetSystemDateAndTime, GetServices, GetCapabilities, GetProfiles,
 * GetVideoSources) and after it (GetDeviceInformation, GetStreamUri), and the WS-Discovery ProbeMatch.
 */

export interface SimulatedProfile {
  /** ONVIF profile token, e.g. `main`. */
  token: string;
  name: string;
  width: number;
  height: number;
  fps: number;
  /** What GetStreamUri answers for this profile (no credentials, as real devices answer). */
  uri: string;
}

export interface SimulatedIdentity {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardware: string;
  /** Shown in the discovery scopes (onvif://www.onvif.org/name/...). */
  name: string;
}

const NS =
  'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" ' +
  'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"';

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope ${NS}><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function fault(subcode: string, reason: string): string {
  return envelope(
    '<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>' +
      `<SOAP-ENV:Subcode><SOAP-ENV:Value>${subcode}</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>` +
      `<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${xmlEscape(reason)}</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`,
  );
}

export function systemDateAndTime(now: Date): string {
  const t = `<tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>`;
  const d = `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date>`;
  return envelope(
    '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
      `<tt:TimeZone><tt:TZ>UTC</tt:TZ></tt:TimeZone><tt:UTCDateTime>${t}${d}</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
  );
}

function service(namespace: string, xaddr: string): string {
  return `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${xmlEscape(xaddr)}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
}

export function services(deviceXaddr: string, mediaXaddr: string): string {
  return envelope(`<tds:GetServicesResponse>${service('http://www.onvif.org/ver10/device/wsdl', deviceXaddr)}${service('http://www.onvif.org/ver10/media/wsdl', mediaXaddr)}</tds:GetServicesResponse>`);
}

export function capabilities(deviceXaddr: string, mediaXaddr: string): string {
  return envelope(
    `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${xmlEscape(deviceXaddr)}</tt:XAddr></tt:Device>` +
      `<tt:Media><tt:XAddr>${xmlEscape(mediaXaddr)}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>` +
      '<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>',
  );
}

export function deviceInformation(id: SimulatedIdentity): string {
  return envelope(
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${xmlEscape(id.manufacturer)}</tds:Manufacturer><tds:Model>${xmlEscape(id.model)}</tds:Model>` +
      `<tds:FirmwareVersion>${xmlEscape(id.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${xmlEscape(id.serial)}</tds:SerialNumber>` +
      `<tds:HardwareId>${xmlEscape(id.hardware)}</tds:HardwareId></tds:GetDeviceInformationResponse>`,
  );
}

function profile(p: SimulatedProfile, source: { width: number; height: number }): string {
  return (
    `<trt:Profiles token="${xmlEscape(p.token)}" fixed="true"><tt:Name>${xmlEscape(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc0"><tt:Name>VideoSource</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>vs0</tt:SourceToken>` +
    `<tt:Bounds x="0" y="0" width="${source.width}" height="${source.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="venc-${xmlEscape(p.token)}"><tt:Name>${xmlEscape(p.name)}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>` +
    '<tt:H264><tt:GovLength>30</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264></tt:VideoEncoderConfiguration></trt:Profiles>'
  );
}

/** The largest profile is the video source's size. */
function sourceSize(profiles: readonly SimulatedProfile[]): { width: number; height: number } {
  const largest = [...profiles].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  return largest ? { width: largest.width, height: largest.height } : { width: 0, height: 0 };
}

export function profilesAnswer(profiles: readonly SimulatedProfile[]): string {
  const source = sourceSize(profiles);
  return envelope(`<trt:GetProfilesResponse>${profiles.map((p) => profile(p, source)).join('')}</trt:GetProfilesResponse>`);
}

export function videoSources(profiles: readonly SimulatedProfile[]): string {
  const { width, height } = sourceSize(profiles);
  const fps = Math.max(...profiles.map((p) => p.fps), 1);
  return envelope(
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="vs0"><tt:Framerate>${fps}</tt:Framerate>` +
      `<tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`,
  );
}

export function streamUri(uri: string): string {
  return envelope(
    `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${xmlEscape(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
      '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>',
  );
}

/** A WS-Discovery ProbeMatches answering the probe `relatesTo` (its MessageID). */
export function probeMatches(o: { relatesTo: string; messageId: string; endpoint: string; xaddr: string; identity: SimulatedIdentity }): string {
  const scopes = [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/name/${encodeURIComponent(o.identity.name)}`,
    `onvif://www.onvif.org/hardware/${encodeURIComponent(o.identity.hardware)}`,
    'onvif://www.onvif.org/location/country/vietnam',
  ].join(' ');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<SOAP-ENV:Header><wsa:MessageID>${xmlEscape(o.messageId)}</wsa:MessageID><wsa:RelatesTo>${xmlEscape(o.relatesTo)}</wsa:RelatesTo>` +
    '<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>' +
    `<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${xmlEscape(o.endpoint)}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${xmlEscape(scopes)}</d:Scopes><d:XAddrs>${xmlEscape(o.xaddr)}</d:XAddrs>` +
    '<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}
