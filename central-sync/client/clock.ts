/**
 * The server's time as seen from here: local time plus an offset learnt from `serverTime` in every
 * response, taken at the midpoint between sending and receiving (half the round trip each way).
 */
export class ServerClock {
  private offset = 0;

  constructor(readonly local: () => number = Date.now) {}

  now(): number {
    return this.local() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  learn(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
  }
}
