import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { describeZodError, SyncRecordSchema, RECORDS_WIRE_VERSION, type IngestBatch, type SyncRecord } from '../wire';
import type { OutboxRecord } from './types';

const gzipAsync = promisify(gzip);

export interface CheckedRecords {
  records: SyncRecord[];
  /** Records the wire schema refuses: sending them would fail the whole batch. */
  invalid: Array<{ seq: number; reason: string }>;
}

export function checkRecords(rows: readonly OutboxRecord[]): CheckedRecords {
  const records: SyncRecord[] = [];
  const invalid: CheckedRecords['invalid'] = [];
  for (const row of rows) {
    const parsed = SyncRecordSchema.safeParse({ seq: row.seq, kind: row.kind, at: row.at, payload: row.payload });
    if (parsed.success) records.push(parsed.data);
    else invalid.push({ seq: row.seq, reason: `local schema check: ${describeZodError(parsed.error).message}` });
  }
  return { records, invalid };
}

/** The batch as sent: JSON, gzip'd (off the event loop). */
export async function encodeBatch(gatewayId: string, records: SyncRecord[]): Promise<Uint8Array> {
  const batch: IngestBatch = { version: RECORDS_WIRE_VERSION, gatewayId, records };
  return gzipAsync(Buffer.from(JSON.stringify(batch)));
}
