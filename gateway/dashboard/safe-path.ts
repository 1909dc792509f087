/** Characters browsers drop or reinterpret in a URL (tab, newline, other controls, backslash). */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * `next` when it is a path on `origin`, else `/`. Only a path starting with a single `/` and free of
 * backslashes and control characters passes (browsers drop tabs and newlines and read `\` as `/`, so
 * `/\t/evil.example` and `/\evil.example` both mean `//evil.example`), and it must still resolve to
 * the same origin with a resolved path that does not start with `//`: dot segments resolve away, so
 * `/..//evil.example` is the path `//evil.example`, another host to a browser. login.js applies the
 * same rule in the browser.
 */
export function sameOriginPath(next: string | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || UNSAFE.test(next)) return '/';
  const url = new URL(next, origin);
  if (url.origin !== origin || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
