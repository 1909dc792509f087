import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipsConfigSchema, createClips } from '../clips';
import { openDatabase } from '../store';

const dir = mkdtempSync(join(tmpdir(), 'gw-clip-buffers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('clip buffer folders', () => {
  it('removes at boot the buffers of cameras no longer running, keeps the running ones and everything outside clip-buffer/', async () => {
    const db = openDatabase(join(dir, 'gateway.sqlite'));
    // Left by a run-time camera removed before a crash, with a segment in it.
    mkdirSync(join(dir, 'clip-buffer', 'removed-cam'), { recursive: true });
    writeFileSync(join(dir, 'clip-buffer', 'removed-cam', 'r1-000001.ts'), 'x');
    const clips = createClips({ config: ClipsConfigSchema.parse({}), dataDir: dir, db, log: quiet });
    clips.bufferFor('hall');
    expect(clips.sweepStaleBuffers()).toBe(1);
    expect(existsSync(join(dir, 'clip-buffer', 'removed-cam'))).toBe(false);
    expect(existsSync(join(dir, 'clip-buffer', 'hall'))).toBe(true);
    expect(existsSync(join(dir, 'gateway.sqlite'))).toBe(true);
    await clips.close();
    db.close();
  });

  it('refuses a camera id that would name a folder outside clip-buffer/', () => {
    const db = openDatabase(join(dir, 'other.sqlite'));
    const clips = createClips({ config: ClipsConfigSchema.parse({}), dataDir: dir, db, log: quiet });
    expect(() => clips.bufferFor('..')).toThrow("camera id '..' cannot name a clip buffer folder");
    expect(existsSync(join(dir, 'other.sqlite'))).toBe(true);
    db.close();
  });
});
