import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegOptionNames } from '../ffmpeg/probe';
import { segmentOutputOptions, type SegmentRun } from '../segments/args';
import { inputOptions, inputPath, outputOptions, videoFilters } from './args';
import type { ParsedCameraSource } from './config';

/**
 * The detection ffmpeg's arguments, built by fluent-ffmpeg (input options, `-i`, the filter chain,
 * raw RGB24 to stdout); the launcher runs them. With `segments`, the same process (one RTSP session)
 * also copies the original video into the clip buffer's segments as a second output.
 */
export function detectionArgs(cam: ParsedCameraSource, names: FfmpegOptionNames, segments?: SegmentRun): string[] {
  const command = ffmpeg(inputPath(cam.url))
    .inputOptions(inputOptions(cam, names))
    .videoFilters(videoFilters(cam, names))
    .outputOptions(outputOptions(cam, names))
    .format('rawvideo')
    .output('pipe:1');
  if (segments) command.output(segments.pattern).outputOptions(segmentOutputOptions(segments));
  return command._getArguments();
}
