/**
 * What the benchmark reads from a running gateway beyond its public live figures: the per-stage
 * frame costs and the inference pool's thread layout. Until the gateway exposes them, each reads as
 * null (the report then says "not measured" rather than showing zeros).
 */
import type { GatewayConfig } from '../../gateway/config';
import type { FrameCostTotals } from '../../gateway/pipeline/frame-costs';
import type { GatewayService } from '../../gateway/service';

export interface PoolLayout {
  workers: number;
  threadsPerWorker: number;
  maxBatch: number;
}

export function frameCostsOf(gateway: GatewayService): FrameCostTotals | null {
  const g = gateway as unknown as { frameCosts?: () => FrameCostTotals };
  return typeof g.frameCosts === 'function' ? structuredClone(g.frameCosts()) : null;
}

export function layoutOf(gateway: GatewayService): PoolLayout | null {
  const snapshot = gateway.pool.snapshot() as unknown as { layout?: PoolLayout };
  return snapshot.layout ? { ...snapshot.layout } : null;
}

/** The layout stated in a config, for a gateway that does not report its own (absent settings: 1 worker, ORT's default threads). */
export function configuredLayout(config: GatewayConfig): PoolLayout {
  return { workers: config.models.inferenceWorkers ?? 1, threadsPerWorker: config.models.threadsPerWorker ?? 0, maxBatch: 4 };
}
