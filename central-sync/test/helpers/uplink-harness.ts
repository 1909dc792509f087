import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { waitFor } from '../../../test-helpers/processes';
import { Uplink, type UplinkLogger, type UplinkOptions } from '../../client';
import { FakeCentral, type FakeGateway } from '../client-fake-central';
import { MemoryOutbox } from '../client-memory-outbox';

export const gateway: FakeGateway = { gatewayId: 'gw-test', secret: randomBytes(32).toString('hex'), siteId: 'site-1' };

export interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

export function capture(lines: LogLine[]): UplinkLogger {
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Registers the afterEach that stops what `harness` started; call once per test file, at top level. */
export function useUplinkHarness() {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  /** A fake central, an in-memory outbox and an uplink with fast retries. */
  return async function harness(options: Partial<UplinkOptions> = {}) {
    const central = await FakeCentral.start({ gateways: [gateway] });
    cleanups.push(() => central.stop());
    const outbox = new MemoryOutbox();
    const logs: LogLine[] = [];
    const uplink = new Uplink({
      url: central.url,
      source: outbox,
      credentials: { ...gateway, url: central.url },
      log: capture(logs),
      batchRecords: 50,
      timeoutMs: 2000,
      heartbeatMs: 60_000,
      idleMs: 10,
      backoff: { baseMs: 20, capMs: 200, minMs: 5 },
      ...options,
    });
    cleanups.push(() => uplink.stop());
    return { central, outbox, uplink, logs };
  };
}

export const drained = (outbox: MemoryOutbox, ms = 5000) => waitFor(() => outbox.rows.length === 0, ms, 10);
