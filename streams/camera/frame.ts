/** One sampled frame: packed RGB24, `data.length === width * height * 3`. */
export interface Frame {
  cameraId: string;
  /** Per camera, increasing by one per frame delivered by ffmpeg, continuing across reconnects. */
  seq: number;
  /** Wall-clock time (ms since the epoch) when the whole frame had arrived from ffmpeg. */
  capturedAt: number;
  /** Presentation time in the stream (seconds), from ffmpeg's showinfo; restarts with the stream. */
  streamTime: number;
  width: number;
  height: number;
  data: Buffer;
}
