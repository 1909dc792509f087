import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Hono } from 'hono';

const require = createRequire(import.meta.url);
export const PUBLIC_DIR = join(import.meta.dirname, 'public');

/** Browser builds shipped inside npm packages: served from node_modules, never from a CDN. */
const VENDOR: Record<string, { file: () => string; type: string }> = {
  'uplot.js': { file: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript' },
  'uplot.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css' },
};

export const VENDOR_FILES = { uplot: ['uplot.js', 'uplot.css'] } as const;

const TYPES: Record<string, string> = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
/** Asset file names: lower-case letters, digits and dashes, one extension; never a path. */
export const ASSET_NAME = /^[a-z0-9-]+\.(js|css|svg)$/;
const cache = new Map<string, Buffer<ArrayBuffer>>();

function read(path: string): Buffer<ArrayBuffer> {
  let body = cache.get(path);
  if (!body) {
    body = readFileSync(path);
    cache.set(path, body);
  }
  return body;
}

/** /console/assets/<file> from public/ (names checked, no paths) and /console/vendor/<file> from npm packages. */
export function serveConsoleAssets(app: Hono): void {
  app.get('/console/assets/:file', (c) => {
    const file = c.req.param('file');
    const ext = ASSET_NAME.exec(file)?.[1];
    if (!ext) return c.text('not found', 404);
    try {
      return c.body(read(join(PUBLIC_DIR, file)), 200, { 'content-type': `${TYPES[ext]}; charset=utf-8`, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    } catch {
      return c.text('not found', 404);
    }
  });
  app.get('/console/vendor/:file', (c) => {
    const name = c.req.param('file');
    // Own keys only: 'constructor' or 'toString' would otherwise find Object.prototype's functions.
    const v = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
    if (!v) return c.text('not found', 404);
    return c.body(read(v.file()), 200, { 'content-type': `${v.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' });
  });
}
