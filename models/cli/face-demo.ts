import { cosineSimilarity, FaceEngine } from '../face';
import { decodeImage } from '../image';

const ms = (t0: number): string => `${(performance.now() - t0).toFixed(1)} ms`;

/** Faces in three real portraits: boxes, landmark alignment, and how alike the embeddings are. */
export async function runFaceDemo(images: Record<string, string>): Promise<void> {
  const t0 = performance.now();
  const engine = await FaceEngine.create();
  console.log(`\nface engine: RFB-320 detector, 68-point landmarks, ArcFace-style 512-d embedder on ${engine.provider}, loaded in ${ms(t0)}`);
  const embeddings: Array<[string, Float32Array]> = [];
  try {
    for (const [name, path] of Object.entries(images)) {
      const frame = await decodeImage(path);
      const t = performance.now();
      const faces = await engine.analyze(frame);
      for (const f of faces) {
        const box = [f.box.x1, f.box.y1, f.box.x2, f.box.y2].map(Math.round).join(',');
        const how = f.aligned ? 'aligned on 5 points' : `not aligned (${f.alignSkipped})`;
        console.log(`  ${name.padEnd(10)} face ${f.score.toFixed(3)} @[${box}]  ${how}, quality ${f.quality.toFixed(2)}  ${ms(t)}`);
      }
      if (faces.length === 0) console.log(`  ${name.padEnd(10)} no face  ${ms(t)}`);
      if (faces[0]) embeddings.push([name, faces[0].embedding]);
    }
  } finally {
    await engine.dispose();
  }
  for (let i = 0; i < embeddings.length; i++) {
    for (let j = i + 1; j < embeddings.length; j++) {
      const [a, ea] = embeddings[i]!;
      const [b, eb] = embeddings[j]!;
      console.log(`  cosine(${a}, ${b}) = ${cosineSimilarity(ea, eb).toFixed(3)} (different people)`);
    }
  }
}
