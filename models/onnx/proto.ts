/**
 * onnx-proto is CommonJS and Node's ESM loader cannot see its named export, so the value comes through
 * the default import. Types come from `import type { onnx as OnnxTypes } from 'onnx-proto'`.
 */
import onnxProtoPackage from 'onnx-proto';

export const onnx = onnxProtoPackage.onnx;
