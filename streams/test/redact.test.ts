/**
 * Issue 11 item 1: URL masking that holds whatever a password contains, and the one mask every
 * string from ffmpeg goes through (real ffmpeg output: camera-credentials.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ffmpegOutputMask, maskCredentials, redactUrl } from '../camera/redact';

/** Every 3-character piece of `secret`. */
const pieces = (secret: string): string[] => Array.from({ length: Math.max(0, secret.length - 2) }, (_, i) => secret.slice(i, i + 3));

describe('redactUrl', () => {
  it("masks a password holding '@', '/' and ':' whole, keeping the user name", () => {
    expect(redactUrl('rtsp://viewer:p@ss/w:rd@10.0.0.5:554/live')).toBe('rtsp://viewer:***@10.0.0.5:554/live');
    expect(redactUrl('http://viewer:p@ss/w:rd@10.0.0.5/cam.ts')).toBe('http://viewer:***@10.0.0.5/cam.ts');
    expect(redactUrl('RTSPS://Admin:a:b:c@cam.local/x')).toBe('RTSPS://Admin:***@cam.local/x');
    expect(redactUrl('rtsp://viewer:@10.0.0.5/live')).toBe('rtsp://viewer:***@10.0.0.5/live');
  });

  it('leaves no 3-character piece of any of these passwords in its output', () => {
    const passwords = ['p@ss/w:rd', 'Ab:Cd@Ef/Gh', 'a?b#Cd@Ef', 'Zq@@Yw//Xv::', '@Zq/Wx@', 'wi?th=Q&x@Y', 'ha#sh@Me/Up', "q'uo\"te s@Pace", 'P%40ss%2FW%3Ard', 'x%3Ay'];
    for (const password of passwords) {
      const out = redactUrl(`rtsp://viewer:${password}@10.0.0.5:554/live`);
      expect(out, password).toBe('rtsp://viewer:***@10.0.0.5:554/live');
      expect(pieces(password).filter((p) => out.includes(p)), password).toEqual([]);
    }
  });

  it('masks a percent-encoded password, and a user:password split by an encoded colon', () => {
    expect(redactUrl('rtsp://viewer:p%40ss%2Fw%3Ard@10.0.0.5/live')).toBe('rtsp://viewer:***@10.0.0.5/live');
    expect(redactUrl('rtsp://viewer%3Asecret@10.0.0.5/live')).toBe('rtsp://viewer:***@10.0.0.5/live');
  });

  it('masks passwords some cameras take in the path or query (pwd=, password=)', () => {
    expect(redactUrl('http://10.0.0.5/videostream.cgi?user=admin&pwd=Secret1')).toBe('http://10.0.0.5/videostream.cgi?user=admin&pwd=***');
    expect(redactUrl('rtsp://10.0.0.5:554/user=admin&password=Secret1&channel=1&stream=0.sdp')).toBe('rtsp://10.0.0.5:554/user=admin&password=***&channel=1&stream=0.sdp');
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of ['rtsp://10.0.0.5/live', 'rtsp://viewer@10.0.0.5/live', 'rtsp://10.0.0.5/live@main', '/data/video.mp4', 'file:///data/a%20b.mp4', 'http://10.0.0.5/a?subkey=1']) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it("when an '@' in the path makes it ambiguous, masks more rather than less", () => {
    expect(redactUrl('rtsp://10.0.0.5:554/live@main')).toBe('rtsp://10.0.0.5:***@main');
  });

  it('is idempotent', () => {
    for (const url of ['rtsp://viewer:p@ss/w:rd@10.0.0.5:554/live', 'http://10.0.0.5/v.cgi?pwd=Secret1', 'rtsp://viewer%3Asecret@h/x']) {
      expect(redactUrl(redactUrl(url))).toBe(redactUrl(url));
    }
  });
});

describe('maskCredentials', () => {
  it('masks any scheme://user:password@ in a line, up to the last @ before whitespace, and credential headers', () => {
    expect(maskCredentials('Redirecting to rtsp://admin:Oth@r/1@10.0.0.9/x: moved [tcp @ 0x1]')).toBe('Redirecting to rtsp://admin:***@10.0.0.9/x: moved [tcp @ 0x1]');
    expect(maskCredentials("[NULL @ 0x1] Opening 'http://u:Pw1@10.0.0.9/a.ts' for reading")).toBe("[NULL @ 0x1] Opening 'http://u:***@10.0.0.9/a.ts' for reading");
    expect(maskCredentials('Authorization: Basic dmlld2VyOlMzY3JldFB3')).toBe('Authorization: ***');
    expect(maskCredentials('Proxy-Authorization: Digest username="a", response="b"')).toBe('Proxy-Authorization: ***');
    expect(maskCredentials('[tcp @ 0x1] Connection to tcp://127.0.0.1:9?timeout=0 failed: Connection refused')).toBe('[tcp @ 0x1] Connection to tcp://127.0.0.1:9?timeout=0 failed: Connection refused');
  });
});

describe('ffmpegOutputMask', () => {
  it("replaces the camera's own URL, as given and decoded, with the redacted one", () => {
    const url = 'rtsp://viewer:p%40ss%20W0rd@10.0.0.5/live';
    const mask = ffmpegOutputMask(url);
    expect(mask(`${url}: Invalid data found when processing input`)).toBe('rtsp://viewer:***@10.0.0.5/live: Invalid data found when processing input');
    expect(mask('rtsp://viewer:p@ss W0rd@10.0.0.5/live: Connection refused')).toBe('rtsp://viewer:***@10.0.0.5/live: Connection refused');
  });

  it('masks the password and its pieces wherever they appear, without a URL around them', () => {
    const mask = ffmpegOutputMask('rtsp://viewer:ab@Resolvable/cd:Efgh@10.0.0.5/live');
    expect(mask('[tcp @ 0x1] Failed to resolve hostname Resolvable: Name or service not known')).toBe('[tcp @ 0x1] Failed to resolve hostname ***: Name or service not known');
    expect(mask('[rtsp @ 0x1] request: DESCRIBE rtsp://Resolvable:554/cd:Efgh@10.0.0.5/live RTSP/1.0')).toBe('[rtsp @ 0x1] request: DESCRIBE rtsp://***:***@10.0.0.5/live RTSP/1.0');
    const encoded = ffmpegOutputMask('http://viewer:S3cret%2FPw@10.0.0.5/cam.ts');
    expect(encoded('password S3cret/Pw or S3cret%2FPw')).toBe('password *** or ***');
  });

  it('keeps the redacted URL whole when a piece of the password equals its host', () => {
    const mask = ffmpegOutputMask('rtsp://viewer:Qz@127.0.0.1/VkJ@127.0.0.1/live');
    expect(mask('rtsp://viewer:Qz@127.0.0.1/VkJ@127.0.0.1/live: Server returned 401 Unauthorized')).toBe('rtsp://viewer:***@127.0.0.1/live: Server returned 401 Unauthorized');
    expect(mask('[tcp @ 0x1] Starting connection attempt to 127.0.0.1 port 554')).toBe('[tcp @ 0x1] Starting connection attempt to *** port 554');
  });

  it('leaves the lines of a camera without a password alone, but still masks other URLs', () => {
    const mask = ffmpegOutputMask('rtsp://10.0.0.5/live');
    expect(mask('rtsp://10.0.0.5/live: Connection refused')).toBe('rtsp://10.0.0.5/live: Connection refused');
    expect(mask('see http://a:Bc1@x/y')).toBe('see http://a:***@x/y');
  });
});
