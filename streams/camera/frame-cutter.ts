/**
 * Cuts a byte stream of raw frames into whole frames of `frameSize` bytes. Each byte is copied once,
 * from the pipe's chunk into the frame's own buffer; a finished frame is handed over, never reused.
 */
export class FrameCutter {
  private current: Buffer;
  private filled = 0;

  constructor(
    private readonly frameSize: number,
    private readonly onFrame: (data: Buffer) => void,
  ) {
    this.current = Buffer.allocUnsafeSlow(frameSize);
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(this.frameSize - this.filled, chunk.length - offset);
      chunk.copy(this.current, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSize) {
        const done = this.current;
        this.current = Buffer.allocUnsafeSlow(this.frameSize);
        this.filled = 0;
        this.onFrame(done);
      }
    }
  }

  /** Drops a partial frame (after ffmpeg restarts, its bytes would misalign the next frame). */
  reset(): void {
    this.filled = 0;
  }
}
