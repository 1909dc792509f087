/**
 * Camera credentials never leave streams/: the URL shown in health, and every string derived from
 * ffmpeg's output (stderr lines, exit messages, snapshot errors), go through here first.
 *
 * Where the userinfo of a URL ends is ambiguous once a password holds '@', '/' or ':'. ffmpeg and
 * WHATWG URL end the authority at the first '/', so `rtsp://viewer:p@ss/w:rd@10.0.0.5/live` is, to
 * them, user `viewer`, password `p`, host `ss` and path `/w:rd@10.0.0.5/live`. The masking here does
 * not choose a parser: everything from the first ':' of the userinfo up to the LAST '@' is masked,
 * which covers every reading (at worst it masks a part of the path that held an '@').
 */

const MASK = '***';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A URL with a scheme inside free text: it runs to the next whitespace. */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/\S+/gi;
/** Parameters that carry a secret in some cameras' paths and queries (`?pwd=`, `/user=admin&password=`). */
const SECRET_PARAM = /([?&;/](?:password|passwd|pass|pwd|pw|secret|token|key|apikey|api_key|access_token|auth|signature|sig)=)[^&;#\s]*/gi;
/** An HTTP/RTSP credentials header, as ffmpeg dumps requests at `-loglevel debug`. */
const AUTH_HEADER = /\b((?:proxy-)?authorization\s*:\s*)[^\r\n]*/gi;
/** What separates the parts of a URL, raw or percent-encoded: a password is also masked piece by piece. */
const URL_SEPARATORS = /[@/:?#&=;\s]|%(?:40|2f|3a|3f|23|26|3d|3b|20)/i;
/** Shorter pieces are left alone: they would mask ordinary words and numbers all over a line. */
const MIN_PIECE = 3;

interface UrlParts {
  /** `scheme://` */
  scheme: string;
  /** Everything between `scheme://` and the last '@', or undefined when there is no '@'. */
  userinfo: string | undefined;
  /** After the last '@' (host, port, path, query), or after `scheme://` when there is no '@'. */
  rest: string;
}

function split(url: string): UrlParts | undefined {
  const scheme = SCHEME.exec(url)?.[0];
  if (!scheme) return undefined;
  const afterScheme = url.slice(scheme.length);
  const at = afterScheme.lastIndexOf('@');
  return at < 0 ? { scheme, userinfo: undefined, rest: afterScheme } : { scheme, userinfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) };
}

/** Where the user name ends: ':' or its encoding (ffmpeg decodes the userinfo before splitting it). */
function userEnd(userinfo: string): number {
  return userinfo.search(/:|%3a/i);
}

function maskSecretParams(text: string): string {
  return text.replace(SECRET_PARAM, `$1${MASK}`);
}

/**
 * The URL with its password masked (the user name stays), safe for logs and health output:
 * `rtsp://viewer:p@ss/w:rd@10.0.0.5:554/live` → `rtsp://viewer:***@10.0.0.5:554/live`. Secret-looking
 * parameters (`pwd=`, `password=`, `token=`...) in the path or query are masked too.
 */
export function redactUrl(url: string): string {
  const parts = split(url);
  if (!parts) return maskSecretParams(url);
  const { scheme, userinfo, rest } = parts;
  if (userinfo === undefined) return maskSecretParams(url);
  const end = userEnd(userinfo);
  const shown = end < 0 ? userinfo : `${userinfo.slice(0, end)}:${MASK}`;
  return maskSecretParams(`${scheme}${shown}@${rest}`);
}

/** Masks `scheme://user:password@` (to the last '@' before whitespace) and credential headers anywhere in a text. */
export function maskCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(AUTH_HEADER, `$1${MASK}`);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The password as configured, decoded and re-encoded, each whole and in the pieces a parser could split it into. */
function passwordForms(url: string): string[] {
  const userinfo = split(url)?.userinfo;
  if (userinfo === undefined) return [];
  const end = userEnd(userinfo);
  if (end < 0) return [];
  const raw = userinfo.slice(end + (userinfo[end] === ':' ? 1 : 3));
  const forms = new Set([raw, decoded(raw), encodeURIComponent(decoded(raw))]);
  for (const form of [...forms]) for (const piece of form.split(URL_SEPARATORS)) forms.add(piece);
  return [...forms].filter((f) => f.length >= MIN_PIECE).sort((a, b) => b.length - a.length);
}

/**
 * The one mask for everything derived from a camera's ffmpeg output: its configured URL (as given
 * and decoded) becomes the redacted URL, its password (as given, decoded, encoded, and each piece of
 * 3+ characters, e.g. a host ffmpeg failed to resolve) becomes `***` everywhere else, then any other
 * `scheme://user:pass@` and credentials header is masked.
 */
export function ffmpegOutputMask(url: string): (text: string) => string {
  const secrets = passwordForms(url);
  if (secrets.length === 0) return maskCredentials;
  const redacted = redactUrl(url);
  const urls = [...new Set([url, decoded(url)])].sort((a, b) => b.length - a.length);
  const maskSecrets = (segment: string): string => secrets.reduce((out, secret) => out.split(secret).join(MASK), segment);
  return (text) => {
    const withRedactedUrls = urls.reduce((out, form) => out.split(form).join(redacted), text);
    // The redacted URL is kept whole: a piece of the password may equal its host or port.
    return maskCredentials(withRedactedUrls.split(redacted).map(maskSecrets).join(redacted));
  };
}
