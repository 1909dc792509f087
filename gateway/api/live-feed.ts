import type { Role } from '../config';

export interface LiveEvent {
  uid: string;
  cameraId: string;
  zoneId?: string;
  trackId?: number;
  type: string;
  severity: string;
  at: number;
}

type Listener = (e: LiveEvent) => void;

/** New events fanned out to live-feed subscribers (SSE). */
export class LiveEventBus {
  private readonly listeners = new Set<Listener>();

  publish(e: LiveEvent): void {
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

/** Which event types each role sees on the live feed (the API enforces the same on reads). */
const VISIBLE: Record<Exclude<Role, 'admin' | 'security'>, ReadonlySet<string>> = {
  supervisor: new Set(['queue_long', 'crowding']),
  ops: new Set(['camera_offline', 'camera_tampered']),
};

export function visibleTo(role: Role, type: string): boolean {
  return role === 'admin' || role === 'security' || VISIBLE[role].has(type);
}

/**
 * Says that some access ended (a logout, a user removed): open live streams (SSE and live video)
 * check their caller again at once instead of at their next periodic check.
 */
export class AccessChanges {
  private readonly listeners = new Set<() => void>();

  changed(): void {
    for (const l of [...this.listeners]) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
