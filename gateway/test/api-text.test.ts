import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaPath } from '../../test-helpers/media';
import type { ZoneConfig } from '../config';
import type { CameraZoneControl } from '../pipeline/zone-control';
import { rigToken, startApiRig, type ApiRig } from './api-rig';

/**
 * Free text that reaches the gateway's API (names, notes, comments) is refused with 400 naming the
 * field when it holds U+0000, another C0 control (tab and line breaks only where text may span
 * lines) or a lone surrogate: such text breaks PostgreSQL at central and logs and pages on site.
 */
let rig: ApiRig;
let eventId: number;
const zonesInEffect = new Map<string, ZoneConfig[]>([['door', []]]);
const cameraZones: CameraZoneControl = { zones: (id) => zonesInEffect.get(id), apply: (id, zones) => void zonesInEffect.set(id, zones) };

beforeAll(async () => {
  rig = await startApiRig({ cameraZones });
  eventId = rig.events.start({ uid: 'e1', cameraId: 'door', type: 'restricted_zone_entry', severity: 'high', at: Date.now() });
});
afterAll(() => rig?.stop());

const enrolForm = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.append('photo', new Blob([readFileSync(mediaPath('astronaut.png'))]), 'astronaut.png');
  return form;
};
const refusal = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: string; field?: string }) });
const square = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]];

describe('free text at the gateway API', () => {
  it('refuses a watchlist name or note with U+0000 or another control character, naming the field, and stores nothing', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ name: 'Eve\u0000' }, 'name', /U\+0000/],
      [{ name: '\u0000' }, 'name', /U\+0000/],
      [{ name: 'Eve\u001bAdams' }, 'name', /U\+001B/],
      [{ name: 'Eve\nAdams' }, 'name', /one line/],
      [{ name: 'Eve\tAdams' }, 'name', /one line/],
      [{ name: 'Eve', note: 'seen\u0007twice' }, 'note', /U\+0007/],
      [{ name: 'Eve', note: 'nul\u0000' }, 'note', /U\+0000/],
    ];
    for (const [fields, field, message] of cases) {
      const r = await refusal(await rig.call('POST', '/api/watchlist', 'security', enrolForm(fields)));
      expect(r, JSON.stringify(fields)).toMatchObject({ status: 400, field });
      expect(r.error).toMatch(message);
      expect(r.error).not.toContain('\u0000');
    }
    expect(rig.db.prepare('SELECT count(*) FROM watchlist_persons').pluck().get()).toBe(0);
  });

  it('keeps a note over several lines', async () => {
    const res = await rig.call('POST', '/api/watchlist', 'security', enrolForm({ name: 'Eileen Collins', note: 'seen at gate 2\n\twith a red bag' }));
    expect(res.status).toBe(201);
    // multipart/form-data sends line breaks as CRLF (as a browser's form does).
    expect(((await res.json()) as { note: string }).note).toMatch(/^seen at gate 2\r?\n\twith a red bag$/);
  });

  it('refuses a zone whose name holds U+0000, a control character or a lone surrogate, naming the zone field, and saves nothing', async () => {
    const bodies: Array<[string, string]> = [
      [JSON.stringify({ zones: [{ id: 'gate', name: '\u0000', type: 'counter', points: square }] }), 'zones[0].name'],
      [JSON.stringify({ zones: [{ id: 'gate', type: 'counter', points: square }, { id: 'desk', name: 'Desk\u0008', type: 'counter', points: square }] }), 'zones[1].name'],
      // A lone surrogate can only come as a JSON escape (UTF-8 cannot carry one).
      ['{"zones":[{"id":"gate","name":"Gate \\ud800","type":"counter","points":[[0.1,0.1],[0.5,0.1],[0.5,0.5]]}]}', 'zones[0].name'],
    ];
    for (const [body, field] of bodies) {
      const res = await fetch(`${rig.base}/api/cameras/door/zones`, { method: 'PUT', headers: { authorization: `Bearer ${rigToken('admin')}`, 'content-type': 'application/json' }, body });
      const r = await refusal(res);
      expect(r, body).toMatchObject({ status: 400, field });
    }
    expect(zonesInEffect.get('door')).toEqual([]);
    expect(rig.db.prepare('SELECT count(*) FROM camera_zones WHERE zones IS NOT NULL AND zones != ?').pluck().get('[]')).toBe(0);
    const ok = await rig.call('PUT', '/api/cameras/door/zones', 'admin', { zones: [{ id: 'gate', name: 'Cổng chính', type: 'counter', points: square }] });
    expect(ok.status).toBe(200);
  });

  it('refuses a zones body nested deeper than any zone needs with 400, not a stack overflow (found by the fuzz test)', async () => {
    const before = structuredClone(zonesInEffect.get('door'));
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const body = `{"zones":[{"id":"gate","type":"counter","points":[[0.1,0.1],[0.5,0.1],[0.5,${deep}]]}]}`;
    const res = await fetch(`${rig.base}/api/cameras/door/zones`, { method: 'PUT', headers: { authorization: `Bearer ${rigToken('admin')}`, 'content-type': 'application/json' }, body });
    const r = await refusal(res);
    expect(r).toMatchObject({ status: 400 });
    expect(r.error).toMatch(/nested deeper than 16/);
    expect(r.field).toMatch(/^zones\[0\]\.points\[2\]\[1\]/);
    expect(zonesInEffect.get('door')).toEqual(before);
  });

  it('refuses an empty photo file as not an image (415 naming it), not a 500 (found by the fuzz test)', async () => {
    const emptyPhoto = () => {
      const form = new FormData();
      form.append('photo', new Blob([new Uint8Array(0)]), 'empty.png');
      return form;
    };
    const enrol = emptyPhoto();
    enrol.set('name', 'Eve');
    expect(await refusal(await rig.call('POST', '/api/watchlist', 'security', enrol))).toMatchObject({ status: 415, field: 'photo[0]' });
    // The preview answers 200 with a verdict per photo.
    const preview = await rig.call('POST', '/api/watchlist/preview', 'security', emptyPhoto());
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { photos: unknown[] }).photos[0]).toMatchObject({ ok: false, status: 415, field: 'photo[0]' });
  });

  it('refuses a review comment with U+0000 or a lone surrogate and keeps one over several lines', async () => {
    const nul = await refusal(await rig.call('POST', `/api/events/${eventId}/review`, 'security', { action: 'comment', comment: 'ok\u0000' }));
    expect(nul).toMatchObject({ status: 400, field: 'comment' });
    const surrogate = await fetch(`${rig.base}/api/events/${eventId}/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rigToken('security')}`, 'content-type': 'application/json' },
      body: '{"action":"comment","comment":"half \\udc00 a pair"}',
    });
    expect(await refusal(surrogate)).toMatchObject({ status: 400, field: 'comment' });
    expect(rig.db.prepare('SELECT count(*) FROM review_actions').pluck().get()).toBe(0);
    const multiline = await rig.call('POST', `/api/events/${eventId}/review`, 'security', { action: 'comment', comment: 'checked\nall clear' });
    expect(multiline.status).toBe(200);
  });
});
