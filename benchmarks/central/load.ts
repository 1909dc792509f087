import { gzipSync } from 'node:zlib';
import { IngestResponseSchema, PATHS, signedHeaders, WIRE_VERSION, type SyncRecord } from '../../central-sync/wire';

/** What a site gateway sends, in roughly its real mix: updates and queue minutes outnumber events. */
export function gatewayRecords(from: number, count: number, at: number): SyncRecord[] {
  return Array.from({ length: count }, (_, i): SyncRecord => {
    const seq = from + i;
    // 50 ms apart: a 1M-record backlog spans 14 h, so a run starting a day back never dates a record
    // past central's clock (it refuses times beyond its clock plus the allowed skew).
    const t = at + seq * 50;
    const camera = `cam-${seq % 8}`;
    const k = seq % 20;
    if (k < 6) {
      return {
        seq,
        kind: 'event',
        at: t,
        payload: { uid: `e-${seq}`, cameraId: camera, zoneId: `zone-${seq % 3}`, trackId: seq, type: k < 3 ? 'loitering' : 'queue_too_long', severity: k < 2 ? 'high' : 'medium', at: t, data: { people: seq % 7, dwellS: 42, zoneName: 'Entrance hall', box: [0.12, 0.3, 0.2, 0.44] } },
      };
    }
    if (k < 14) {
      // Updates follow their event within the same gateway's stream.
      const uid = `e-${seq - (k - 5)}`;
      return { seq, kind: 'event_update', at: t, payload: { uid, at: t, phase: k === 13 ? 'end' : 'update', data: { people: k, dwellS: 42 + k } } };
    }
    if (k < 19) {
      return {
        seq,
        kind: 'queue_stat',
        at: t,
        payload: { cameraId: camera, zoneId: `queue-${k}`, minute: Math.floor(t / 60_000) * 60_000, avgCount: 3.4, maxCount: 6, departures: 4, estWaitS: 95, occupiedRatio: 0.62 },
      };
    }
    return { seq, kind: 'camera_health', at: t, payload: { cameraId: camera, state: 'running', reason: null, at: t } };
  });
}

export interface PreparedBatch {
  body: Buffer;
  records: number;
}

/** Gzip'd request bodies, made before timing starts: the benchmark measures the server. */
export function prepareBatches(gatewayId: string, totalRecords: number, batchSize: number, at: number, firstSeq = 1): PreparedBatch[] {
  const batches: PreparedBatch[] = [];
  for (let seq = firstSeq; seq < firstSeq + totalRecords; seq += batchSize) {
    const n = Math.min(batchSize, firstSeq + totalRecords - seq);
    const json = JSON.stringify({ version: WIRE_VERSION, gatewayId, records: gatewayRecords(seq, n, at) });
    batches.push({ body: gzipSync(json, { level: 6 }), records: n });
  }
  return batches;
}

export interface Gateway {
  id: string;
  secret: string;
}

/** Signs at send time (fresh nonce and timestamp per request) and posts one batch; returns ms taken. */
export async function sendBatch(baseUrl: string, gw: Gateway, batch: PreparedBatch): Promise<{ ms: number; stored: number; highestSeq: number }> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${PATHS.ingest}`, {
    method: 'POST',
    headers: { ...signedHeaders(gw.id, gw.secret, 'POST', PATHS.ingest, batch.body, Date.now()), 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: batch.body,
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${text.slice(0, 300)}`);
  const reply = IngestResponseSchema.parse(JSON.parse(text));
  return { ms, stored: reply.stored, highestSeq: reply.highestSeq };
}
