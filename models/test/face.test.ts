import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaPath } from '../../test-helpers/media';
import { ModelError } from '../errors';
import { cosineSimilarity, FaceEngine, type Face } from '../face';
import { decodeImage, type RgbFrame } from '../image';

let engine: FaceEngine;
beforeAll(async () => {
  engine = await FaceEngine.create({ session: { intraOpThreads: 2 } });
});
afterAll(() => engine?.dispose());

type Transform = (img: Sharp) => Sharp;
async function transformed(frame: RgbFrame, transform: Transform): Promise<RgbFrame> {
  const { data, info } = await transform(sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

async function onlyFace(frame: RgbFrame): Promise<Face> {
  const faces = await engine.analyze(frame);
  expect(faces.length).toBeGreaterThanOrEqual(1);
  return faces[0]!;
}

describe('face engine on real photos', () => {
  it.each([
    ['astronaut.png', [224, 118]],
    ['messi5.jpg', [241, 111]],
    ['camera.png', [229, 150]],
  ] as const)('finds the face in %s with score >= 0.95', async (name, [cx, cy]) => {
    const faces = await engine.detect(await decodeImage(mediaPath(name)));
    const hit = faces.find((f) => f.box.x1 <= cx && cx <= f.box.x2 && f.box.y1 <= cy && cy <= f.box.y2);
    expect(hit, `a face box around (${cx}, ${cy})`).toBeDefined();
    expect(hit!.score).toBeGreaterThanOrEqual(0.95);
  });

  it('finds no face in a photo without people', async () => {
    expect(await engine.detect(await decodeImage(mediaPath('coffee.png')))).toHaveLength(0);
  });

  it('places the five keypoints where a face has them and embeds a unit vector', async () => {
    const face = await onlyFace(await decodeImage(mediaPath('astronaut.png')));
    const [lx, ly, rx, ry, nx, ny, mlx, mly, mrx, mry] = Array.from(face.keypoints!);
    expect(lx!).toBeLessThan(nx!);
    expect(nx!).toBeLessThan(rx!);
    expect(Math.max(ly!, ry!)).toBeLessThan(ny!);
    expect(ny!).toBeLessThan(Math.min(mly!, mry!));
    expect(mlx!).toBeLessThan(mrx!);
    for (const [x, y] of [[lx, ly], [rx, ry], [nx, ny]]) {
      expect(x!).toBeGreaterThan(face.box.x1);
      expect(x!).toBeLessThan(face.box.x2);
      expect(y!).toBeGreaterThan(face.box.y1);
      expect(y!).toBeLessThan(face.box.y2);
    }
    expect(face.aligned).toBe(true);
    expect(face.embedding).toHaveLength(512);
    const norm = Math.hypot(...face.embedding);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('keeps the same face at cosine >= 0.85 under +20% brightness, 5 degree rotation and 90% scale', async () => {
    const original = await decodeImage(mediaPath('astronaut.png'));
    const reference = await onlyFace(original);
    const variants: Record<string, Transform> = {
      'brightness +20%': (img) => img.linear(1.2, 0),
      'rotated 5 degrees': (img) => img.rotate(5, { background: '#000000' }),
      'scaled to 90%': (img) => img.resize(Math.round(original.width * 0.9)),
    };
    for (const [name, transform] of Object.entries(variants)) {
      const face = await onlyFace(await transformed(original, transform));
      const similarity = cosineSimilarity(face.embedding, reference.embedding);
      console.info(`astronaut ${name}: cosine ${similarity.toFixed(3)}`);
      expect(similarity, name).toBeGreaterThanOrEqual(0.85);
    }
  });

  it('keeps different people apart: cosine <= 0.35', async () => {
    const people: Array<[string, Face]> = [];
    for (const name of ['astronaut.png', 'messi5.jpg', 'camera.png'] as const) people.push([name, await onlyFace(await decodeImage(mediaPath(name)))]);
    const players = await engine.analyze(await decodeImage(mediaPath('basketball1.png')));
    players.forEach((p, i) => people.push([`basketball1 player ${i}`, p]));
    expect(people.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < people.length; i++) {
      for (let j = i + 1; j < people.length; j++) {
        const similarity = cosineSimilarity(people[i]![1].embedding, people[j]![1].embedding);
        expect(similarity, `${people[i]![0]} vs ${people[j]![0]}`).toBeLessThanOrEqual(0.35);
      }
    }
  });

  it('skips alignment for a face too small for landmarks, and says so', async () => {
    const original = await decodeImage(mediaPath('astronaut.png'));
    const small = await transformed(original, (img) => img.resize(Math.round(original.width * 0.2)));
    const faces = await engine.analyze(small);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.aligned).toBe(false);
    expect(faces[0]!.landmarks).toBeUndefined();
    expect(faces[0]!.alignSkipped).toMatch(/below the 28 px needed for reliable landmarks/);
    expect(faces[0]!.embedding).toHaveLength(512);
  });
});

describe('face engine input checks', () => {
  it('rejects a buffer whose length does not match width x height x 3', async () => {
    const frame = { data: new Uint8Array(100), width: 10, height: 10 };
    await expect(engine.detect(frame)).rejects.toThrow(/frame\.data has 100 bytes, expected 300 \(10x10x3\)/);
  });

  it('rejects a zero-size frame and keeps working afterwards', async () => {
    await expect(engine.analyze({ data: new Uint8Array(0), width: 0, height: 0 })).rejects.toBeInstanceOf(ModelError);
    expect((await engine.detect(await decodeImage(mediaPath('astronaut.png')))).length).toBe(1);
  });

  it('rejects an invalid configuration naming the field', async () => {
    await expect(FaceEngine.create({ scoreThreshold: 2 })).rejects.toThrow(/invalid face engine config at scoreThreshold/);
  });
});
