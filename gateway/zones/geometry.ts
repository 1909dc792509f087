import type { Polygon } from '../config';

/** Ray casting; points on an edge may fall either way, which is fine for people's feet. */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Where a person stands: the bottom centre of the box, normalised to the frame. */
export function footPoint(box: { x1: number; y1: number; x2: number; y2: number }, width: number, height: number): [number, number] {
  return [(box.x1 + box.x2) / 2 / width, box.y2 / height];
}
