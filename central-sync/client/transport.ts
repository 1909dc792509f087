import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { Transport } from './types';

/**
 * The transport for a central URL: global fetch, or with a private CA node:https with that CA
 * (Node's fetch takes a CA only through an undici dispatcher, and undici is not importable here
 * without adding it as a dependency). Only the CA in the file is trusted, not the system roots.
 */
export function createTransport(options: { caFile?: string | undefined } = {}): Transport {
  if (!options.caFile) return (url, init) => fetch(url, init);
  return httpsTransport(readFileSync(options.caFile));
}

export function httpsTransport(ca: string | Buffer): Transport {
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 4 });
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new Error(`a CA file needs an https:// URL, not ${target.protocol}`));
        return;
      }
      const req = request(target, { method: init.method, headers: { ...init.headers, 'content-length': String(init.body.byteLength) }, agent, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, text: () => Promise.resolve(text) });
        });
        // Aborted or reset mid-body: 'close' without 'end' (a no-op once resolved).
        res.on('close', () => {
          if (!res.complete) reject(new Error('connection closed before the answer was complete'));
        });
      });
      req.on('error', reject);
      req.end(init.body);
    });
}
