export { segmentOutputOptions, type SegmentRun } from './args';
export { assembleClip, bannerDuration, type AssembledClip, type AssembleOptions } from './assemble';
export { SegmentBuffer, type BufferedSegment, type SegmentBufferOptions, type SegmentBufferStatus, type SegmentSink } from './buffer';
export { CLIP_CODECS, inputVideoCodec } from './codec';
export { parseSegmentList, type ListedSegment } from './segment-list';
