import { ensureMedia } from '../../scripts/media';
import { Detector } from '../detector';
import { decodeImage, type RgbFrame } from '../image';
import { readVideoFrame } from './video-frame';

const ms = (t0: number): string => `${(performance.now() - t0).toFixed(1)} ms`;

/** `npm start` until the gateway exists: the default models on real street and portrait media. */
export async function runDemo(): Promise<void> {
  const media = ensureMedia(['vtest.avi', 'messi5.jpg', 'basketball1.png', 'astronaut.png', 'camera.png']);
  console.log('Edge video-analytics gateway — models demo (the gateway service replaces this in a later release)\n');

  const t0 = performance.now();
  const detector = await Detector.create({ kind: 'centernet', classes: ['person'] });
  console.log(`person detector: CenterNet ${detector.info.inputWidth}x${detector.info.inputHeight} on ${detector.info.provider}, batch ${detector.info.batchSize}, loaded in ${ms(t0)}`);
  const inputs: Array<[string, RgbFrame]> = [
    ['vtest.avi frame 0', readVideoFrame(media['vtest.avi'], 0)],
    ['vtest.avi frame 300', readVideoFrame(media['vtest.avi'], 300)],
    ['messi5.jpg', await decodeImage(media['messi5.jpg'])],
    ['basketball1.png', await decodeImage(media['basketball1.png'])],
  ];
  for (const [name, frame] of inputs) {
    const t = performance.now();
    const people = await detector.detectOne(frame);
    const boxes = people.map((p) => `${p.score.toFixed(2)}@[${[p.box.x1, p.box.y1, p.box.x2, p.box.y2].map(Math.round).join(',')}]`);
    console.log(`  ${name.padEnd(20)} ${String(people.length).padStart(2)} people  ${ms(t).padStart(9)}  ${boxes.join(' ')}`);
  }
  await detector.dispose();

  const { runFaceDemo } = await import('./face-demo');
  await runFaceDemo({ astronaut: media['astronaut.png'], messi: media['messi5.jpg'], camera: media['camera.png'] });
}
