import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiRig, type ApiRig } from './api-rig';

/** Face data in events (watchlist matches): the crop only through an audited route, the name only in an audited read. */
let rig: ApiRig;
let matchId: number;
let plainId: number;
let crop: string;
let betterCrop: string;
const PERSON_ID = '5f0c7a9e-3b1d-4c2a-9e8f-1a2b3c4d5e6f';
const PERSON = 'Eileen Collins';

const jpegBase64 = async (shade: number) =>
  (await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } }).jpeg().toBuffer()).toString('base64');

beforeAll(async () => {
  rig = await startApiRig();
  crop = await jpegBase64(40);
  betterCrop = await jpegBase64(200);
  const at = Date.now() - 60_000;
  matchId = rig.events.start({ uid: 'm1', cameraId: 'door', trackId: 3, type: 'watchlist_match', severity: 'high', at, data: { personId: PERSON_ID, person: PERSON, similarity: 0.91, faceCrop: crop } });
  rig.events.update('m1', at + 500, { similarity: 0.95, faceCrop: betterCrop });
  plainId = rig.events.start({ uid: 'r1', cameraId: 'door', zoneId: 'staff', type: 'restricted_zone_entry', severity: 'high', at: at + 1000 });
});
afterAll(() => rig?.stop());

const faceAudits = () => rig.audit().filter((a) => a.action === 'view_face_crop' || a.action === 'view_watchlist_match');

describe('face data in events', () => {
  it('lists watchlist matches without the face crop, the person or their id, and without an audit row', async () => {
    for (const role of ['security', 'admin'] as const) {
      const res = await rig.call('GET', '/api/events', role);
      expect(res.status).toBe(200);
      const text = await res.text();
      const { items } = JSON.parse(text) as { items: Array<{ id: number; type: string; data: Record<string, unknown> }> };
      const match = items.find((e) => e.id === matchId)!;
      expect(match).toMatchObject({ type: 'watchlist_match', data: { similarity: 0.95 } });
      expect(match.data).not.toHaveProperty('faceCrop');
      expect(text).not.toContain(crop);
      expect(text).not.toContain(betterCrop);
      expect(text).not.toContain(PERSON);
      expect(text).not.toContain(PERSON_ID);
    }
    expect(faceAudits()).toEqual([]);
  });

  it("shows one match's person only in an audited read, and its crops in neither data nor timeline", async () => {
    const res = await rig.call('GET', `/api/events/${matchId}`, 'security');
    expect(res.status).toBe(200);
    const text = await res.text();
    const event = JSON.parse(text) as { data: Record<string, unknown>; timeline: Array<{ phase: string; data: Record<string, unknown> }>; faceCropUrl: string | null };
    expect(event.data).toEqual({ personId: PERSON_ID, person: PERSON, similarity: 0.95 });
    expect(event.timeline.map((t) => t.phase)).toEqual(['start', 'update']);
    expect(text).not.toContain(crop);
    expect(text).not.toContain(betterCrop);
    expect(event.faceCropUrl).toBe(`/api/events/${matchId}/face-crop`);
    expect(faceAudits()).toEqual([{ user: 'security1', action: 'view_watchlist_match', subject: `event:${matchId}` }]);

    // The review answer is the same detail: no crop, and audited as a read of the match.
    const reviewed = await rig.call('POST', `/api/events/${matchId}/review`, 'security', { action: 'acknowledge' });
    expect(reviewed.status).toBe(200);
    expect(await reviewed.text()).not.toContain(crop);
    expect(faceAudits()).toHaveLength(2);

    // An event with no face data is no face read: no audit row, no crop link.
    const plain = (await (await rig.call('GET', `/api/events/${plainId}`, 'security')).json()) as { faceCropUrl: string | null };
    expect(plain.faceCropUrl).toBeNull();
    expect(faceAudits()).toHaveLength(2);
  });

  it('serves the latest face crop as a JPEG to security and admin, audited, and refuses supervisor and ops', async () => {
    const before = faceAudits().length;
    for (const role of ['supervisor', 'ops'] as const) {
      const refused = await rig.call('GET', `/api/events/${matchId}/face-crop`, role);
      expect(refused.status, role).toBe(403);
      expect(await refused.text()).not.toContain(betterCrop);
    }
    expect(faceAudits()).toHaveLength(before);

    for (const role of ['security', 'admin'] as const) {
      const res = await rig.call('GET', `/api/events/${matchId}/face-crop`, role);
      expect(res.status, role).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(betterCrop, 'base64'));
      expect(faceAudits().at(-1)).toEqual({ user: `${role}1`, action: 'view_face_crop', subject: `event:${matchId}` });
    }
    expect(faceAudits()).toHaveLength(before + 2);

    const doc = (await (await rig.call('GET', '/api/openapi.json', 'security')).json()) as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    expect(doc.paths['/api/events/{id}/face-crop']?.get.responses['200']).toEqual({ description: 'OK', content: { 'image/jpeg': {} } });

    const none = await rig.call('GET', `/api/events/${plainId}/face-crop`, 'security');
    expect(none.status).toBe(404);
    expect(((await none.json()) as { field: string }).field).toBe('id');
    expect(faceAudits()).toHaveLength(before + 2);
  });
});
