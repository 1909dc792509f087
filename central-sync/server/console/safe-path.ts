/** Characters browsers drop or reinterpret in a URL (tab, newline, other controls, backslash). */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * `next` when it is a path on `origin`, else `/`: a single leading `/`, no backslash or control
 * character (browsers read `/\evil.example` as `//evil.example`), still `origin` once resolved,
 * and a resolved path that does not start with `//` (dot segments: `/..//evil.example`).
 * public/login.js applies the same rule in the browser.
 */
export function sameOriginPath(next: string | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || UNSAFE.test(next)) return '/';
  const url = new URL(next, origin);
  // Dot segments resolve away: '/..//evil.example' becomes the path '//evil.example', which a
  // browser reads as another host. Judge the resolved path, not the text.
  if (url.origin !== origin || url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
