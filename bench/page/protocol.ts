/** Messages of the bench page (bench/run.mjs ⇄ main.ts ⇄ plainWorker.ts). */
export interface PlainRequest {
  readonly template: 'product-classifier' | 'purchase-predictor';
  readonly backend: 'wasm' | 'webgl' | 'cpu';
  /** Register Layerlab's wasm kernels first. */
  readonly kernels: boolean;
  /** Run XNNPACK on every core, as Layerlab's worker does (default: tfjs's half). */
  readonly allCores?: boolean;
  readonly batch: number;
  /** Batches in the data set (the run stops earlier after `seconds`). */
  readonly maxBatches: number;
  readonly seconds: number;
  /** Instead of fitting: time a few training steps and profile one per kernel (tf.profile). */
  readonly profile?: boolean;
}

export interface RunResult {
  readonly samplesPerSec?: number;
  readonly batches?: number;
  /** Only the warm-up batch finished: samplesPerSec includes it. */
  readonly withWarmup?: boolean;
  readonly firstBatchMs?: number;
  readonly backend?: string;
  readonly reason?: string;
  readonly threads?: number;
  /** ms from the request to the first training batch (Layerlab: includes the backend trial). */
  readonly startMs?: number;
  readonly total?: number;
  readonly error?: string;
  /** profile: mean step time and per-kernel ms of one step. */
  readonly stepMs?: number;
  readonly perKernel?: Record<string, number>;
  /** Layerlab with insight: looks inside the run took, and their mean worker time, ms. */
  readonly looks?: number;
  readonly lookMs?: number;
}
