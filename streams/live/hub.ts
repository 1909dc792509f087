import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ParsedCameraSource } from '../camera/config';
import { Relay, type RelayOptions } from './relay';

export interface LiveViewOptions extends Partial<RelayOptions> {
  /** Relays (ffmpeg encoders) allowed at once; a viewer beyond it is refused with close code 1013. */
  maxRelays?: number;
  /** URL prefix of live websockets: `${prefix}<cameraId>`. */
  pathPrefix?: string;
  /** How often every viewer's `stillAllowed` is asked (ms); `revalidate()` asks at once. */
  recheckMs?: number;
  /** Live sockets one user may hold at once; beyond it the upgrade gets 429. */
  maxViewersPerUser?: number;
  /** Live sockets of everyone together; beyond it the upgrade gets 429. */
  maxViewers?: number;
}

/** A viewer admitted by `authorize`. */
export interface LiveViewer {
  /** Whose socket this is (caps count per user). */
  user: string;
  /** Whether the viewer may still watch (their session and role as they are now); false closes the socket with 1008. */
  stillAllowed(): boolean;
  /** Called once the socket is open (not for a viewer refused by a cap): e.g. to audit the viewing. */
  admitted?(): void;
}

/** Close code of a socket whose viewer lost access (policy violation). */
export const ACCESS_ENDED = 1008;

export interface RelayInfo {
  cameraId: string;
  viewers: number;
  pid: number | undefined;
  bytesSent: number;
  restarts: number;
}

/**
 * Live view: a relay per watched camera, started by its first viewer and stopped when the last one
 * leaves, with a cap on concurrent relays and on sockets per user and in total. `authorize` decides
 * per request (the gateway checks session, role and origin), and each viewer is asked again every
 * `recheckMs` and on `revalidate()`: one no longer allowed is disconnected.
 */
export class LiveViewHub {
  private readonly relays = new Map<string, Relay>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly maxRelays: number;
  private readonly pathPrefix: string;
  private readonly relayOptions: RelayOptions;
  private readonly viewers = new Map<WebSocket, LiveViewer>();
  private readonly recheckMs: number;
  private readonly maxViewersPerUser: number;
  private readonly maxViewers: number;
  private recheckTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cameraById: (id: string) => ParsedCameraSource | undefined,
    options: LiveViewOptions = {},
    private readonly authorize: (req: IncomingMessage, cameraId: string) => LiveViewer | undefined = () => ({ user: 'anyone', stillAllowed: () => true }),
  ) {
    this.maxRelays = options.maxRelays ?? 4;
    this.pathPrefix = options.pathPrefix ?? '/live/';
    this.relayOptions = { width: options.width ?? 640, bitrateKbps: options.bitrateKbps ?? 1000 };
    this.recheckMs = options.recheckMs ?? 5000;
    this.maxViewersPerUser = options.maxViewersPerUser ?? 4;
    this.maxViewers = options.maxViewers ?? 32;
  }

  /** Serves `${pathPrefix}<cameraId>` websocket upgrades on an existing HTTP server. */
  attachTo(server: Server): void {
    server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(this.pathPrefix)) return false;
    const cameraId = decodeURIComponent(path.slice(this.pathPrefix.length));
    const camera = this.cameraById(cameraId);
    const viewer = camera ? this.authorize(req, cameraId) : undefined;
    if (!camera || !viewer) {
      socket.end(camera ? 'HTTP/1.1 403 Forbidden\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\n\r\n');
      return true;
    }
    const held = [...this.viewers.values()].filter((v) => v.user === viewer.user).length;
    if (held >= this.maxViewersPerUser || this.viewers.size >= this.maxViewers) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.viewers.set(ws, viewer);
      ws.once('close', () => this.viewers.delete(ws));
      this.recheckTimer ??= setInterval(() => this.revalidate(), this.recheckMs).unref();
      viewer.admitted?.();
      this.addViewer(camera, ws);
    });
    return true;
  }

  /** Disconnects (close code 1008) every viewer no longer allowed to watch; call when access ends (logout, a user removed). */
  revalidate(): void {
    for (const [ws, viewer] of this.viewers) {
      if (viewer.stillAllowed()) continue;
      this.viewers.delete(ws);
      ws.close(ACCESS_ENDED, 'access ended');
    }
    if (this.viewers.size === 0) {
      clearInterval(this.recheckTimer);
      this.recheckTimer = undefined;
    }
  }

  relaysInfo(): RelayInfo[] {
    return [...this.relays.values()].map((r) => ({
      cameraId: r.camera.id,
      viewers: r.viewerCount,
      pid: r.pid,
      bytesSent: r.bytesSent,
      restarts: r.restarts,
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.recheckTimer);
    this.recheckTimer = undefined;
    await Promise.all([...this.relays.values()].map((r) => r.close()));
    this.relays.clear();
    this.wss.close();
  }

  private addViewer(camera: ParsedCameraSource, ws: WebSocket): void {
    let relay = this.relays.get(camera.id);
    if (!relay) {
      if (this.relays.size >= this.maxRelays) {
        ws.close(1013, `live view limit of ${this.maxRelays} cameras reached`);
        return;
      }
      relay = new Relay(camera, this.relayOptions);
      this.relays.set(camera.id, relay);
    }
    const current = relay;
    current.add(ws);
    ws.once('close', () => {
      if (current.viewerCount === 0 && this.relays.get(camera.id) === current) {
        this.relays.delete(camera.id);
        void current.close();
      }
    });
  }
}
