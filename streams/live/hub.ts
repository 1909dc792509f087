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
}

export interface RelayInfo {
  cameraId: string;
  viewers: number;
  pid: number | undefined;
  bytesSent: number;
  restarts: number;
}

/**
 * Live view: a relay per watched camera, started by its first viewer and stopped when the last one
 * leaves, with a cap on concurrent relays. `authorize` decides per request (the gateway checks roles).
 */
export class LiveViewHub {
  private readonly relays = new Map<string, Relay>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly maxRelays: number;
  private readonly pathPrefix: string;
  private readonly relayOptions: RelayOptions;

  constructor(
    private readonly cameraById: (id: string) => ParsedCameraSource | undefined,
    options: LiveViewOptions = {},
    private readonly authorize: (req: IncomingMessage, cameraId: string) => boolean = () => true,
  ) {
    this.maxRelays = options.maxRelays ?? 4;
    this.pathPrefix = options.pathPrefix ?? '/live/';
    this.relayOptions = { width: options.width ?? 640, bitrateKbps: options.bitrateKbps ?? 1000 };
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
    if (!camera || !this.authorize(req, cameraId)) {
      socket.end(camera ? 'HTTP/1.1 403 Forbidden\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.addViewer(camera, ws));
    return true;
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
