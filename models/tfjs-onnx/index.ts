export { convertTfjsGraphModel, CONVERTER_VERSION, type ConvertOptions } from './convert';
export { OP_CONVERTERS } from './ops';
