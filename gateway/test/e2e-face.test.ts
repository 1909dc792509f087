import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaPath } from '../../test-helpers/media';
import { waitFor } from '../../test-helpers/processes';
import { parseConfig } from '../config';
import { GatewayService } from '../service';

const TOKEN = 'e2e-face-admin-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'gw-face-'));
let gateway: GatewayService;

beforeAll(async () => {
  const config = parseConfig({
    site: { id: 'e2e-face', name: 'E2E face site' },
    cameras: [
      // The enrolment photo itself, streamed as a camera (ffmpeg loops the image in real time).
      { id: 'desk', url: mediaPath('astronaut.png'), faceRecognition: true, detectFps: 2, detectSize: { width: 512, height: 512 } },
    ],
    users: [{ name: 'sec', role: 'security', token: TOKEN }],
    storage: { dataDir: dir },
    api: { host: '127.0.0.1', port: 0 },
  });
  gateway = await GatewayService.start(config, pino({ level: 'warn' }));
});
afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('face path end to end', () => {
  it('matches a person enrolled from a photo when that photo is streamed as a camera, once per track', async () => {
    const form = new FormData();
    form.set('name', 'Eileen Collins');
    form.append('photo', new Blob([readFileSync(mediaPath('astronaut.png'))]), 'astronaut.png');
    const enrolled = await fetch(`${gateway.url}/api/watchlist`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(enrolled.status).toBe(201);
    const person = (await enrolled.json()) as { id: string };
    expect(await waitFor(() => gateway.pipelines[0]!.live().watchlistMatches >= 1, 40_000, 250)).toBe(true);
    await new Promise((r) => setTimeout(r, 3000));
    await gateway.flush();
    const res = await fetch(`${gateway.url}/api/events?type=watchlist_match`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { items } = (await res.json()) as { items: Array<{ id: number; trackId: number; severity: string; data: { similarity: number } }> };
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(new Set(items.map((e) => e.trackId)).size).toBe(items.length);
    expect(items[0]!.data.similarity).toBeGreaterThan(0.8);
    expect(items[0]!.severity).toBe('high');
    // Who it is and the face come only from the audited detail and crop routes.
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const detail = (await (await fetch(`${gateway.url}/api/events/${items[0]!.id}`, auth)).json()) as { data: { personId: string }; faceCropUrl: string };
    expect(detail.data.personId).toBe(person.id);
    const crop = Buffer.from(await (await fetch(`${gateway.url}${detail.faceCropUrl}`, auth)).arrayBuffer());
    expect(crop.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });
});
