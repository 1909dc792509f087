import type { onnx as OnnxTypes } from 'onnx-proto';

/** A float32 initializer's values, whether stored as raw bytes or as float_data. */
export function floatsOf(t: OnnxTypes.ITensorProto): Float32Array {
  const raw = t.rawData;
  if (raw && raw.length > 0) return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return Float32Array.from(t.floatData ?? []);
}

/** Replaces a float32 initializer's values (stored as raw bytes). */
export function setFloats(t: OnnxTypes.ITensorProto, values: Float32Array): void {
  t.rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  t.floatData = [];
}
