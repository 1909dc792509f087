import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import { runtimeCamerasAtBoot } from '../discovery';
import { openDatabase, type Db } from '../store';
import { RuntimeCameraStore } from '../store/runtime-cameras';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gw-runtime-cams-'));
  db = openDatabase(join(dir, 'gateway.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const camera = (id: string, url = `rtsp://u:secret@10.0.0.5/${id}`) => CameraConfigSchema.parse({ id, url });

function collector() {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  return { lines, log: { warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }), error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }) } };
}

describe('run-time cameras at boot', () => {
  it('starts the stored cameras after the configured ones; the file wins an id clash, said in the log', () => {
    const store = new RuntimeCameraStore(db);
    store.add({ camera: camera('lobby'), addedBy: 'admin1', addedAt: 1000 });
    store.add({ camera: camera('hall', 'rtsp://10.0.0.9/old'), addedBy: 'admin1', addedAt: 2000 });
    const { lines, log } = collector();
    const cams = runtimeCamerasAtBoot(db, [camera('hall', 'rtsp://10.0.0.21/file')], log);
    expect(cams.map((c) => [c.id, c.url])).toEqual([['lobby', 'rtsp://u:secret@10.0.0.5/lobby']]);
    expect(lines).toEqual([{ level: 'warn', obj: { camera: 'hall', addedBy: 'admin1' }, msg: expect.stringContaining('the configuration file has a camera with the same id') }]);
  });

  it('skips a stored row that no longer validates, naming the camera and field, without its URL', () => {
    db.prepare("INSERT INTO runtime_cameras (id, config, added_by, added_at) VALUES ('broken', ?, 'admin1', 1)").run(JSON.stringify({ id: 'broken', url: 'rtsp://u:secret@x/y', detectFps: 500 }));
    db.prepare("INSERT INTO runtime_cameras (id, config, added_by, added_at) VALUES ('garbled', '{not json', 'admin1', 2)").run();
    const { lines, log } = collector();
    expect(runtimeCamerasAtBoot(db, [], log)).toEqual([]);
    expect(lines.map((l) => [l.level, (l.obj as { camera: string }).camera, (l.obj as { err: string }).err])).toEqual([
      ['error', 'broken', expect.stringContaining('camera.detectFps')],
      ['error', 'garbled', "stored camera 'garbled' is not valid JSON"],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('keeps no row when the work in its transaction throws', () => {
    const store = new RuntimeCameraStore(db);
    expect(() =>
      store.add({ camera: camera('lobby'), addedBy: 'admin1', addedAt: 1 }, () => {
        throw new Error('start refused');
      }),
    ).toThrow('start refused');
    expect(store.count()).toBe(0);
  });
});
