import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegOptionNames } from '../ffmpeg/probe';
import { inputOptions, inputPath, outputOptions, videoFilters } from './args';
import type { ParsedCameraSource } from './config';

/**
 * The detection ffmpeg's arguments, built by fluent-ffmpeg (input options, `-i`, the filter chain,
 * raw RGB24 to stdout); the launcher runs them.
 */
export function detectionArgs(cam: ParsedCameraSource, names: FfmpegOptionNames): string[] {
  return ffmpeg(inputPath(cam.url))
    .inputOptions(inputOptions(cam, names))
    .videoFilters(videoFilters(cam, names))
    .outputOptions(outputOptions(cam, names))
    .format('rawvideo')
    .output('pipe:1')
    ._getArguments();
}
