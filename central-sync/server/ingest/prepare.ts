import type { SyncRecord } from '../../wire';

export interface PreparedBatch {
  /** One per seq (the first wins), ascending. */
  records: SyncRecord[];
  /** Repeats of a seq within the batch itself. */
  repeats: number;
}

/**
 * Orders the batch by seq (both stores insert in that order, so concurrent resends of overlapping
 * batches take row locks in the same order) and removes face crops unless the deployment accepts them.
 */
export function prepareBatch(records: readonly SyncRecord[], acceptFaceCrops: boolean): PreparedBatch {
  const bySeq = new Map<number, SyncRecord>();
  for (const r of records) if (!bySeq.has(r.seq)) bySeq.set(r.seq, acceptFaceCrops ? r : withoutFaceCrop(r));
  const unique = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { records: unique, repeats: records.length - unique.length };
}

function withoutFaceCrop(r: SyncRecord): SyncRecord {
  const strip = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'faceCrop'));
  if (r.kind === 'event' && 'faceCrop' in r.payload.data) return { ...r, payload: { ...r.payload, data: strip(r.payload.data) } };
  if (r.kind === 'event_update' && 'faceCrop' in r.payload.data) return { ...r, payload: { ...r.payload, data: strip(r.payload.data) } };
  return r;
}
