/**
 * The buffers of these frames that can move to another thread without a copy: each must own its
 * whole ArrayBuffer (ffmpeg's frames do: FrameCutter allocates one per frame) and appear once. A view
 * into a shared or pooled buffer is left out and goes by copy, as postMessage does by default; so is
 * an already detached (moved) buffer, which postMessage would refuse.
 */
export function transferList(frames: readonly Uint8Array[]): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const data of frames) {
    const buffer = data.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || data.byteOffset !== 0 || data.byteLength !== buffer.byteLength || list.includes(buffer)) continue;
    list.push(buffer);
  }
  return list;
}
