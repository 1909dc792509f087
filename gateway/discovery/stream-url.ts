/** Schemes a run-time camera may stream from: RTSP only (no local files, no ffmpeg protocols such as concat: or subfile:). */
export const STREAM_SCHEMES = ['rtsp:', 'rtsps:'] as const;

function parsed(url: string): URL | undefined {
  try {
    const u = new URL(url);
    return (STREAM_SCHEMES as readonly string[]).includes(u.protocol) && u.hostname !== '' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** True for an rtsp:// or rtsps:// URL with a host. */
export function isStreamUrl(url: string): boolean {
  return parsed(url) !== undefined;
}

/** The URL without user name and password (what pages and answers show of a device's stream URI); undefined when not an RTSP URL. */
export function withoutCredentials(url: string): string | undefined {
  const u = parsed(url);
  if (!u) return undefined;
  u.username = '';
  u.password = '';
  return u.href;
}

/**
 * The URL ffmpeg connects with: the given credentials (percent-encoded) replace any in the URL; with
 * no user name the URL is kept as given (a manual URL may carry its own).
 */
export function withCredentials(url: string, username: string | undefined, password: string | undefined): string {
  const u = parsed(url);
  if (!u) throw new Error('not an rtsp:// or rtsps:// URL');
  if (!username) return u.href;
  u.username = encodeURIComponent(username);
  u.password = password ? encodeURIComponent(password) : '';
  return u.href;
}
