import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';

const require = createRequire(import.meta.url);
const PUBLIC = join(import.meta.dirname, 'public');

/** Browser builds shipped inside npm packages: served from node_modules, never from a CDN. */
const VENDOR: Record<string, { file: () => string; type: string }> = {
  'uplot.js': { file: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript' },
  'uplot.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css' },
  // The package's `exports` hide dist/ subpaths: find dist/ from its main entry.
  'jsmpeg.js': { file: () => join(dirname(require.resolve('@cycjimmy/jsmpeg-player')), 'jsmpeg-player.umd.min.js'), type: 'text/javascript' },
};

export const VENDOR_FILES = { uplot: ['uplot.js', 'uplot.css'], jsmpeg: ['jsmpeg.js'] } as const;

const TYPES: Record<string, string> = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
const cache = new Map<string, Buffer<ArrayBuffer>>();

function read(path: string): Buffer<ArrayBuffer> {
  let body = cache.get(path);
  if (!body) {
    body = readFileSync(path);
    cache.set(path, body);
  }
  return body;
}

/** /ui/assets/<file> from public/ (names checked, no paths) and /ui/vendor/<file> from npm packages. */
export function serveAssets(app: Hono): void {
  app.get('/ui/assets/:file', (c) => {
    const file = c.req.param('file');
    const ext = /^[a-z0-9-]+\.(js|css|svg)$/.exec(file)?.[1];
    if (!ext) return c.text('not found', 404);
    try {
      return c.body(read(join(PUBLIC, file)), 200, { 'content-type': `${TYPES[ext]}; charset=utf-8`, 'cache-control': 'no-cache' });
    } catch {
      return c.text('not found', 404);
    }
  });
  app.get('/ui/vendor/:file', (c) => {
    const name = c.req.param('file');
    // Own keys only: 'constructor' or 'toString' would otherwise find Object.prototype's functions.
    const v = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
    if (!v) return c.text('not found', 404);
    return c.body(read(v.file()), 200, { 'content-type': `${v.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' });
  });
}
