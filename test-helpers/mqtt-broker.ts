/**
 * A real MQTT broker process for tests (scripts/mqtt-broker.ts: aedes under node) on 127.0.0.1,
 * which a test can kill (SIGKILL, as a crash) and start again on the same port; and a subscriber
 * that collects what the broker delivers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { waitFor } from './processes';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(ROOT, 'scripts', 'mqtt-broker.ts');

export interface BrokerOptions {
  username?: string;
  password?: string;
  tls?: { certPath: string; keyPath: string };
}

export class BrokerProcess {
  private child: ChildProcess | undefined;
  private output = '';
  port = 0;

  private constructor(private readonly options: BrokerOptions) {}

  /** Starts a broker on a free port of 127.0.0.1. */
  static async start(options: BrokerOptions = {}): Promise<BrokerProcess> {
    const broker = new BrokerProcess(options);
    await broker.spawn(0);
    return broker;
  }

  get url(): string {
    return `${this.options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGKILL, as a crash: clients see their connection drop; retained messages are lost. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** SIGSTOP: a hung broker (connections stay open, nothing is read or acknowledged) until `resume`. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Starts it again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn(this.port);
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  close(): Promise<void> {
    return this.stop();
  }

  private async spawn(port: number): Promise<void> {
    const args = ['--import', 'tsx', SCRIPT, '--port', String(port), '--exit-with-parent'];
    if (this.options.username) args.push('--username', this.options.username);
    if (this.options.tls) args.push('--tls-cert', this.options.tls.certPath, '--tls-key', this.options.tls.keyPath);
    const env = { ...process.env, ...(this.options.password ? { MQTT_BROKER_PASSWORD: this.options.password } : {}) };
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const listening = () => /listening on mqtts?:\/\/127\.0\.0\.1:(\d+)/.exec(this.output);
    const ready = await waitFor(() => listening() !== null || child.exitCode !== null, 30_000, 25);
    const match = listening();
    if (!ready || !match) {
      child.kill('SIGKILL');
      throw new Error(`mqtt broker did not start: ${this.output.trim() || 'no output'}`);
    }
    this.port = Number(match[1]);
  }
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A subscriber on the broker: every message it receives, in order. */
export class Subscriber {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  }

  static async connect(url: string, topic: string, options: IClientOptions = {}): Promise<Subscriber> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, connectTimeout: 5000, ...options });
    const sub = new Subscriber(client);
    await client.subscribeAsync(topic, { qos: 1 });
    return sub;
  }

  on(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  /** The last message on a topic, parsed as JSON when it is JSON. */
  last(topic: string): Received | undefined {
    return this.on(topic).at(-1);
  }

  async waitFor(condition: (s: Subscriber) => boolean, timeoutMs = 15_000): Promise<boolean> {
    return waitFor(() => condition(this), timeoutMs, 20);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * A TCP relay on 127.0.0.1 in front of a broker, so a test decides when a client may (re)connect:
 * closed, it drops every new connection at once; `cut` ends the connections it carries abruptly
 * (the broker sees a lost client and sends its last will).
 */
export class TcpGate {
  private open = true;
  private readonly pairs = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: () => number): Promise<TcpGate> {
    let gate: TcpGate | undefined;
    const server = createServer((client) => {
      if (!gate?.open) return void client.destroy();
      const upstream = createConnection({ host: '127.0.0.1', port: target() });
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
      }
      gate.pairs.add(client).add(upstream);
      client.on('close', () => gate?.pairs.delete(client));
      upstream.on('close', () => gate?.pairs.delete(upstream));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    gate = new TcpGate(server, (server.address() as { port: number }).port);
    return gate;
  }

  url(scheme = 'mqtt'): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  setOpen(open: boolean): void {
    this.open = open;
  }

  cut(): void {
    for (const s of this.pairs) s.destroy();
  }

  async close(): Promise<void> {
    this.open = false;
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}
