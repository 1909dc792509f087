export { OnnxGraphBuilder, int, ints, float, floats, str, onnxElemType, type Attribute, type Dim, type ElemType, type TensorData } from './builder';
