import type { TrackerDetection } from '../tracking';

/** Synthetic scenes for the tracker tests: people as coloured boxes on a grey RGB24 frame, at 5 fps. */
export const FRAME_MS = 200;
export const WIDTH = 320;
export const HEIGHT = 180;
const PERSON_W = 16;
const PERSON_H = 40;

export interface Person {
  x: number;
  y: number;
  /** Torso and legs colours, RGB. */
  top: readonly [number, number, number];
  legs: readonly [number, number, number];
  /** Colour of the upper half of the legs (shorts over dark tights), when not the legs colour. */
  shorts?: readonly [number, number, number];
  score?: number;
}

export const RED_COAT = { top: [200, 30, 30], legs: [40, 40, 40] } as const;
export const BLUE_COAT = { top: [30, 60, 200], legs: [200, 200, 190] } as const;
export const GREEN_COAT = { top: [30, 170, 40], legs: [40, 40, 40] } as const;

export function detection(p: Pick<Person, 'x' | 'y' | 'score'>): TrackerDetection {
  return { box: { x1: p.x, y1: p.y, x2: p.x + PERSON_W, y2: p.y + PERSON_H }, score: p.score ?? 0.8 };
}

/** The frame with every person painted (later ones in front), and a detection for each visible one. */
export function scene(people: readonly Person[], hidden: ReadonlySet<number> = new Set()): { frame: { data: Uint8Array; width: number; height: number }; detections: TrackerDetection[] } {
  const data = new Uint8Array(WIDTH * HEIGHT * 3).fill(128);
  people.forEach((p, i) => {
    if (hidden.has(i)) return;
    for (let y = Math.max(0, Math.round(p.y)); y < Math.min(HEIGHT, Math.round(p.y) + PERSON_H); y++) {
      const row = y - p.y;
      const colour = row < PERSON_H / 2 ? p.top : p.shorts && row < (PERSON_H * 3) / 4 ? p.shorts : p.legs;
      for (let x = Math.max(0, Math.round(p.x)); x < Math.min(WIDTH, Math.round(p.x) + PERSON_W); x++) data.set(colour, (y * WIDTH + x) * 3);
    }
  });
  return { frame: { data, width: WIDTH, height: HEIGHT }, detections: people.filter((_, i) => !hidden.has(i)).map(detection) };
}
